import type { ResolvedPrice } from '../catalog/model-price';
import { MINIMAL_FALLBACK_COST, serviceFallbackPrice } from '../catalog/fallback-prices';
import type { PriceCatalog } from '../catalog/price-catalog';
import { validateOneOf } from '../errors/validation';
import { SERVICE_TYPES, type ServiceType, type Usage, isEmptyUsage } from '../usage';
import { type Cost, calculateCost } from './calculate-cost';

/** What `priceUsage` prices: a provider, a model and its normalized usage. */
export interface PriceUsageRequest {
  provider: string;
  model: string;
  service?: ServiceType;
  usage: Usage;
  at?: Date;
  /** The catalog price already resolved for this provider and model (saves a lookup). */
  resolved?: ResolvedPrice;
}

/**
 * The cost of a usage through the fallback layers: the model's own price, then the
 * generic price of its service, then the minimal $0.01. Only a local model, or a
 * known model with nothing used, costs $0.
 */
export function priceUsage(catalog: PriceCatalog, request: PriceUsageRequest): Cost {
  if (request.service !== undefined) validateOneOf(request.service, 'service', SERVICE_TYPES);
  return priceCheckedUsage(catalog, request);
}

/** `priceUsage` for a request whose service its caller has checked already. */
export function priceCheckedUsage(catalog: PriceCatalog, request: PriceUsageRequest): Cost {
  const requested = request.service;
  const resolved = request.resolved ?? catalog.resolve(request.provider, request.model, request.at);
  if (resolved) {
    const cost = calculateCost(request.usage, resolved);
    if (cost.total > 0 || resolved.local || (isEmptyUsage(request.usage) && cost.unpriced.length === 0))
      return cost;
  }
  const service = resolved?.service ?? requested ?? 'llm';
  const fallback = calculateCost(
    request.usage,
    serviceFallbackPrice(request.provider, request.model, service),
  );
  if (fallback.total > 0) return fallback;
  return minimalCost(request.provider, request.model, service);
}

export function minimalCost(provider: string, model: string, service: ServiceType): Cost {
  const rate = { nanoUsd: MINIMAL_FALLBACK_COST, per: 1 };
  return {
    total: MINIMAL_FALLBACK_COST,
    lines: [{ component: 'request', units: 1, rate, cost: MINIMAL_FALLBACK_COST }],
    provider,
    model,
    service,
    source: 'minimal-fallback',
    unpriced: [],
  };
}
