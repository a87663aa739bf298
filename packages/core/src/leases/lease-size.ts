import type { NanoUsd } from '../money/money';
import type { LeaseSettings } from './lease-options';

/**
 * How much a new lease takes: `share × unleased ÷ instances`, at most `maxUsd`, where
 * `unleased` is what the most constrained counter can still take (capacity − committed −
 * reserved) and `instances` the instances holding leases on it, this one included. It is 0
 * (no lease: the call reserves its own hold) when that would not cover `minCalls` calls of
 * `callAmount`, so the last of a budget is spent call by call.
 */
export function leaseSize(
  settings: Pick<LeaseSettings, 'share' | 'minCalls' | 'maxNano'>,
  unleased: NanoUsd,
  instances: number,
  callAmount: NanoUsd,
): NanoUsd {
  const size = Math.min(settings.maxNano, Math.floor((unleased * settings.share) / Math.max(1, instances)));
  return size >= settings.minCalls * Math.max(1, callAmount) ? size : 0;
}
