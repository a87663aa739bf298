import { validateCount, validateQuantity } from './errors/validation';
import { ValidationError } from './errors/validation-error';

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

/**
 * Builds a validated `Usage`. `inputTokens` is the uncached input; cached reads and
 * writes are added to make `input.total`. Each part is validated, so a NaN or
 * negative count from a provider is a `ValidationError`, never a silent $0.
 */
export function createUsage(input: UsageInput = {}): Usage {
  const noCache = validateCount(input.inputTokens ?? 0, 'usage.inputTokens');
  const cacheRead = validateCount(input.cacheReadTokens ?? 0, 'usage.cacheReadTokens');
  const cacheWrite = validateCount(input.cacheWriteTokens ?? 0, 'usage.cacheWriteTokens');
  const cacheWrite1h = validateCount(input.cacheWrite1hTokens ?? 0, 'usage.cacheWrite1hTokens');
  const inputAudio = validateCount(input.inputAudioTokens ?? 0, 'usage.inputAudioTokens');
  const outputTotal = validateCount(input.outputTokens ?? 0, 'usage.outputTokens');
  const reasoning = validateCount(input.reasoningTokens ?? 0, 'usage.reasoningTokens');
  const outputAudio = validateCount(input.outputAudioTokens ?? 0, 'usage.outputAudioTokens');
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
  return {
    specificationVersion: 'v1',
    input: {
      total: noCache + cacheRead + cacheWrite,
      noCache,
      cacheRead,
      cacheWrite,
      cacheWrite1h,
      audio: inputAudio,
    },
    output: { total: outputTotal, reasoning, audio: outputAudio },
    audioSeconds: validateQuantity(input.audioSeconds ?? 0, 'usage.audioSeconds', 1e9),
    characters: validateCount(input.characters ?? 0, 'usage.characters'),
    pages: validateCount(input.pages ?? 0, 'usage.pages'),
    images: validateCount(input.images ?? 0, 'usage.images'),
    webSearches: validateCount(input.webSearches ?? 0, 'usage.webSearches'),
    ...(input.raw === undefined ? {} : { raw: input.raw }),
  };
}

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
