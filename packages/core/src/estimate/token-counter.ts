import { loadOnFirstUse } from '../load-on-first-use';
import { type HeuristicTokenFamily, heuristicTokenCount } from './heuristic-token-count';
import { tekkenCountWithin } from './tekken-token-count';

/** How a token count was made: exactly with the model's tokenizer, or with the calibrated heuristic. */
export type TokenCountMethod = 'exact' | 'heuristic';

interface Encoder {
  countTokens(text: string, options?: { disallowedSpecial?: Set<string> }): number;
}

// Prompt text that happens to contain "<|endoftext|>" and the like is ordinary text to the
// API; by default gpt-tokenizer would throw on it.
const AS_PLAIN_TEXT = { disallowedSpecial: new Set<string>() };

const encoders = new Map<string, Encoder>();

/** A text's token count and how it was made. */
export interface TokenCount {
  /** The best guess: exact when `method` is `exact`. */
  readonly tokens: number;
  readonly method: TokenCountMethod;
  /**
   * What the text cannot cost more than: `tokens` when exact, else a bound from its UTF-8
   * length (see `promptTokenBound`). The gate reserves this, so that a text the heuristic
   * under-counts still cannot take spend past a budget.
   */
  readonly upperBound: number;
}

/**
 * Counts the tokens of a text for a model: exact for OpenAI models (gpt-tokenizer,
 * o200k_base or cl100k_base) and for Mistral models on Tekken (the bundled vocabulary), each
 * loaded on first use, never at import; a calibrated conservative heuristic for everything
 * else, with an upper bound beside it.
 */
export function countTokens(text: string, provider: string, model: string): TokenCount {
  if (text.length === 0) return { tokens: 0, method: 'exact', upperBound: 0 };
  const lowerProvider = provider.toLowerCase();
  const lowerModel = model.toLowerCase();
  const encoding = openAiEncodingFor(lowerProvider, lowerModel);
  if (!encoding) {
    const family = heuristicFamilyFor(lowerProvider, lowerModel);
    if (family === 'mistral' && text.length <= EXACT_COUNT_MAX_LENGTH)
      return cachedCount('tekken', text, () => tekkenCount(text), keepExact);
    return cachedCount(family, text, () => heuristicCount(text, family));
  }
  if (text.length > EXACT_COUNT_MAX_LENGTH) {
    const bytes = utf8Length(text);
    return { tokens: bytes, method: 'heuristic', upperBound: bytes };
  }
  return cachedCount(encoding, text, () => {
    const tokens = countInPieces(loadEncoder(encoding), text);
    return { tokens, method: 'exact', upperBound: tokens };
  });
}

function heuristicCount(text: string, family: HeuristicTokenFamily): TokenCount {
  const upperBound = promptTokenBound(utf8Length(text), family);
  return { tokens: Math.min(heuristicTokenCount(text, family), upperBound), method: 'heuristic', upperBound };
}

/**
 * The most tokens a text of `bytes` UTF-8 bytes can cost, for tokenizers that are not available
 * here. Tekken (current Mistral models) is a byte-level BPE: at most one token per byte.
 * SentencePiece (older Mistral models) falls back to bytes and may add one word-start token.
 * Claude's tokenizers are not public: on the 143-text calibration corpus the reference counts
 * (ctok) reached 1.07 tokens per byte (Zalgo text) and 2 tokens for a one-byte text, so the
 * bound is 1.1 per byte plus 2. Unknown providers take the largest of these.
 */
export function promptTokenBound(bytes: number, family: HeuristicTokenFamily): number {
  if (bytes === 0) return 0;
  if (family === 'mistral') return bytes;
  return Math.ceil((bytes * 11) / 10) + 2;
}

// Exact counting costs up to a few microseconds a character on text the tokenizer finds hard
// (base64, long runs), all of it blocking the event loop: 49,000,000 characters of base64 took
// 158 s. Longer texts are counted as their UTF-8 length, which no byte-level BPE count exceeds
// (every token is at least one byte); a million characters is beyond most context windows.
const EXACT_COUNT_MAX_LENGTH = 1_000_000;

/**
 * How long one Mistral count may take, in CPU time. A count runs on the caller's thread: prose
 * counts at about 40 MB/s, half a million characters in 12 ms, but a text that defeats the
 * merge caches (no word repeats: random letters of several scripts) takes up to 0.3 µs a byte.
 * What is not counted by then is held at its UTF-8 length, which takes up to 5 ms more for a
 * million characters; with the last piece counted past the deadline, the longest count
 * measured was under 50 ms (`bench/tekken-counts.mjs`).
 */
export const TEKKEN_TIME_BUDGET_MS = 25;

function tekkenCount(text: string): TokenCount {
  const { tokens, counted } = tekkenCountWithin(text, TEKKEN_TIME_BUDGET_MS);
  if (counted === text.length) return { tokens, method: 'exact', upperBound: tokens };
  const bound = tokens + utf8Length(text.slice(counted));
  return { tokens: bound, method: 'heuristic', upperBound: bound };
}

// A count cut short by the time budget is not kept: the next call may count more of the text.
const keepExact = (counted: TokenCount): boolean => counted.method === 'exact';

function utf8Length(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

// gpt-tokenizer's byte-pair merging is quadratic in the length of one pre-token: 100,000
// characters without a space ('aaaa…') took 3 s, 400,000 took 55 s, all of it blocking the
// event loop. So the text is counted in pieces of at most this many characters.
const MAX_PIECE_LENGTH = 1_000;

/**
 * The pieces the exact count is the sum of. A piece ends, where it can, just before a space
 * that stands between two non-space characters: the tokenizer's pre-tokenizer always starts a
 * new pre-token there (the space opens the next word, number or punctuation), so the sum is
 * the exact count of the whole text. A run longer than a piece with no such space (a single
 * pre-token) is cut anyway: merges across the cut are lost, which only adds tokens.
 */
export function tokenizerPieces(text: string): string[] {
  const pieces: string[] = [];
  let start = 0;
  let lastBoundary = -1;
  for (let index = 1; index < text.length; index++) {
    if (
      text.charCodeAt(index) === 0x20 &&
      index + 1 < text.length &&
      !isSpace(text[index - 1]!) &&
      !isSpace(text[index + 1]!)
    )
      lastBoundary = index;
    if (index - start >= MAX_PIECE_LENGTH) {
      const end = lastBoundary > start ? lastBoundary : index;
      pieces.push(text.slice(start, end));
      start = end;
    }
  }
  pieces.push(text.slice(start));
  return pieces;
}

const SPACE = /\s/;

function isSpace(character: string): boolean {
  return SPACE.test(character);
}

function countInPieces(encoder: Encoder, text: string): number {
  if (text.length <= MAX_PIECE_LENGTH) return encoder.countTokens(text, AS_PLAIN_TEXT);
  let tokens = 0;
  for (const piece of tokenizerPieces(text)) tokens += encoder.countTokens(piece, AS_PLAIN_TEXT);
  return tokens;
}

// Apps resend the same long system prompts and conversation prefixes on every call; an
// exact count of a long text costs tens of microseconds (the heuristic, several), a lookup far less.
// The cache keeps the texts themselves, so it is bounded in characters as well as in entries:
// with entries alone, 200 distinct 2,000,000-character prompts kept 407 MB alive, and distinct
// prompts just under the 50,000,000-character limit could exhaust the heap.
const CACHED_TEXT_MIN_LENGTH = 256;
const CACHE_SIZE = 512;
const CACHE_CHARACTERS = 8_000_000;
const CACHED_TEXT_MAX_LENGTH = CACHE_CHARACTERS / 16;

interface CountCache {
  readonly counts: Map<string, TokenCount>;
  characters: number;
}
const countedBy = new Map<string, CountCache>();

/** Characters of text the count cache holds for one tokenizer (`o200k_base`, `anthropic`, …), for tests. */
export function cachedTextCharacters(tokenizer: string): number {
  return countedBy.get(tokenizer)?.characters ?? 0;
}

/** A least-recently-used cache of counts of long texts, keyed by the text itself, one per tokenizer. */
function cachedCount(
  tokenizer: string,
  text: string,
  count: () => TokenCount,
  keep: (counted: TokenCount) => boolean = () => true,
): TokenCount {
  if (text.length < CACHED_TEXT_MIN_LENGTH || text.length > CACHED_TEXT_MAX_LENGTH) return count();
  let cache = countedBy.get(tokenizer);
  if (!cache) {
    cache = { counts: new Map(), characters: 0 };
    countedBy.set(tokenizer, cache);
  }
  const hit = cache.counts.get(text);
  if (hit !== undefined) {
    cache.counts.delete(text);
    cache.counts.set(text, hit);
    return hit;
  }
  const counted = count();
  if (!keep(counted)) return counted;
  while (cache.counts.size >= CACHE_SIZE || cache.characters + text.length > CACHE_CHARACTERS) {
    const oldest = cache.counts.keys().next().value!;
    cache.counts.delete(oldest);
    cache.characters -= oldest.length;
  }
  cache.counts.set(text, counted);
  cache.characters += text.length;
  return counted;
}

// Mistral models of this era use SentencePiece (mistral-common's model table: v1, v2, v3 and v7
// SentencePiece tokenizers), which Tekken's counts and the Tekken-calibrated weights under-count.
// Everything else Mistral serves now is on Tekken. mistral-small-2409 is listed as Tekken there
// but stays on the bound as before: its tokenizer could not be checked here, and a SentencePiece
// prompt counted with Tekken could be held too low.
const MISTRAL_SENTENCEPIECE =
  /^(mistral-large-24|pixtral-large|mistral-medium-23|mistral-small-2(3|40[29])|codestral-2405|codestral-mamba|open-codestral-mamba|mathstral|open-mistral-7b|open-mixtral|mistral-tiny|mistral-7b)/;

function heuristicFamilyFor(provider: string, model: string): HeuristicTokenFamily {
  if (provider === 'anthropic') return 'anthropic';
  if (provider === 'mistral' && !MISTRAL_SENTENCEPIECE.test(model)) return 'mistral';
  return 'generic';
}

function openAiEncodingFor(provider: string, model: string): 'o200k_base' | 'cl100k_base' | undefined {
  if (provider !== 'openai' && provider !== 'azure') return undefined;
  if (
    /^(gpt-4o|gpt-4\.1|gpt-4\.5|gpt-5|o\d|chatgpt-4o|gpt-image|gpt-realtime|gpt-audio|gpt-oss|codex)/.test(
      model,
    )
  )
    return 'o200k_base';
  if (/^(gpt-4|gpt-3\.5|text-embedding|davinci|babbage)/.test(model)) return 'cl100k_base';
  return 'o200k_base';
}

function loadEncoder(encoding: 'o200k_base' | 'cl100k_base'): Encoder {
  let encoder = encoders.get(encoding);
  if (!encoder) {
    encoder = loadOnFirstUse<Encoder>(`gpt-tokenizer/encoding/${encoding}`);
    encoders.set(encoding, encoder);
  }
  return encoder;
}
