import { validateCount, validatePlainObject, validateQuantity } from '../errors/validation';
import { ValidationError } from '../errors/validation-error';
import { usdToNano } from '../money/money';
import type { ModelPrice, PriceComponent, PriceInUsd, Rates } from './model-price';

type UsdField = Exclude<keyof PriceInUsd, 'tiers'>;

/** How each USD field maps to a component and how many units its amount is for. */
const FIELDS: Record<UsdField, { component: PriceComponent; per: number }> = {
  inputPerMTok: { component: 'input', per: 1_000_000 },
  outputPerMTok: { component: 'output', per: 1_000_000 },
  cacheReadPerMTok: { component: 'cacheRead', per: 1_000_000 },
  cacheWritePerMTok: { component: 'cacheWrite', per: 1_000_000 },
  cacheWrite1hPerMTok: { component: 'cacheWrite1h', per: 1_000_000 },
  inputAudioPerMTok: { component: 'inputAudio', per: 1_000_000 },
  outputAudioPerMTok: { component: 'outputAudio', per: 1_000_000 },
  perAudioMinute: { component: 'audio', per: 60_000 },
  perMillionCharacters: { component: 'character', per: 1_000_000 },
  perImage: { component: 'image', per: 1 },
  perThousandPages: { component: 'page', per: 1_000 },
  perRequest: { component: 'request', per: 1 },
  perThousandWebSearches: { component: 'webSearch', per: 1_000 },
};

const MAX_USD_PER_UNIT_GROUP = 1_000_000;

export function toModelPrice(prices: PriceInUsd, field = 'price'): ModelPrice {
  validatePlainObject(prices, field);
  if (prices.tiers !== undefined && !Array.isArray(prices.tiers)) {
    throw new ValidationError({ field: `${field}.tiers`, message: 'must be an array' });
  }
  const tiers = (prices.tiers ?? []).map((tier, index) => ({
    aboveInputTokens: validateCount(
      validatePlainObject(tier, `${field}.tiers[${index}]`).aboveInputTokens,
      `${field}.tiers[${index}].aboveInputTokens`,
    ),
    rates: toRates(
      validatePlainObject(tier.prices, `${field}.tiers[${index}].prices`),
      `${field}.tiers[${index}].prices`,
    ),
  }));
  tiers.sort((a, b) => a.aboveInputTokens - b.aboveInputTokens);
  return { rates: toRates(prices, field), tiers };
}

function toRates(prices: Omit<PriceInUsd, 'tiers'>, field: string): Rates {
  const rates: Partial<Record<PriceComponent, { nanoUsd: number; per: number }>> = {};
  for (const [name, value] of Object.entries(prices)) {
    if (name === 'tiers' || value === undefined) continue;
    // Own keys only: `toString` or `constructor` must not find a mapping on Object.prototype.
    const mapping = Object.hasOwn(FIELDS, name) ? FIELDS[name as UsdField] : undefined;
    if (!mapping) {
      // The name is shown for typos, but never at any length.
      const shown = name.length > 64 ? `${name.slice(0, 64)}…` : name;
      throw new ValidationError({ field: `${field}.${shown}`, message: 'is not a known price field' });
    }
    const usd = validateQuantity(value, `${field}.${name}`, MAX_USD_PER_UNIT_GROUP);
    rates[mapping.component] = { nanoUsd: usdToNano(usd), per: mapping.per };
  }
  return rates;
}
