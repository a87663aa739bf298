/**
 * Conservative token estimate for models without a public local tokenizer.
 *
 * One linear pass over the UTF-16 code units (no regular expressions) counts character classes;
 * the estimate is ceil(Σ weight × count), 0 for the empty string. Classes (weights below are in
 * hundredths of a token):
 *   lower            a–z
 *   upperAfterLower  A–Z right after a–z (camelCase, base64)
 *   upperAfterOther  A–Z after anything else that is not A–Z (capitalised words)
 *   upperCont        A–Z after A–Z (ALL CAPS)
 *   digit / punct    0–9 / other printable ASCII
 *   space / ws       U+0020 / other ASCII controls (newline, tab, …)
 *   latinExt         U+0080–U+02FF (accented Latin)
 *   combining        U+0300–U+036F (combining diacritics)
 *   cyrGreek         U+0370–U+058F (Greek, Cyrillic, Armenian)
 *   rtl              U+0590–U+07FF (Hebrew, Arabic, Syriac, Thaana)
 *   other3           U+0800–U+2E7F (Indic, Thai, general punctuation, symbols)
 *   cjk              U+2E80–U+9FFF, U+AC00–U+D7AF, U+F900–U+FAFF (Han, kana, Hangul)
 *   rareBmp          the rest of the BMP (fullwidth forms, private use, …): 3 tokens, its UTF-8 length
 *   astral           a surrogate pair (emoji, …): 4 tokens, its UTF-8 length
 *   wordRuns         maximal runs of one class among ASCII letter / digit / ASCII punctuation /
 *                    non-ASCII, whitespace excluded (roughly: words and punctuation groups)
 *   one              1 for any non-empty text
 *
 * The weights were fitted on 2026-11-29 by packages/core/scripts/calibrate-token-heuristic.mjs on the
 * 143-text corpus in __fixtures__/token-calibration.json (prose, docs, code, JSON, chat, 14 languages,
 * numbers, markdown, 1–20-character strings, hashes, base64, emoji): a linear program chose the
 * weights that under-estimate no text of the corpus while minimising the mean relative
 * over-estimate, then each weight was rounded up to 0.01. References:
 *   anthropic  ctok 1.3.0 (offline reconstruction of Anthropic's count_tokens; Claude's tokenizers
 *              are not public): the larger of its Claude 3 – Opus 4.6 and Opus 4.7+ counts.
 *   mistral    mistral-common 1.13.1 Tekken (tekken_240911), the tokenizer of current Mistral models.
 * On that corpus: no text under-estimated; sum of estimates / sum of tokens = 1.23 (anthropic),
 * 1.19 (mistral); English prose about 1.3 and 1.16. In 4-fold cross-validation about 10% of held-out
 * texts were under-estimated, mostly kinds seen only once (Zalgo text, Greek, Hebrew, base64).
 * 'generic' (unknown providers) takes the larger of the two estimates.
 */

export type HeuristicTokenFamily = 'anthropic' | 'mistral' | 'generic';

/** Weights in hundredths of a token, so that the sum is exact integer arithmetic. */
interface Weights {
  readonly lower: number;
  readonly upperAfterLower: number;
  readonly upperAfterOther: number;
  readonly upperCont: number;
  readonly digit: number;
  readonly punct: number;
  readonly space: number;
  readonly ws: number;
  readonly latinExt: number;
  readonly combining: number;
  readonly cyrGreek: number;
  readonly rtl: number;
  readonly other3: number;
  readonly cjk: number;
  readonly wordRuns: number;
  readonly one: number;
}

const ANTHROPIC: Weights = {
  lower: 21,
  upperAfterLower: 116,
  upperAfterOther: 200,
  upperCont: 90,
  digit: 32,
  punct: 21,
  space: 4,
  ws: 0,
  latinExt: 200,
  combining: 173,
  cyrGreek: 54,
  rtl: 61,
  other3: 96,
  cjk: 99,
  wordRuns: 108,
  one: 216,
};

const MISTRAL: Weights = {
  lower: 12,
  upperAfterLower: 190,
  upperAfterOther: 0,
  upperCont: 39,
  digit: 100,
  punct: 34,
  space: 7,
  ws: 14,
  latinExt: 200,
  combining: 189,
  cyrGreek: 32,
  rtl: 37,
  other3: 63,
  cjk: 82,
  wordRuns: 60,
  one: 63,
};

const RARE_BMP_WEIGHT = 300;
const ASTRAL_WEIGHT = 400;

type Counts = { -readonly [K in keyof Weights]: number } & { rareBmp: number; astral: number };

const LETTER = 0;
const DIGIT = 1;
const PUNCT = 2;
const SPACE = 3;
const NON_ASCII = 4;

function countClasses(text: string): Counts {
  const n: Counts = {
    lower: 0,
    upperAfterLower: 0,
    upperAfterOther: 0,
    upperCont: 0,
    digit: 0,
    punct: 0,
    space: 0,
    ws: 0,
    latinExt: 0,
    combining: 0,
    cyrGreek: 0,
    rtl: 0,
    other3: 0,
    cjk: 0,
    wordRuns: 0,
    one: text.length > 0 ? 1 : 0,
    rareBmp: 0,
    astral: 0,
  };
  let prevClass = SPACE;
  let prevLower = false;
  let prevUpper = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    let cls = NON_ASCII;
    let lower = false;
    let upper = false;
    if (c < 0x80) {
      if (c >= 0x61 && c <= 0x7a) {
        n.lower++;
        lower = true;
        cls = LETTER;
      } else if (c >= 0x41 && c <= 0x5a) {
        if (prevUpper) n.upperCont++;
        else if (prevLower) n.upperAfterLower++;
        else n.upperAfterOther++;
        upper = true;
        cls = LETTER;
      } else if (c >= 0x30 && c <= 0x39) {
        n.digit++;
        cls = DIGIT;
      } else if (c === 0x20) {
        n.space++;
        cls = SPACE;
      } else if (c < 0x20 || c === 0x7f) {
        n.ws++;
        cls = SPACE;
      } else {
        n.punct++;
        cls = PUNCT;
      }
    } else if (c < 0x300) n.latinExt++;
    else if (c < 0x370) n.combining++;
    else if (c < 0x590) n.cyrGreek++;
    else if (c < 0x800) n.rtl++;
    else if (c < 0x2e80) n.other3++;
    else if (c < 0xa000 || (c >= 0xac00 && c < 0xd7b0) || (c >= 0xf900 && c < 0xfb00)) n.cjk++;
    else if (c >= 0xd800 && c < 0xdc00) n.astral++;
    else if (c < 0xd800 || c >= 0xe000) n.rareBmp++; // a low surrogate is counted with its high one
    if (cls !== prevClass && cls !== SPACE) n.wordRuns++;
    prevClass = cls;
    prevLower = lower;
    prevUpper = upper;
  }
  return n;
}

function weigh(w: Weights, n: Counts): number {
  const hundredths =
    w.lower * n.lower +
    w.upperAfterLower * n.upperAfterLower +
    w.upperAfterOther * n.upperAfterOther +
    w.upperCont * n.upperCont +
    w.digit * n.digit +
    w.punct * n.punct +
    w.space * n.space +
    w.ws * n.ws +
    w.latinExt * n.latinExt +
    w.combining * n.combining +
    w.cyrGreek * n.cyrGreek +
    w.rtl * n.rtl +
    w.other3 * n.other3 +
    w.cjk * n.cjk +
    w.wordRuns * n.wordRuns +
    w.one * n.one +
    RARE_BMP_WEIGHT * n.rareBmp +
    ASTRAL_WEIGHT * n.astral;
  return Math.ceil(hundredths / 100);
}

/**
 * Conservative estimate of the tokens `text` costs as message content for a model family whose
 * tokenizer is not available locally. Pure, linear in the text's length, 0 for ''.
 */
export function heuristicTokenCount(text: string, family: HeuristicTokenFamily): number {
  if (text.length === 0) return 0;
  const counts = countClasses(text);
  if (family === 'anthropic') return weigh(ANTHROPIC, counts);
  if (family === 'mistral') return weigh(MISTRAL, counts);
  return Math.max(weigh(ANTHROPIC, counts), weigh(MISTRAL, counts));
}
