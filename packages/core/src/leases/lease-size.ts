import type { NanoUsd } from '../money/money';
import type { LeaseSettings } from './lease-options';

/**
 * How much a new lease takes: `share × unleased ÷ instances`, at most `maxUsd`, and no more than
 * the instance uses: at most twice its previous lease on these counters or what the calls waiting
 * for this one need, whichever is larger (the first covers at least `minCalls` calls). `unleased`
 * is what the most constrained counter can still take (capacity − committed − reserved) and
 * `instances` the instances holding leases on it, this one included. It is 0 (no lease: the call
 * reserves its own hold) when that would not cover `minCalls` calls of `callAmount`, so the last
 * of a budget is spent call by call.
 *
 * Leases grow with use because `instances` only counts those already holding one: instances
 * that start at once each see only themselves, and each taking `share` of the budget would lease
 * all of it between a few of them, leaving the others refused with the budget unspent.
 */
export function leaseSize(
  settings: Pick<LeaseSettings, 'share' | 'minCalls' | 'maxNano'>,
  unleased: NanoUsd,
  instances: number,
  callAmount: NanoUsd,
  use: { readonly previous: NanoUsd; readonly waiting: NanoUsd } = { previous: 0, waiting: 0 },
): NanoUsd {
  const smallest = settings.minCalls * Math.max(1, callAmount);
  const size = Math.min(
    settings.maxNano,
    Math.floor((unleased * settings.share) / Math.max(1, instances)),
    Math.max(smallest, 2 * use.previous, use.waiting),
  );
  return size >= smallest ? size : 0;
}
