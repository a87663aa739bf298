import type { PriceComponent, PriceInUsd, Rate } from '@tollgate/core';

type PriceField = Exclude<keyof PriceInUsd, 'tiers'>;

/** Each rate component and the price-list unit it is quoted in (the names of core's `PriceInUsd`). */
const QUOTED_AS: Readonly<Record<PriceComponent, { field: PriceField; units: number }>> = {
  input: { field: 'inputPerMTok', units: 1_000_000 },
  output: { field: 'outputPerMTok', units: 1_000_000 },
  cacheRead: { field: 'cacheReadPerMTok', units: 1_000_000 },
  cacheWrite: { field: 'cacheWritePerMTok', units: 1_000_000 },
  cacheWrite1h: { field: 'cacheWrite1hPerMTok', units: 1_000_000 },
  inputAudio: { field: 'inputAudioPerMTok', units: 1_000_000 },
  outputAudio: { field: 'outputAudioPerMTok', units: 1_000_000 },
  // Audio rates are per millisecond.
  audio: { field: 'perAudioMinute', units: 60_000 },
  character: { field: 'perMillionCharacters', units: 1_000_000 },
  image: { field: 'perImage', units: 1 },
  page: { field: 'perThousandPages', units: 1_000 },
  request: { field: 'perRequest', units: 1 },
  webSearch: { field: 'perThousandWebSearches', units: 1_000 },
};

/** Exact rates as a price list writes them, in USD (`{ inputPerMTok: 0.15, outputPerMTok: 0.6 }`). */
export function priceInUsd(
  rates: Readonly<Partial<Record<PriceComponent, Rate>>>,
): Partial<Record<PriceField, number>> {
  const prices: Partial<Record<PriceField, number>> = {};
  for (const [component, rate] of Object.entries(rates) as [PriceComponent, Rate | undefined][]) {
    if (!rate) continue;
    const { field, units } = QUOTED_AS[component];
    // Twelve significant digits drop the float noise of the division; the exact rate stays in `rates`.
    prices[field] = Number(((rate.nanoUsd * units) / rate.per / 1e9).toPrecision(12));
  }
  return prices;
}
