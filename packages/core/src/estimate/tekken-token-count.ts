import { BytePairCounter } from './byte-pair-count';
import { tekkenRanks } from './tekken-vocabulary';

// Tekken's pre-tokenizer (the `pattern` of tekken.json), with `\s` spelled out as Unicode's
// White_Space, which is what the tokenizer's regex engine means by it: JavaScript's `\s` also
// takes U+FEFF and leaves out U+0085.
const S = '\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const PRE_TOKEN = new RegExp(
  [
    '[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]*[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]+',
    '[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]+[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]*',
    '\\p{N}',
    ` ?[^${S}\\p{L}\\p{N}]+[\\r\\n/]*`,
    `[${S}]*[\\r\\n]+`,
    `[${S}]+(?![^${S}])`,
    `[${S}]+`,
  ].join('|'),
  'gu',
);

/**
 * The longest pre-token merged exactly, in UTF-8 bytes. Merging is O(n log n) in a piece's
 * length; a longer piece (a run of letters with no space, case change, digit or punctuation:
 * 'aaaa…' or a long CJK run) counts one token a byte, which no byte-level BPE count exceeds.
 */
export const TEKKEN_PIECE_MAX_BYTES = 16_384;

/** The pre-tokens of a text, as Tekken splits it before merging (exported for tests). */
export function tekkenPreTokens(text: string): string[] {
  return text.match(PRE_TOKEN) ?? [];
}

/**
 * The number of tokens Tekken (current Mistral models) makes of a text, without BOS/EOS:
 * exact for pieces up to `TEKKEN_PIECE_MAX_BYTES`, one a byte beyond. Text that looks like a
 * control token (`[INST]`, `</s>`) is ordinary text, as in mistral-common and the API. Loads
 * the vocabulary on first call.
 */
export function tekkenTokenCount(text: string): number {
  counter ??= new BytePairCounter(tekkenRanks());
  let tokens = 0;
  PRE_TOKEN.lastIndex = 0;
  for (let match = PRE_TOKEN.exec(text); match !== null; match = PRE_TOKEN.exec(text)) {
    const piece = match[0];
    const bytes = isAscii(piece) ? piece : Buffer.from(piece, 'utf8').toString('latin1');
    tokens += bytes.length > TEKKEN_PIECE_MAX_BYTES ? bytes.length : counter.count(bytes);
  }
  return tokens;
}

let counter: BytePairCounter | undefined;

function isAscii(piece: string): boolean {
  for (let index = 0; index < piece.length; index++) if (piece.charCodeAt(index) > 0x7f) return false;
  return true;
}
