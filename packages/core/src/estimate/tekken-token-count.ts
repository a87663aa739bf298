import { BytePairCounter } from './byte-pair-count';
import { asciiPieceEnd } from './tekken-ascii-piece';
import { tekkenRanks } from './tekken-vocabulary';

// Tekken's pre-tokenizer (the `pattern` of tekken.json), with `\s` spelled out as Unicode's
// White_Space, which is what the tokenizer's regex engine means by it: JavaScript's `\s` also
// takes U+FEFF and leaves out U+0085.
const S = '\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const PRE_TOKEN_SOURCE = [
  '[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]*[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]+',
  '[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]+[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]*',
  '\\p{N}',
  ` ?[^${S}\\p{L}\\p{N}]+[\\r\\n/]*`,
  `[${S}]*[\\r\\n]+`,
  `[${S}]+(?![^${S}])`,
  `[${S}]+`,
].join('|');

// Built on first use: compiling these Unicode classes costs milliseconds of every app's import.
let preToken: RegExp | undefined;
// The same, matching only where the previous pre-token ended.
let preTokenAt: RegExp | undefined;

/**
 * The longest pre-token merged exactly, in UTF-8 bytes. Merging is O(n log n) in a piece's
 * length; a longer piece (a run of letters with no space, case change, digit or punctuation:
 * 'aaaa…' or a long CJK run) counts one token a byte, which no byte-level BPE count exceeds.
 */
export const TEKKEN_PIECE_MAX_BYTES = 16_384;

/** The pre-tokens of a text, as Tekken's pattern splits it before merging (exported for tests). */
export function tekkenPreTokens(text: string): string[] {
  preToken ??= new RegExp(PRE_TOKEN_SOURCE, 'gu');
  return text.match(preToken) ?? [];
}

/**
 * The same pre-tokens as `tekkenPreTokens`, found the way the count finds them: by hand where
 * ASCII decides, by the pattern elsewhere (exported for tests).
 */
export function tekkenPreTokensFast(text: string): string[] {
  const pieces: string[] = [];
  let start = 0;
  while (start < text.length) {
    let end = asciiPieceEnd(text, start);
    if (end < 0) end = patternPieceEnd(text, start);
    pieces.push(text.slice(start, end));
    start = end;
  }
  return pieces;
}

/**
 * The number of tokens Tekken (current Mistral models) makes of a text, without BOS/EOS:
 * exact for pieces up to `TEKKEN_PIECE_MAX_BYTES`, one a byte beyond. Text that looks like a
 * control token (`[INST]`, `</s>`) is ordinary text, as in mistral-common and the API. Loads
 * the vocabulary on first call.
 */
export function tekkenTokenCount(text: string): number {
  return tekkenCountWithin(text, Number.POSITIVE_INFINITY).tokens;
}

/** What `tekkenCountWithin` counted: the tokens of `text.slice(0, counted)`, exactly. */
export interface TekkenPartialCount {
  readonly tokens: number;
  /** Where the count stopped: a pre-token boundary, `text.length` when it counted everything. */
  readonly counted: number;
}

// How many bytes are counted between two looks at the clock (a look costs about 1 µs).
const BYTES_BETWEEN_CLOCK_READS = 8_192;

/**
 * Milliseconds of CPU time the process has used. The budget is CPU time, not wall time: on a
 * machine whose cores are busy, a count the scheduler pauses would otherwise run out of time
 * without having done the work, and hold a text the next call counts exactly at its bytes.
 */
function cpuMilliseconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1_000;
}

/**
 * Counts like `tekkenTokenCount`, but stops at the first pre-token boundary after `budgetMs`
 * milliseconds of CPU time, so that a long text that is slow to count (no word repeats: the merge caches
 * cannot help) does not hold the event loop. The tokens of the rest are not counted; they
 * number at most its UTF-8 length. Texts under 8,192 bytes are always counted in full.
 */
export function tekkenCountWithin(text: string, budgetMs: number): TekkenPartialCount {
  counter ??= new BytePairCounter(tekkenRanks());
  const deadline = budgetMs === Number.POSITIVE_INFINITY ? budgetMs : cpuMilliseconds() + budgetMs;
  let sinceClockRead = 0;
  let tokens = 0;
  let start = 0;
  while (start < text.length) {
    if (sinceClockRead >= BYTES_BETWEEN_CLOCK_READS) {
      sinceClockRead = 0;
      if (cpuMilliseconds() > deadline) return { tokens, counted: start };
    }
    let end = asciiPieceEnd(text, start);
    let bytes: string;
    if (end >= 0) {
      bytes = text.slice(start, end);
    } else {
      // A character that decides the piece is not ASCII: the pattern says where it ends.
      end = patternPieceEnd(text, start);
      const piece = text.slice(start, end);
      bytes = isAscii(piece) ? piece : binaryUtf8(piece);
    }
    start = end;
    sinceClockRead += bytes.length;
    tokens += bytes.length > TEKKEN_PIECE_MAX_BYTES ? bytes.length : counter.count(bytes);
  }
  return { tokens, counted: text.length };
}

let counter: BytePairCounter | undefined;

function patternPieceEnd(text: string, start: number): number {
  preTokenAt ??= new RegExp(PRE_TOKEN_SOURCE, 'uy');
  preTokenAt.lastIndex = start;
  // The pattern matches at every position; were it not to, the character would be its own piece.
  return preTokenAt.test(text) ? preTokenAt.lastIndex : start + 1;
}

/**
 * The UTF-8 bytes of a piece as a binary string (one character a byte); a lone surrogate is
 * U+FFFD, as `Buffer.from(piece)` writes it. Faster than going through a Buffer for short pieces.
 */
export function binaryUtf8(piece: string): string {
  let bytes = '';
  for (let index = 0; index < piece.length; index++) {
    let code = piece.charCodeAt(index);
    if (code < 0x80) {
      bytes += String.fromCharCode(code);
    } else if (code < 0x800) {
      bytes += String.fromCharCode(0xc0 | (code >> 6), 0x80 | (code & 0x3f));
    } else if (
      code >= 0xd800 &&
      code < 0xdc00 &&
      index + 1 < piece.length &&
      (piece.charCodeAt(index + 1) & 0xfc00) === 0xdc00
    ) {
      code = 0x10000 + ((code - 0xd800) << 10) + (piece.charCodeAt(++index) - 0xdc00);
      bytes += String.fromCharCode(
        0xf0 | (code >> 18),
        0x80 | ((code >> 12) & 0x3f),
        0x80 | ((code >> 6) & 0x3f),
        0x80 | (code & 0x3f),
      );
    } else {
      if (code >= 0xd800 && code < 0xe000) code = 0xfffd;
      bytes += String.fromCharCode(0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f));
    }
  }
  return bytes;
}

function isAscii(piece: string): boolean {
  for (let index = 0; index < piece.length; index++) if (piece.charCodeAt(index) > 0x7f) return false;
  return true;
}
