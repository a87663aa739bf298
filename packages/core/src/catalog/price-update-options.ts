import { orDefault, validatePlainObject, validateQuantity } from '../errors/validation';
import { ValidationError } from '../errors/validation-error';
import { optionKeys, rejectUnknownKeys } from '../errors/reject-unknown-keys';

/**
 * genai-prices' own published data (`REMOTE_DATA_JSON_URL` of `@pydantic/genai-prices`), the
 * default source of `prices.update`.
 */
export const DEFAULT_PRICE_DATA_URL =
  'https://raw.githubusercontent.com/pydantic/genai-prices/main/prices/new_data/v2/data.json';

/**
 * Keeps the `@pydantic/genai-prices` layer of the catalog fresh from the network, for apps that
 * have one (`createBudget({ prices: { update: { … } } })`). See the package README, "Keeping
 * prices fresh".
 */
export interface PriceUpdateOptions {
  /** Where the data is fetched from, in genai-prices' format. Default `DEFAULT_PRICE_DATA_URL`. */
  url?: string;
  /**
   * Where the last good data is kept: read at start (so a restart needs no network), written
   * atomically after each good fetch. Default: none (fresh data lives in memory only).
   */
  cacheFile?: string;
  /** Data older than this is fetched again, in the background. Default 24. */
  maxAgeHours?: number;
  /** A fetch with no complete answer after this long is abandoned. Default 30,000. */
  timeoutMs?: number;
  /** A larger response or cache file is refused. Default 16 MiB (the data is about 0.5 MB). */
  maxBytes?: number;
}

/** `PriceUpdateOptions` checked, with every default filled in. */
export interface NormalizedPriceUpdateOptions {
  readonly url: string;
  readonly cacheFile: string | undefined;
  readonly maxAgeMs: number;
  readonly timeoutMs: number;
  readonly maxBytes: number;
}

const UPDATE_KEYS = optionKeys<PriceUpdateOptions>({
  url: true,
  cacheFile: true,
  maxAgeHours: true,
  timeoutMs: true,
  maxBytes: true,
});
const DEFAULT_MAX_BYTES = 16 * 1024 * 1024;

export function normalizePriceUpdateOptions(value: unknown, field: string): NormalizedPriceUpdateOptions {
  const options = validatePlainObject(value, field);
  rejectUnknownKeys(options, UPDATE_KEYS, field);
  const url = orDefault(options.url, DEFAULT_PRICE_DATA_URL);
  if (typeof url !== 'string' || !isHttpUrl(url))
    throw new ValidationError({ field: `${field}.url`, message: 'must be an http or https URL' });
  const cacheFile = options.cacheFile;
  if (
    cacheFile !== undefined &&
    (typeof cacheFile !== 'string' || cacheFile.length === 0 || cacheFile.includes('\0'))
  )
    throw new ValidationError({ field: `${field}.cacheFile`, message: 'must be a file path' });
  const maxAgeHours = validateQuantity(orDefault(options.maxAgeHours, 24), `${field}.maxAgeHours`, 24 * 366);
  const timeoutMs = validateQuantity(orDefault(options.timeoutMs, 30_000), `${field}.timeoutMs`, 3_600_000);
  const maxBytes = validateQuantity(
    orDefault(options.maxBytes, DEFAULT_MAX_BYTES),
    `${field}.maxBytes`,
    1 << 30,
  );
  for (const [name, amount] of [
    ['maxAgeHours', maxAgeHours],
    ['timeoutMs', timeoutMs],
    ['maxBytes', maxBytes],
  ] as const)
    if (amount <= 0) throw new ValidationError({ field: `${field}.${name}`, message: 'must be more than 0' });
  return {
    url,
    cacheFile,
    maxAgeMs: Math.round(maxAgeHours * 3_600_000),
    timeoutMs,
    maxBytes: Math.floor(maxBytes),
  };
}

function isHttpUrl(value: string): boolean {
  try {
    const { protocol } = new URL(value);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}

/** A URL as it may be shown: no credentials, no query (which may hold a token). */
export function shownUrl(value: string): string {
  try {
    const url = new URL(value);
    return `${url.protocol}//${url.host}${url.pathname}`;
  } catch {
    return '(an invalid URL)';
  }
}
