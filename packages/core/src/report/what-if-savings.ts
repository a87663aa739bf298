import type { ModelPrice, Rates } from '../catalog/model-price';
import type { PriceCatalog } from '../catalog/price-catalog';
import { calculateCost } from '../cost/calculate-cost';
import { renamedFields } from '../deprecation/renamed-fields';
import { formatUsd, type NanoUsd, nanoToUsd } from '../money/money';
import { ROLLUP_MEASURES, type RollupRow } from '../store/store-contract';
import type { ModelRegistry } from '../strategy/model-registry';
import { createUsage, type ServiceType } from '../usage';

/** What a request type would have cost on a cheaper model of the same service, at catalog prices. */
export interface SavingsOpportunity {
  readonly requestType: string;
  readonly service: ServiceType;
  readonly from: { readonly provider: string; readonly model: string; readonly tier: number };
  readonly to: { readonly provider: string; readonly model: string; readonly tier: number };
  /** `same-tier`: an equally rated model; `one-tier-down`: the next tier below. */
  readonly kind: 'same-tier' | 'one-tier-down';
  /** What the calls cost, and what they would have cost on `to`. */
  readonly actualCostNano: NanoUsd;
  readonly actualCostUsd: number;
  readonly replayedCostNano: NanoUsd;
  readonly replayedCostUsd: number;
  readonly savingNano: NanoUsd;
  readonly savingUsd: number;
  readonly requests: number;
  readonly days: number;
  /** Why the replay is only approximate (cached tokens, reasoning, reconstructed usage), if it is. */
  readonly approximate?: string;
  readonly message: string;
  /** @deprecated Use `actualCostNano` (or `actualCostUsd`). */
  readonly actualCost: NanoUsd;
  /** @deprecated Use `replayedCostNano` (or `replayedCostUsd`). */
  readonly replayedCost: NanoUsd;
  /** @deprecated Use `savingNano` (or `savingUsd`). */
  readonly saving: NanoUsd;
}

/** Services whose output is a vector, tied to the model that made it. */
const VECTOR_SERVICES: readonly ServiceType[] = ['embedding'];

const SAVINGS_OPPORTUNITY = renamedFields<SavingsOpportunity>('SavingsOpportunity', {
  actualCost: 'actualCostNano',
  replayedCost: 'replayedCostNano',
  saving: 'savingNano',
});

/**
 * Replays the recorded usage of each request type under cheaper models of the same
 * service (same tier, and one tier down) with the catalog's prices, and reports what
 * it would have saved. Replays use the recorded token and unit totals.
 */
export function whatIfSavings(input: {
  rows: readonly RollupRow[];
  registry: ModelRegistry;
  catalog: PriceCatalog;
  days: number;
  at: Date;
  /** Replay embedding calls on other models too (their vectors differ). */
  includeEmbeddings?: boolean;
}): SavingsOpportunity[] {
  // By the catalog id: calls of `gpt-4o` and of `gpt-4o-2024-08-06` are one model to replay.
  const groups = new Map<string, RollupRow>();
  for (const row of input.rows) {
    const id = [row.requestType, row.service, row.provider, row.catalogModel].join('\u0000');
    const group = groups.get(id);
    if (!group) groups.set(id, { ...row, day: '', model: row.catalogModel, userId: '', projectId: '' });
    else for (const measure of ROLLUP_MEASURES) group[measure] += row[measure];
  }

  const best = new Map<string, SavingsOpportunity>();
  for (const group of groups.values()) {
    const current = input.registry.find(group.provider, group.catalogModel);
    if (!current || group.cost === 0) continue;
    // Another model's vectors are not comparable with the ones already stored.
    if (VECTOR_SERVICES.includes(current.service) && input.includeEmbeddings !== true) continue;
    const usage = createUsage({
      inputTokens: group.inputTokens - group.cacheReadTokens - group.cacheWriteTokens,
      cacheReadTokens: group.cacheReadTokens,
      cacheWriteTokens: group.cacheWriteTokens,
      outputTokens: group.outputTokens,
      reasoningTokens: group.reasoningTokens,
      audioSeconds: group.audioMilliseconds / 1000,
      characters: group.characters,
      images: group.images,
      pages: group.pages,
    });
    for (const alternative of input.registry.list(current.service)) {
      if (alternative.model === current.model && alternative.provider === current.provider) continue;
      const kind =
        alternative.tier === current.tier
          ? 'same-tier'
          : alternative.tier === current.tier - 1
            ? 'one-tier-down'
            : undefined;
      if (!kind) continue;
      const resolved = input.catalog.resolve(alternative.provider, alternative.model, input.at);
      if (!resolved) continue;
      // Long-context tiers apply per call: pricing the summed usage as one call would charge
      // every call the long-context rate. The replay uses the tier of the average call.
      const averageInput = group.requests > 0 ? group.inputTokens / group.requests : 0;
      const replayed = calculateCost(usage, {
        ...resolved,
        price: { rates: ratesForCallSize(resolved.price, averageInput), tiers: [] },
      });
      // A replay that prices nothing, or leaves part of the usage unpriced, would overstate the saving.
      if ((replayed.total === 0 && !resolved.local) || replayed.unpriced.length > 0) continue;
      const saving = group.cost - replayed.total;
      if (saving <= 0) continue;
      const id = `${group.requestType}\u0000${group.service}\u0000${kind}`;
      const previous = best.get(id);
      if (previous && previous.savingNano >= saving) continue;
      const sizeTiered = resolved.price.tiers.some((tier) => group.inputTokens > tier.aboveInputTokens);
      const approximate = approximationOf(group, sizeTiered);
      const opportunity: Omit<SavingsOpportunity, 'actualCost' | 'replayedCost' | 'saving'> = {
        requestType: group.requestType,
        service: current.service,
        from: { provider: current.provider, model: current.model, tier: current.tier },
        to: { provider: alternative.provider, model: alternative.model, tier: alternative.tier },
        kind,
        actualCostNano: group.cost,
        actualCostUsd: nanoToUsd(group.cost),
        replayedCostNano: replayed.total,
        replayedCostUsd: nanoToUsd(replayed.total),
        savingNano: saving,
        savingUsd: nanoToUsd(saving),
        requests: group.requests,
        days: input.days,
        ...(approximate ? { approximate } : {}),
        message:
          `moving request type '${group.requestType}' from ${current.model} to ${alternative.model}` +
          `${kind === 'one-tier-down' ? ' (one quality tier down)' : ''} would have saved ${formatUsd(saving)} of ` +
          `${formatUsd(group.cost)} in the last ${input.days === 1 ? 'day' : `${input.days} days`}${approximate ? ` (approximate: ${approximate})` : ''}`,
      };
      best.set(id, Object.assign(new SAVINGS_OPPORTUNITY(), opportunity));
    }
  }
  return [...best.values()].sort((a, b) => b.savingNano - a.savingNano);
}

function ratesForCallSize(price: ModelPrice, inputTokens: number): Rates {
  let rates = price.rates;
  for (const tier of price.tiers)
    if (inputTokens > tier.aboveInputTokens) rates = { ...rates, ...tier.rates };
  return rates;
}

function approximationOf(group: RollupRow, sizeTiered: boolean): string | undefined {
  const reasons: string[] = [];
  if (group.cacheReadTokens + group.cacheWriteTokens > 0)
    reasons.push('cached-token pricing differs between models and caches do not carry over');
  if (group.reasoningTokens > 0) reasons.push('another model would reason for a different number of tokens');
  if (group.estimatedRequests > 0)
    reasons.push(
      `${group.estimatedRequests} of the calls ${group.estimatedRequests === 1 ? 'has' : 'have'} reconstructed usage`,
    );
  if (sizeTiered)
    reasons.push(
      "the alternative's price depends on each call's input size and the replay prices the average call",
    );
  return reasons.length > 0 ? reasons.join('; ') : undefined;
}
