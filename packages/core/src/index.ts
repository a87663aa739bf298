export type { Admission } from './admission/admission';
export type { SettledCall, SettleInput } from './settlement/settled-call';
export type { UsageBufferOptions } from './settlement/usage-buffer';
export type { OpenStream } from './settlement/open-streams';
export type { LeaseOptions } from './leases/lease-options';
export type { BudgetLeases } from './leases/budget-leases';
export { type InstanceLeases, leaseHoldsOf } from './leases/lease-holds';
export {
  ALERT_LEVELS,
  type AlertLevel,
  type AlertSeverity,
  type AlertThresholds,
  DEFAULT_THRESHOLDS,
  alertLevelFor,
  severityOf,
} from './alerts/alert-level';
export type { BudgetAlert } from './alerts/budget-alert';
export type { BudgetConfig, BudgetScope, NormalizedBudget } from './config/budget-config';
export { BUILT_IN_SCOPES, type BuiltInScope } from './config/budget-scope';
export {
  type Affordability,
  BudgetManager,
  type CreateBudgetOptions,
  createBudget,
  type GateRequest,
  type GuardDescriptor,
  type BreakdownOptions,
  type WhatIfSavingsOptions,
  type GuardReport,
  type SelectOptions,
  type RecordFilterField,
  type RecordPage,
  type RecordsOptions,
  type RecordUsageInput,
  type ScopeStatusOptions,
  type ScopeStatusPage,
} from './budget/budget-manager';
export { budgetConfigOf, budgetDefinitionOf, validateBudgetDefinition } from './budget/budget-definition';
export { findUncountedSpend, type UncountedSpend } from './budget/uncounted-spend';
export type { BudgetStatus } from './status/budget-status';
export { type CallContext, contextWithDefaults, currentContext } from './budget/call-context';
export { PERIODS, type Period, type PeriodWindow, dayKey, periodWindow } from './budget/period';
export type {
  ModelPrice,
  PriceComponent,
  PriceInUsd,
  PriceSource,
  Rates,
  ResolvedPrice,
} from './catalog/model-price';
export { PRICE_COMPONENTS } from './catalog/model-price';
export { PriceCatalog, type UserPrice } from './catalog/price-catalog';
export { priceDataModels, providerOfApiUrl } from './catalog/genai-prices-source';
export { type LoadedPriceDataFile, loadPriceDataFile } from './catalog/load-price-data-file';
export { type PriceDataLayers, priceDataLayers } from './catalog/price-data-layers';
export type { PriceDataChanges, PriceDataSummary } from './catalog/price-data-summary';
export { DEFAULT_PRICE_DATA_URL, type PriceUpdateOptions } from './catalog/price-update-options';
export type { PriceUpdates } from './catalog/price-updater';
export { type PriceUpdateResult, updatePriceData } from './catalog/update-price-data';
export type { PriceDataSource } from './catalog/genai-prices-data';
export type { PriceOptions } from './config/price-options';
export { type CatalogEntry, TOLLGATE_PRICES_AS_OF } from './catalog/tollgate-prices';
export { type Cost, type CostLine, calculateCost } from './cost/calculate-cost';
export { type PriceUsageRequest, priceUsage } from './cost/price-usage';
export {
  canAfford,
  estimateCost,
  getBudgetStatus,
  getDefaultBudget,
  recordUsage,
  setDefaultBudget,
  trackUsage,
} from './default-budget';
export {
  BudgetExceededError,
  type BudgetRefusal,
  type BudgetRefusalReason,
} from './errors/budget-exceeded-error';
export { type MisplacedKeys, optionKeys, rejectUnknownKeys } from './errors/reject-unknown-keys';
export { StorageUnavailableError } from './errors/storage-unavailable-error';
export { suggestionFor } from './errors/did-you-mean';
export { TollgateError } from './errors/tollgate-error';
export { MAX_ID_LENGTH, validateId } from './errors/validation';
export { ValidationError } from './errors/validation-error';
export {
  RENAMED_OPTION_VALUE_WARNING_CODE,
  warnRenamedOptionValue,
} from './deprecation/renamed-option-value';
export {
  CONFIDENCE,
  type Estimate,
  type EstimateLayer,
  type EstimateRequest,
  type PromptTokenPricing,
} from './estimate/estimate-cost';
export { countTokens, type TokenCount, type TokenCountMethod } from './estimate/token-counter';
export {
  formatUsd,
  lineItemCost,
  NANO_PER_USD,
  type NanoUsd,
  nanoToUsd,
  type Rate,
  usdToNano,
} from './money/money';
export { type Projection, type ProjectionMethod, projectPeriod } from './report/projection';
export { MemoryStore } from './store/memory-store';
export { ForwardingStore } from './store/forwarding-store';
export { rollupMeasuresOf } from './store/rollup-row';
export * from './store/store-contract';
export {
  SERVICE_TYPES,
  type ServiceType,
  type Usage,
  type UsageInput,
  createUsage,
  isEmptyUsage,
} from './usage';
export type { Breakdown, BreakdownGroup } from './report/breakdown';
export type { Recommendation } from './report/recommendations';
export type { SavingsOpportunity } from './report/what-if-savings';
export { COST_STRATEGIES, type CostStrategy, strategyForLevel } from './strategy/cost-strategy';
export {
  DEFAULT_MODEL_REGISTRY,
  ModelRegistry,
  type ModelRegistryEntry,
  type QualityTier,
} from './strategy/model-registry';
export type { ModelCandidate } from './strategy/rank-candidates';
export { TollgateWarning, WARNING_CODES, type WarningCode } from './warnings/tollgate-warning';
export type { WarningChannel } from './warnings/warning-channel';
