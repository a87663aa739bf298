import { usdToNano } from '../money/money';
import type { ServiceType } from '../usage';
import type { ModelPrice, PriceInUsd, ResolvedPrice } from './model-price';
import { toModelPrice } from './to-model-price';

/**
 * Generic prices per service, for models no layer knows: a flagship's price for each service
 * (an LLM at $3 / $15 per million tokens), above most models but below the premium ones, whose
 * prices must be given (`createBudget({ prices })`). The record is flagged as priced by fallback.
 */
const SERVICE_FALLBACK_PRICES: Record<ServiceType, PriceInUsd> = {
  llm: { inputPerMTok: 3, outputPerMTok: 15, cacheReadPerMTok: 3, cacheWritePerMTok: 3.75 },
  embedding: { inputPerMTok: 0.13 },
  stt: { perAudioMinute: 0.006, inputPerMTok: 2.5, outputPerMTok: 10 },
  tts: { perMillionCharacters: 30, inputPerMTok: 0.6, outputAudioPerMTok: 12 },
  image: { perImage: 0.08, inputPerMTok: 5 },
  ocr: { perThousandPages: 3 },
};

const serviceFallbacks = new Map<ServiceType, ModelPrice>();

export function serviceFallbackPrice(provider: string, model: string, service: ServiceType): ResolvedPrice {
  let price = serviceFallbacks.get(service);
  if (!price) {
    price = toModelPrice(SERVICE_FALLBACK_PRICES[service]);
    serviceFallbacks.set(service, price);
  }
  return { provider, model, service, price, source: 'service-fallback', local: false };
}

/** The original system's last resort: a flat $0.01 per call when nothing else can price it. */
export const MINIMAL_FALLBACK_COST = usdToNano(0.01);
