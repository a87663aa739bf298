import { type NanoUsd, nanoToUsd } from '@tollgate/core';

/** An amount in the JSON output: USD for reading, the exact nano-USD integer for sums. */
export interface MoneyJson {
  readonly usd: number;
  readonly nanoUsd: NanoUsd;
}

export function moneyJson(nanoUsd: NanoUsd): MoneyJson {
  return { usd: nanoToUsd(nanoUsd), nanoUsd };
}
