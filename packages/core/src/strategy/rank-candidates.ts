import { formatUsd, type NanoUsd, nanoToUsd } from '../money/money';
import { renamedFields } from '../deprecation/renamed-fields';
import type { CostStrategy } from './cost-strategy';
import type { ModelRegistryEntry } from './model-registry';

/** A model `budget.select()` proposes, with its quality tier and this request's estimated cost. */
export interface ModelCandidate {
  readonly provider: string;
  readonly model: string;
  readonly service: ModelRegistryEntry['service'];
  readonly tier: number;
  readonly local: boolean;
  /** This request's estimated cost on this model. */
  readonly estimatedCostNano: NanoUsd;
  readonly estimatedCostUsd: number;
  readonly affordable: boolean;
  readonly reason: string;
  /** @deprecated Use `estimatedCostNano` (or `estimatedCostUsd`). */
  readonly estimatedCost: NanoUsd;
}

const MODEL_CANDIDATE = renamedFields<ModelCandidate>('ModelCandidate', {
  estimatedCost: 'estimatedCostNano',
});

/**
 * Orders models for a strategy. QUALITY_FIRST: the best tier that fits. BALANCED: the
 * cheapest model within one tier of the best that fits (quality per dollar).
 * CHEAPEST_FIRST: the cheapest that fits. EMERGENCY_ONLY: a $0 local model, else the cheapest.
 * Models that do not fit the remaining budget always come last.
 */
export function rankCandidates(
  priced: readonly (ModelRegistryEntry & { estimatedCost: NanoUsd })[],
  strategy: CostStrategy,
  available: NanoUsd,
): ModelCandidate[] {
  // A $0 call (a local model) is admitted by the gate even with nothing left.
  const fits = (candidate: { estimatedCost: NanoUsd }) =>
    candidate.estimatedCost === 0 || candidate.estimatedCost <= available;
  const bestTier = Math.max(0, ...priced.filter(fits).map((candidate) => candidate.tier));
  const score = (candidate: ModelRegistryEntry & { estimatedCost: NanoUsd }): number[] => {
    const fitsFirst = fits(candidate) ? 0 : 1;
    switch (strategy) {
      case 'QUALITY_FIRST':
        return [fitsFirst, -candidate.tier, candidate.estimatedCost];
      case 'BALANCED':
        return [fitsFirst, candidate.tier >= bestTier - 1 ? 0 : 1, candidate.estimatedCost, -candidate.tier];
      case 'CHEAPEST_FIRST':
        return [fitsFirst, candidate.estimatedCost, -candidate.tier];
      case 'EMERGENCY_ONLY':
        return [fitsFirst, candidate.local ? 0 : 1, candidate.estimatedCost, -candidate.tier];
    }
  };
  const sorted = [...priced].sort(
    (a, b) => compareScores(score(a), score(b)) || a.model.localeCompare(b.model),
  );
  return sorted.map(
    (candidate, index): ModelCandidate =>
      Object.assign(new MODEL_CANDIDATE(), {
        provider: candidate.provider,
        model: candidate.model,
        service: candidate.service,
        tier: candidate.tier,
        local: candidate.local === true,
        estimatedCostNano: candidate.estimatedCost,
        estimatedCostUsd: nanoToUsd(candidate.estimatedCost),
        affordable: fits(candidate),
        reason: reasonFor(candidate, strategy, index === 0, fits(candidate), available),
      }),
  );
}

function compareScores(a: number[], b: number[]): number {
  for (let index = 0; index < a.length; index++) {
    const difference = a[index]! - b[index]!;
    if (difference !== 0) return difference;
  }
  return 0;
}

function reasonFor(
  candidate: ModelRegistryEntry & { estimatedCost: NanoUsd },
  strategy: CostStrategy,
  first: boolean,
  fits: boolean,
  available: NanoUsd,
): string {
  const cost = `tier ${candidate.tier}, about ${formatUsd(candidate.estimatedCost)} for this request`;
  if (!fits) return `${cost}: more than the ${formatUsd(Math.max(0, available))} left`;
  if (!first) return cost;
  switch (strategy) {
    case 'QUALITY_FIRST':
      return `${cost}: the best quality the budget affords`;
    case 'BALANCED':
      return `${cost}: the cheapest model within one tier of the best affordable`;
    case 'CHEAPEST_FIRST':
      return `${cost}: the cheapest model above the minimum tier`;
    case 'EMERGENCY_ONLY':
      return candidate.local
        ? `${cost}: a local model, $0`
        : `${cost}: the cheapest model (no local model configured)`;
  }
}
