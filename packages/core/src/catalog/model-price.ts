import type { Rate } from '../money/money';
import type { ServiceType } from '../usage';

/**
 * What a price line is charged on. Token components are per token; `audio` is per
 * millisecond of audio; `character`, `image`, `page`, `request` and `webSearch` per item.
 */
export const PRICE_COMPONENTS = [
  'input',
  'output',
  'cacheRead',
  'cacheWrite',
  'cacheWrite1h',
  'inputAudio',
  'outputAudio',
  'audio',
  'character',
  'image',
  'page',
  'request',
  'webSearch',
] as const;
/** One of `PRICE_COMPONENTS`. */
export type PriceComponent = (typeof PRICE_COMPONENTS)[number];

/** The rates of a price, by component. */
export type Rates = Readonly<Partial<Record<PriceComponent, Rate>>>;

/** An exact model price. When `input.total` exceeds a tier's threshold, its rates replace the base ones for the whole call. */
export interface ModelPrice {
  readonly rates: Rates;
  readonly tiers: readonly { readonly aboveInputTokens: number; readonly rates: Rates }[];
}

/** Which layer of the catalog a price came from. */
export type PriceSource = 'user' | 'tollgate' | 'genai-prices' | 'service-fallback' | 'minimal-fallback';

/** A model's price as resolved for one call. */
export interface ResolvedPrice {
  readonly provider: string;
  /** The catalog's canonical id (`gpt-4o` for `gpt-4o-2024-08-06`). */
  readonly model: string;
  readonly service: ServiceType;
  readonly price: ModelPrice;
  readonly source: PriceSource;
  /** Runs on the app's own hardware (Ollama): $0 on purpose, not because it is unpriced. */
  readonly local: boolean;
  readonly contextWindow?: number;
  readonly maxOutputTokens?: number;
}

/**
 * A price as people write it, in USD. Every field is optional; an omitted field is
 * not charged. Converted to exact `ModelPrice` rates by `toModelPrice`.
 */
export interface PriceInUsd {
  inputPerMTok?: number;
  outputPerMTok?: number;
  cacheReadPerMTok?: number;
  cacheWritePerMTok?: number;
  cacheWrite1hPerMTok?: number;
  inputAudioPerMTok?: number;
  outputAudioPerMTok?: number;
  perAudioMinute?: number;
  perMillionCharacters?: number;
  perImage?: number;
  perThousandPages?: number;
  perRequest?: number;
  perThousandWebSearches?: number;
  /** Long-context tiers: above this many input tokens the tier's prices apply to the whole call. */
  tiers?: { aboveInputTokens: number; prices: Omit<PriceInUsd, 'tiers'> }[];
}
