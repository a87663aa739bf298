import type { ResolvedPrice } from '../catalog/model-price';
import type { PriceCatalog } from '../catalog/price-catalog';
import { serviceFallbackPrice } from '../catalog/fallback-prices';
import { type Cost, calculateCost } from '../cost/calculate-cost';
import { minimalCost } from '../cost/price-usage';
import {
  validateCount,
  validateDate,
  validateId,
  validateOneOf,
  validateQuantity,
} from '../errors/validation';
import { ValidationError } from '../errors/validation-error';
import { renamedFields } from '../deprecation/renamed-fields';
import { nanoToUsd, type NanoUsd } from '../money/money';
import { SERVICE_TYPES, type ServiceType, type Usage, createUsage, isEmptyUsage, tokenUsage } from '../usage';
import { countTokens, type TokenCountMethod } from './token-counter';

/** What is known about a call before it is made. */
export interface EstimateRequest {
  provider: string;
  model: string;
  /** Taken from the catalog when omitted; `llm` for unknown models. */
  service?: ServiceType;
  /** Prompt tokens, when already known. */
  inputTokens?: number;
  /** Prompt text to count when `inputTokens` is not given (text-to-speech: the text to speak). */
  text?: string | readonly string[];
  /** Extra tokens per request for message framing (chat formats add a few per message). */
  overheadTokens?: number;
  /** The call's output limit; the model's maximum output when absent. */
  maxOutputTokens?: number;
  audioSeconds?: number;
  /** Size of an audio file whose duration is unknown; converted with `assumedAudioKbps`. */
  audioBytes?: number;
  /** Bitrate assumed for `audioBytes` (default 64 kbps, typical of compressed speech; lower bitrates under-estimate). */
  assumedAudioKbps?: number;
  characters?: number;
  images?: number;
  pages?: number;
  at?: Date;
}

/** Which fallback layer priced an estimate: the model's own price, a generic price for its service, or the minimal $0.01. */
export type EstimateLayer = 'model-price' | 'service-fallback' | 'minimal-fallback';

/**
 * How prompt text whose tokens cannot be counted exactly here (Anthropic, Mistral, unknown
 * providers) is priced: at its upper bound (`upper-bound`, the default: the estimate is a true
 * worst case, so a reservation covers whatever the provider counts), or at the heuristic's best
 * guess (`likely`: smaller holds, but a text the heuristic under-counts can cost more than was
 * reserved). Exact counts and given token counts are the same either way.
 */
export type PromptTokenPricing = 'upper-bound' | 'likely';

/** The original system's estimate fields, plus how the figure was reached. */
export interface Estimate {
  readonly costNano: NanoUsd;
  readonly costUsd: number;
  readonly provider: string;
  /** The model as asked for. */
  readonly model: string;
  /** The catalog id it is priced with (`gpt-4o` for `gpt-4o-2024-08-06`), or the model itself when unknown. */
  readonly catalogModel: string;
  readonly serviceType: ServiceType;
  readonly tokensEstimated: number;
  /** The prompt tokens priced: the upper bound of text that was not counted exactly, unless priced `likely`. */
  readonly inputTokens: number;
  /** The best guess of the prompt's tokens (equal to `inputTokens` when counted exactly or given). */
  readonly likelyInputTokens: number;
  readonly outputTokens: number;
  readonly confidence: number;
  readonly layer: EstimateLayer;
  readonly tokenCount: TokenCountMethod | 'given';
  /** The worst-case usage that was priced. */
  readonly usage: Usage;
  readonly breakdown: Cost;
  readonly local: boolean;
  /** The catalog price used, when the model is known. */
  readonly resolved?: ResolvedPrice;
  /** @deprecated Use `costNano` (or `costUsd`). */
  readonly cost: NanoUsd;
}

const ESTIMATE = renamedFields<Estimate>('Estimate', { cost: 'costNano' });

/** The confidence of an estimate by the layer that priced it. */
export const CONFIDENCE = { 'model-price': 0.9, 'service-fallback': 0.5, 'minimal-fallback': 0.1 } as const;

const DEFAULT_AUDIO_KBPS = 64;
// Token-priced speech models bill about 1,000 audio tokens a minute (OpenAI's
// published per-minute equivalents of gpt-4o(-mini)-transcribe and -tts).
const AUDIO_TOKENS_PER_SECOND = 17;
const TRANSCRIPT_TOKENS_PER_SECOND = 4;
const SPEECH_AUDIO_TOKENS_PER_CHARACTER = 1.5;
const MAX_TEXT_CHARACTERS = 50_000_000;
const NO_TEXTS: readonly string[] = [];
const COUNTED_FIELDS = ['maxOutputTokens', 'characters', 'images', 'pages'] as const;

/** `now` is used when the request names no time (`at`). */
export function estimateWithCatalog(
  catalog: PriceCatalog,
  request: EstimateRequest,
  now?: Date,
  promptTokens: PromptTokenPricing = 'upper-bound',
): Estimate {
  if (request.provider === undefined) throw missingProviderError(catalog, request.model);
  const provider = validateId(request.provider, 'provider');
  const model = validateId(request.model, 'model');
  const at = request.at === undefined ? (now ?? new Date()) : validateDate(request.at, 'at');
  const resolved = catalog.resolve(provider, model, at);
  const service =
    request.service === undefined
      ? (resolved?.service ?? 'llm')
      : validateOneOf(request.service, 'service', SERVICE_TYPES);

  const { usage, tokenCount, promptTokensAboveLikely } = worstCaseUsage(
    request,
    service,
    resolved,
    provider,
    model,
    promptTokens,
  );

  let breakdown: Cost | undefined;
  let layer: EstimateLayer = 'model-price';
  if (resolved) {
    const cost = calculateCost(usage, resolved);
    if (cost.total > 0 || resolved.local || (isEmptyUsage(usage) && cost.unpriced.length === 0))
      breakdown = cost;
  }
  if (!breakdown && !isEmptyUsage(usage)) {
    const fallback = calculateCost(usage, serviceFallbackPrice(provider, model, service));
    if (fallback.total > 0) {
      breakdown = fallback;
      layer = 'service-fallback';
    }
  }
  if (!breakdown) {
    breakdown = minimalCost(provider, model, service);
    layer = 'minimal-fallback';
  }
  // The original system: an LLM estimate with nothing to count is $0 with low confidence.
  const nothingToPrice = isEmptyUsage(usage) && resolved !== undefined && !resolved.local;
  // Field by field on the class that serves the old names: this is every gate's path.
  const estimate = new ESTIMATE() as { -readonly [K in keyof Estimate]: Estimate[K] };
  estimate.costNano = breakdown.total;
  estimate.costUsd = nanoToUsd(breakdown.total);
  estimate.provider = resolved?.provider ?? provider;
  estimate.model = model;
  estimate.catalogModel = resolved?.model ?? model;
  estimate.serviceType = service;
  estimate.tokensEstimated = usage.input.total + usage.output.total;
  estimate.inputTokens = usage.input.total;
  estimate.likelyInputTokens = Math.max(0, usage.input.total - promptTokensAboveLikely);
  estimate.outputTokens = usage.output.total;
  estimate.confidence = nothingToPrice ? CONFIDENCE['minimal-fallback'] : CONFIDENCE[layer];
  estimate.layer = layer;
  estimate.tokenCount = tokenCount;
  estimate.usage = usage;
  estimate.breakdown = breakdown;
  estimate.local = resolved?.local === true;
  if (resolved) estimate.resolved = resolved;
  return estimate;
}

function worstCaseUsage(
  request: EstimateRequest,
  service: ServiceType,
  resolved: ResolvedPrice | undefined,
  provider: string,
  model: string,
  promptTokens: PromptTokenPricing,
): { usage: Usage; tokenCount: TokenCountMethod | 'given'; promptTokensAboveLikely: number } {
  validateUnusedNumbers(request);
  let inputTokens: number;
  let likelyInputTokens: number;
  let tokenCount: TokenCountMethod | 'given' = 'given';
  if (request.text !== undefined && typeof request.text !== 'string' && !Array.isArray(request.text)) {
    throw new ValidationError({ field: 'text', message: 'must be a string or an array of strings' });
  }
  const texts =
    request.text === undefined ? NO_TEXTS : typeof request.text === 'string' ? [request.text] : request.text;
  let characters = 0;
  for (let index = 0; index < texts.length; index++) {
    const text = texts[index];
    if (typeof text !== 'string')
      throw new ValidationError({ field: `text[${index}]`, message: 'must be a string' });
    characters += text.length;
  }
  if (characters > MAX_TEXT_CHARACTERS) validateCount(characters, 'text.length', MAX_TEXT_CHARACTERS);
  if (request.inputTokens !== undefined) {
    inputTokens = validateCount(request.inputTokens, 'inputTokens');
    likelyInputTokens = inputTokens;
  } else {
    inputTokens = 0;
    likelyInputTokens = 0;
    tokenCount = 'exact';
    for (const text of texts) {
      const counted = countTokens(text, provider, model);
      inputTokens += promptTokens === 'upper-bound' ? counted.upperBound : counted.tokens;
      likelyInputTokens += counted.tokens;
      if (counted.method === 'heuristic') tokenCount = 'heuristic';
    }
  }
  if (request.overheadTokens !== undefined) {
    const overhead = validateCount(request.overheadTokens, 'overheadTokens');
    inputTokens += overhead;
    likelyInputTokens += overhead;
  }
  const usage = worstCaseUsageOf(request, service, resolved, inputTokens, characters);
  return { usage, tokenCount, promptTokensAboveLikely: inputTokens - likelyInputTokens };
}

function worstCaseUsageOf(
  request: EstimateRequest,
  service: ServiceType,
  resolved: ResolvedPrice | undefined,
  inputTokens: number,
  characters: number,
): Usage {
  const rates = resolved?.price.rates ?? {};
  switch (service) {
    case 'llm': {
      const output =
        request.maxOutputTokens === undefined
          ? (resolved?.maxOutputTokens ?? 8_192)
          : validateCount(request.maxOutputTokens, 'maxOutputTokens');
      return tokenUsage(inputTokens, output);
    }
    case 'embedding':
      return tokenUsage(inputTokens, 0);
    case 'stt': {
      const seconds = audioSecondsOf(request);
      if (rates.audio || !rates.input) return createUsage({ audioSeconds: seconds });
      const audioTokens = Math.ceil(seconds * AUDIO_TOKENS_PER_SECOND);
      return createUsage({
        inputTokens: inputTokens + audioTokens,
        inputAudioTokens: audioTokens,
        outputTokens: Math.ceil(seconds * TRANSCRIPT_TOKENS_PER_SECOND),
      });
    }
    case 'tts': {
      const spoken =
        request.characters === undefined ? characters : validateCount(request.characters, 'characters');
      if (rates.character || !rates.input) return createUsage({ characters: spoken });
      const audioTokens = Math.ceil(spoken * SPEECH_AUDIO_TOKENS_PER_CHARACTER);
      return createUsage({ inputTokens, outputTokens: audioTokens, outputAudioTokens: audioTokens });
    }
    case 'image':
      return createUsage({
        inputTokens: rates.input ? inputTokens : 0,
        images: validateCount(request.images ?? 1, 'images'),
      });
    case 'ocr':
      return createUsage({ pages: validateCount(request.pages ?? 1, 'pages') });
  }
}

/** Numbers a service does not use are checked too: a NaN anywhere in a request is a caller's bug, not a default. */
function validateUnusedNumbers(request: EstimateRequest): void {
  for (const field of COUNTED_FIELDS) if (request[field] !== undefined) validateCount(request[field], field);
  if (request.audioBytes !== undefined) validateCount(request.audioBytes, 'audioBytes', 10 * 1024 ** 3);
  if (request.audioSeconds !== undefined) validateQuantity(request.audioSeconds, 'audioSeconds', 1e7);
  if (request.assumedAudioKbps !== undefined)
    validateQuantity(request.assumedAudioKbps, 'assumedAudioKbps', 10_000);
}

function audioSecondsOf(request: EstimateRequest): number {
  if (request.audioSeconds !== undefined) return validateQuantity(request.audioSeconds, 'audioSeconds', 1e7);
  if (request.audioBytes !== undefined) {
    const bytes = validateCount(request.audioBytes, 'audioBytes', 10 * 1024 ** 3);
    const kbps =
      validateQuantity(request.assumedAudioKbps ?? DEFAULT_AUDIO_KBPS, 'assumedAudioKbps', 10_000) ||
      DEFAULT_AUDIO_KBPS;
    return (bytes * 8) / (kbps * 1000);
  }
  return 0;
}

/** A request without a provider: named with the provider that prices its model, when one does. */
function missingProviderError(catalog: PriceCatalog, model: unknown): ValidationError {
  const provider = typeof model === 'string' && model !== '' ? catalog.providerOf(model) : undefined;
  return new ValidationError({
    field: 'provider',
    message:
      provider === undefined
        ? "is required: the provider whose prices apply ('openai', 'anthropic', 'mistral', 'google'…)"
        : `is required: the provider whose prices apply (this model's is '${provider}')`,
  });
}
