import type { ServiceType } from '../usage';
import { latestAliasesOf } from './mistral-latest-aliases';
import type { PriceInUsd } from './model-price';

/**
 * One model in tollgate's own price layer, for what `@pydantic/genai-prices` lacks or has stale.
 * Written from the providers' public price pages as of 2026-11-01.
 */
export interface CatalogEntry {
  provider: string;
  model: string;
  service: ServiceType;
  prices: PriceInUsd;
  /** Other ids (dated ids, `-latest` aliases) that resolve to this entry. */
  aliases?: string[];
  local?: boolean;
  contextWindow?: number;
  maxOutputTokens?: number;
  /** ISO date from which this price applies; the newest entry not after the call's time wins. */
  effectiveFrom?: string;
}

/** The date tollgate's own prices were last checked against the providers' price pages. */
export const TOLLGATE_PRICES_AS_OF = '2026-11-01';

export const TOLLGATE_PRICES: readonly CatalogEntry[] = [
  // OpenAI text-to-speech: billed per input character (tts-1, tts-1-hd); gpt-4o-mini-tts
  // is billed per text input token and per audio output token.
  { provider: 'openai', model: 'tts-1', service: 'tts', prices: { perMillionCharacters: 15 } },
  { provider: 'openai', model: 'tts-1-hd', service: 'tts', prices: { perMillionCharacters: 30 } },
  {
    provider: 'openai',
    model: 'gpt-4o-mini-tts',
    service: 'tts',
    prices: { inputPerMTok: 0.6, outputAudioPerMTok: 12 },
  },
  { provider: 'openai', model: 'dall-e-3', service: 'image', prices: { perImage: 0.04 } },
  { provider: 'openai', model: 'dall-e-2', service: 'image', prices: { perImage: 0.02 } },
  {
    provider: 'openai',
    model: 'gpt-image-1',
    service: 'image',
    prices: { inputPerMTok: 5, perImage: 0.042 },
  },

  // Mistral: speech (Voxtral) per audio minute, the dated models its `-latest` aliases serve
  // (mistral-latest-aliases.ts), and cached prompt tokens at 10% of the input price (Mistral's
  // prompt caching; the bundled data has the models but some aliases stale or missing).
  {
    provider: 'mistral',
    model: 'voxtral-mini-2507',
    service: 'stt',
    aliases: ['voxtral-mini-transcribe-2507'],
    prices: { perAudioMinute: 0.001 },
  },
  {
    provider: 'mistral',
    model: 'voxtral-mini-latest',
    service: 'stt',
    aliases: ['voxtral-mini-transcribe-latest', 'voxtral-mini-2602'],
    prices: { perAudioMinute: 0.003 },
  },
  {
    provider: 'mistral',
    model: 'voxtral-small-latest',
    service: 'stt',
    aliases: ['voxtral-small-2507'],
    prices: { perAudioMinute: 0.004, inputPerMTok: 0.1, cacheReadPerMTok: 0.01, outputPerMTok: 0.3 },
  },
  // Output raised from $0.30 to $0.40 per MTok on 2026-08-11 (the bundled data has the change but no audio price).
  {
    provider: 'mistral',
    model: 'voxtral-small-latest',
    service: 'stt',
    aliases: ['voxtral-small-2507'],
    prices: { perAudioMinute: 0.004, inputPerMTok: 0.1, cacheReadPerMTok: 0.01, outputPerMTok: 0.4 },
    effectiveFrom: '2026-08-11',
  },
  mistralChat(
    'mistral-large-2512',
    { input: 0.5, cacheRead: 0.05, output: 1.5 },
    { aliases: ['mistral-large-3'], contextWindow: 256_000, maxOutputTokens: 32_768 },
  ),
  mistralChat(
    'mistral-medium-2604',
    { input: 1.5, cacheRead: 0.15, output: 7.5 },
    { aliases: ['mistral-medium-3.5', 'mistral-medium-3-5'], contextWindow: 262_144 },
  ),
  mistralChat(
    'mistral-small-2603',
    { input: 0.15, cacheRead: 0.015, output: 0.6 },
    { contextWindow: 262_144 },
  ),
  mistralChat('codestral-2508', { input: 0.3, cacheRead: 0.03, output: 0.9 }, { contextWindow: 128_000 }),
  mistralChat('devstral-2512', { input: 0.4, cacheRead: 0.04, output: 2 }, { contextWindow: 256_000 }),
  mistralChat(
    'labs-devstral-small-2512',
    { input: 0.1, cacheRead: 0.01, output: 0.3 },
    { contextWindow: 256_000 },
  ),
  mistralChat('ministral-3b-2512', { input: 0.1, cacheRead: 0.01, output: 0.1 }, { contextWindow: 131_072 }),
  mistralChat(
    'ministral-8b-2512',
    { input: 0.15, cacheRead: 0.015, output: 0.15 },
    { contextWindow: 262_144 },
  ),
  mistralChat('ministral-14b-2512', { input: 0.2, cacheRead: 0.02, output: 0.2 }, { contextWindow: 262_144 }),
  mistralChat('pixtral-large-2411', { input: 2, cacheRead: 0.2, output: 6 }, { contextWindow: 128_000 }),
  {
    provider: 'mistral',
    model: 'codestral-embed-2505',
    service: 'embedding',
    aliases: ['codestral-embed'],
    prices: { inputPerMTok: 0.15 },
  },
  // OCR is not listed here: the bundled data prices each version per page ($1 per 1,000 pages for
  // mistral-ocr-2505, $2 for mistral-ocr-2512) and moves `mistral-ocr-latest` between them by date.

  // Qwen through DashScope's OpenAI-compatible mode (international endpoint, first price tier).
  {
    provider: 'qwen',
    model: 'qwen-max',
    service: 'llm',
    aliases: ['qwen-max-latest'],
    prices: { inputPerMTok: 1.6, outputPerMTok: 6.4 },
    contextWindow: 32_768,
    maxOutputTokens: 8_192,
  },
  // Qwen3-Max is a different model from qwen-max, priced by the input length of the call (K = 1,024 tokens).
  {
    provider: 'qwen',
    model: 'qwen3-max',
    service: 'llm',
    aliases: ['qwen3-max-preview'],
    prices: {
      inputPerMTok: 1.2,
      outputPerMTok: 6,
      tiers: [
        { aboveInputTokens: 32_768, prices: { inputPerMTok: 2.4, outputPerMTok: 12 } },
        { aboveInputTokens: 131_072, prices: { inputPerMTok: 3, outputPerMTok: 15 } },
      ],
    },
    contextWindow: 262_144,
    maxOutputTokens: 65_536,
  },
  {
    provider: 'qwen',
    model: 'qwen-plus',
    service: 'llm',
    aliases: ['qwen-plus-latest'],
    prices: { inputPerMTok: 0.4, outputPerMTok: 1.2 },
    contextWindow: 131_072,
    maxOutputTokens: 8_192,
  },
  {
    provider: 'qwen',
    model: 'qwen-turbo',
    service: 'llm',
    aliases: ['qwen-turbo-latest'],
    prices: { inputPerMTok: 0.05, outputPerMTok: 0.2 },
    contextWindow: 1_000_000,
    maxOutputTokens: 8_192,
  },
  {
    provider: 'qwen',
    model: 'qwen-flash',
    service: 'llm',
    prices: { inputPerMTok: 0.05, outputPerMTok: 0.4 },
    contextWindow: 1_000_000,
    maxOutputTokens: 32_768,
  },
  { provider: 'qwen', model: 'text-embedding-v3', service: 'embedding', prices: { inputPerMTok: 0.07 } },

  // IBM Watson speech (Plus plan): speech to text per minute, text to speech per character.
  {
    provider: 'ibm_watson',
    model: 'speech-to-text',
    service: 'stt',
    aliases: ['en-US_Multimedia', 'en-US_Telephony', 'en-US_BroadbandModel'],
    prices: { perAudioMinute: 0.02 },
  },
  {
    provider: 'ibm_watson',
    model: 'text-to-speech',
    service: 'tts',
    aliases: ['en-US_AllisonV3Voice', 'en-US_MichaelV3Voice'],
    prices: { perMillionCharacters: 20 },
  },
];

/**
 * Largest output per family, used as the worst case when a call sets no `max_tokens`.
 * The first matching prefix wins; anything else falls back to `DEFAULT_MAX_OUTPUT_TOKENS`.
 */
export const MAX_OUTPUT_TOKENS_BY_PREFIX: readonly [prefix: string, tokens: number][] = [
  ['claude-opus-4-0', 32_000],
  ['claude-opus-4-1', 32_000],
  ['claude-opus', 64_000],
  ['claude-sonnet', 64_000],
  ['claude-haiku-4', 64_000],
  ['claude-3-7-sonnet', 64_000],
  ['claude-3-5', 8_192],
  ['claude-3', 4_096],
  ['gpt-4o', 16_384],
  ['gpt-4.1', 32_768],
  ['gpt-5', 128_000],
  ['gpt-4-turbo', 4_096],
  ['gpt-3.5', 4_096],
  ['o1', 100_000],
  ['o3', 100_000],
  ['o4', 100_000],
  ['mistral', 32_768],
  ['magistral', 40_000],
  ['codestral', 32_768],
  ['ministral', 32_768],
  ['pixtral', 32_768],
  ['open-mistral', 32_768],
  // ai.google.dev model cards: 65,536 output tokens from Gemini 2.5 on; 2.0 and 1.5 keep the default.
  ['gemini-2.5', 65_536],
  ['gemini-3', 65_536],
  // api-docs.deepseek.com: the reasoner writes up to 64K tokens (the chat model 8K, the default).
  ['deepseek-reasoner', 65_536],
];
export const DEFAULT_MAX_OUTPUT_TOKENS = 8_192;

export const LOCAL_PROVIDERS: readonly string[] = ['ollama'];

/**
 * A Mistral chat model under the first `-latest` alias that serves it, the id the model registry
 * and earlier records use, with its dated id as an alias. Cached prompt tokens: 10% of input.
 */
function mistralChat(
  dated: string,
  prices: { input: number; cacheRead: number; output: number },
  extra: { aliases?: string[]; contextWindow?: number; maxOutputTokens?: number } = {},
): CatalogEntry {
  const [model = dated, ...otherAliases] = latestAliasesOf(dated);
  return {
    provider: 'mistral',
    model,
    service: 'llm',
    aliases: [...(model === dated ? [] : [dated]), ...otherAliases, ...(extra.aliases ?? [])],
    prices: { inputPerMTok: prices.input, cacheReadPerMTok: prices.cacheRead, outputPerMTok: prices.output },
    ...(extra.contextWindow === undefined ? {} : { contextWindow: extra.contextWindow }),
    ...(extra.maxOutputTokens === undefined ? {} : { maxOutputTokens: extra.maxOutputTokens }),
  };
}
