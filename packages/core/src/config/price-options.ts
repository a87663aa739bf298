import type { UserPrice } from '../catalog/price-catalog';
import {
  type NormalizedPriceUpdateOptions,
  normalizePriceUpdateOptions,
  type PriceUpdateOptions,
} from '../catalog/price-update-options';
import { validateArray, validatePlainObject } from '../errors/validation';
import { optionKeys, rejectUnknownKeys } from '../errors/reject-unknown-keys';

/**
 * `createBudget`'s `prices` as an object: the app's own prices and, for apps with network, the
 * update path of the genai-prices layer. `prices: [...]` (an array) is short for `{ entries: [...] }`.
 */
export interface PriceOptions {
  /** The app's own prices, layered over tollgate's and the genai-prices data. */
  entries?: UserPrice[];
  /** Keeps the genai-prices data fresh from the network (see `PriceUpdateOptions`). */
  update?: PriceUpdateOptions;
}

const PRICE_OPTION_KEYS = optionKeys<PriceOptions>({ entries: true, update: true });

/** `prices` of `createBudget`, an array or a `PriceOptions`, checked. */
export function resolvePriceOptions(value: unknown): {
  entries: UserPrice[] | undefined;
  update: NormalizedPriceUpdateOptions | undefined;
} {
  if (value === undefined) return { entries: undefined, update: undefined };
  if (Array.isArray(value))
    return { entries: validateArray(value, 'prices') as UserPrice[], update: undefined };
  const options = validatePlainObject(value, 'prices');
  rejectUnknownKeys(options, PRICE_OPTION_KEYS, 'prices');
  return {
    entries:
      options.entries === undefined
        ? undefined
        : (validateArray(options.entries, 'prices.entries') as UserPrice[]),
    update:
      options.update === undefined ? undefined : normalizePriceUpdateOptions(options.update, 'prices.update'),
  };
}
