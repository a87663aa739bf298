import { optionKeys, rejectUnknownKeys } from './errors/reject-unknown-keys';
import { validateCount, validatePlainObject, validateQuantity } from './errors/validation';
import { ValidationError } from './errors/validation-error';

/** The kinds of AI service tollgate prices. */
export const SERVICE_TYPES = ['llm', 'embedding', 'stt', 'tts', 'image', 'ocr'] as const;
/** What kind of call this is: chat/completions, embeddings, speech-to-text, text-to-speech, images, OCR. */
export type ServiceType = (typeof SERVICE_TYPES)[number];

/**
 * What one call used, normalized across providers. Providers disagree on what
 * "input tokens" means (OpenAI's `prompt_tokens` includes cached tokens, Anthropic's
 * `input_tokens` excludes them); adapters convert into this one shape.
 *
 * - `input.total = input.noCache + input.cacheRead + input.cacheWrite`
 * - `input.cacheWrite1h` is the part of `cacheWrite` written with a one-hour lifetime
 * - `input.audio` is the part of `noCache` that is audio tokens (priced separately when the model does)
 * - `output.reasoning` and `output.audio` are parts of `output.total`
 */
export interface Usage {
  readonly specificationVersion: 'v1';
  readonly input: {
    readonly total: number;
    readonly noCache: number;
    readonly cacheRead: number;
    readonly cacheWrite: number;
    readonly cacheWrite1h: number;
    readonly audio: number;
  };
  readonly output: { readonly total: number; readonly reasoning: number; readonly audio: number };
  readonly audioSeconds: number;
  readonly characters: number;
  readonly pages: number;
  readonly images: number;
  readonly webSearches: number;
  /** The provider's own usage object, for debugging; never persisted by stores. */
  readonly raw?: unknown;
}

/** The counts a caller gives `createUsage`; any left out are 0. */
export interface UsageInput {
  inputTokens?: number;
  cacheReadTokens?: number;
  cacheWriteTokens?: number;
  cacheWrite1hTokens?: number;
  inputAudioTokens?: number;
  outputTokens?: number;
  reasoningTokens?: number;
  outputAudioTokens?: number;
  audioSeconds?: number;
  characters?: number;
  pages?: number;
  images?: number;
  webSearches?: number;
  raw?: unknown;
}

const USAGE_INPUT_KEYS = optionKeys<UsageInput>({
  inputTokens: true,
  cacheReadTokens: true,
  cacheWriteTokens: true,
  cacheWrite1hTokens: true,
  inputAudioTokens: true,
  outputTokens: true,
  reasoningTokens: true,
  outputAudioTokens: true,
  audioSeconds: true,
  characters: true,
  pages: true,
  images: true,
  webSearches: true,
  raw: true,
});

/** The usages `createUsage` built: frozen, so that `toUsage` can take them without checking them again. */
const checkedUsages = new WeakSet<Usage>();

/**
 * Builds a validated `Usage`, frozen. `inputTokens` is the uncached input; cached reads and
 * writes are added to make `input.total`. Each part is validated, so a NaN or
 * negative count from a provider is a `ValidationError`, never a silent $0.
 */
export function createUsage(input: UsageInput = {}): Usage {
  validatePlainObject(input, 'usage');
  rejectUnknownKeys(input, USAGE_INPUT_KEYS, 'usage');
  const noCache = count(input.inputTokens, 'usage.inputTokens');
  const cacheRead = count(input.cacheReadTokens, 'usage.cacheReadTokens');
  const cacheWrite = count(input.cacheWriteTokens, 'usage.cacheWriteTokens');
  const cacheWrite1h = count(input.cacheWrite1hTokens, 'usage.cacheWrite1hTokens');
  const inputAudio = count(input.inputAudioTokens, 'usage.inputAudioTokens');
  const outputTotal = count(input.outputTokens, 'usage.outputTokens');
  const reasoning = count(input.reasoningTokens, 'usage.reasoningTokens');
  const outputAudio = count(input.outputAudioTokens, 'usage.outputAudioTokens');
  if (cacheWrite1h > cacheWrite) {
    throw new ValidationError({
      field: 'usage.cacheWrite1hTokens',
      message: 'must not exceed cacheWriteTokens',
    });
  }
  if (inputAudio > noCache)
    throw new ValidationError({ field: 'usage.inputAudioTokens', message: 'must not exceed inputTokens' });
  if (reasoning + outputAudio > outputTotal) {
    throw new ValidationError({
      field: 'usage.reasoningTokens',
      message: 'reasoning and audio output must not exceed outputTokens',
    });
  }
  const usage: Usage = {
    specificationVersion: 'v1',
    input: Object.freeze({
      total: noCache + cacheRead + cacheWrite,
      noCache,
      cacheRead,
      cacheWrite,
      cacheWrite1h,
      audio: inputAudio,
    }),
    output: Object.freeze({ total: outputTotal, reasoning, audio: outputAudio }),
    audioSeconds: validateQuantity(
      input.audioSeconds === undefined ? 0 : input.audioSeconds,
      'usage.audioSeconds',
      1e9,
    ),
    characters: count(input.characters, 'usage.characters'),
    pages: count(input.pages, 'usage.pages'),
    images: count(input.images, 'usage.images'),
    webSearches: count(input.webSearches, 'usage.webSearches'),
    ...(input.raw === undefined ? {} : { raw: input.raw }),
  };
  checkedUsages.add(Object.freeze(usage));
  return usage;
}

/**
 * A usage of input and output tokens only, as an estimate of a text call holds: the two
 * counts are checked as `createUsage` checks them, the parts that are 0 are not checked again.
 */
export function tokenUsage(inputTokens: number, outputTokens: number): Usage {
  const noCache = count(inputTokens, 'usage.inputTokens');
  const total = count(outputTokens, 'usage.outputTokens');
  return {
    specificationVersion: 'v1',
    input: { total: noCache, noCache, cacheRead: 0, cacheWrite: 0, cacheWrite1h: 0, audio: 0 },
    output: { total, reasoning: 0, audio: 0 },
    audioSeconds: 0,
    characters: 0,
    pages: 0,
    images: 0,
    webSearches: 0,
  };
}

/**
 * A usage handed to tollgate (to `settle`, `recordUsage`, `reportUsage`), checked like
 * one `createUsage` builds: a ready `Usage` is rebuilt from its parts, so a forged one
 * (a negative count, a string, a total that is not the sum of its parts) is refused
 * instead of priced. `UsageInput` is accepted too unless `usageOnly`.
 */
export function toUsage(value: unknown, field: string, options: { usageOnly?: boolean } = {}): Usage {
  // Built by createUsage and frozen since: it is still as it was checked.
  if (checkedUsages.has(value as Usage)) return value as Usage;
  const given = validatePlainObject(value, field);
  if (!('specificationVersion' in given)) {
    if (options.usageOnly)
      throw new ValidationError({ field, message: 'must be a Usage (build one with createUsage)' });
    return createUsage(given as UsageInput);
  }
  if (given.specificationVersion !== 'v1')
    throw new ValidationError({ field: `${field}.specificationVersion`, message: 'must be "v1"' });
  const input = validatePlainObject(given.input, `${field}.input`);
  const output = validatePlainObject(given.output, `${field}.output`);
  const rebuilt = createUsage({
    inputTokens: input.noCache as number,
    cacheReadTokens: input.cacheRead as number,
    cacheWriteTokens: input.cacheWrite as number,
    cacheWrite1hTokens: input.cacheWrite1h as number,
    inputAudioTokens: input.audio as number,
    outputTokens: output.total as number,
    reasoningTokens: output.reasoning as number,
    outputAudioTokens: output.audio as number,
    audioSeconds: given.audioSeconds as number,
    characters: given.characters as number,
    pages: given.pages as number,
    images: given.images as number,
    webSearches: given.webSearches as number,
    raw: given.raw,
  });
  if (input.total !== rebuilt.input.total) {
    throw new ValidationError({
      field: `${field}.input.total`,
      message: 'must be noCache + cacheRead + cacheWrite',
    });
  }
  return rebuilt;
}

/** True when a usage counts nothing at all (no tokens, audio, characters, images or pages). */
export function isEmptyUsage(usage: Usage): boolean {
  return (
    usage.input.total === 0 &&
    usage.output.total === 0 &&
    usage.audioSeconds === 0 &&
    usage.characters === 0 &&
    usage.pages === 0 &&
    usage.images === 0 &&
    usage.webSearches === 0
  );
}

/** Only an absent field counts as 0: a null is as suspect as a NaN and must not become a silent $0. */
function count(value: unknown, field: string): number {
  return validateCount(value === undefined ? 0 : value, field);
}
