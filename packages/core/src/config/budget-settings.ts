import type { BudgetAlert } from '../alerts/budget-alert';
import { validateTimeZone } from '../budget/period';
import { PriceCatalog, type UserPrice } from '../catalog/price-catalog';
import {
  orDefault,
  validateCount,
  validateFunction,
  validateOneOf,
  validatePlainObject,
  validateQuantity,
} from '../errors/validation';
import { ValidationError } from '../errors/validation-error';
import { optionKeys, rejectUnknownKeys } from '../errors/reject-unknown-keys';
import type { PromptTokenPricing } from '../estimate/estimate-cost';
import { type NanoUsd, usdToNano } from '../money/money';
import type { UsageBufferOptions } from '../settlement/usage-buffer';
import { type LeaseOptions, type LeaseSettings, resolveLeaseSettings } from '../leases/lease-options';
import { MemoryStore } from '../store/memory-store';
import type { BudgetStore } from '../store/store-contract';
import { ModelRegistry, type ModelRegistryEntry } from '../strategy/model-registry';
import type { TollgateWarning } from '../warnings/tollgate-warning';
import { WarningChannel } from '../warnings/warning-channel';
import { type BudgetConfig, DEFAULT_BUDGET, type NormalizedBudget, normalizeBudget } from './budget-config';
import type { NormalizedPriceUpdateOptions } from '../catalog/price-update-options';
import { type PriceOptions, resolvePriceOptions } from './price-options';
import { validateStore } from './validate-store';
import { validateUsageBufferOptions } from './validate-usage-buffer-options';

/** The options of `createBudget`; every one is checked when the budget is created. */
export interface CreateBudgetOptions {
  /** Where spend is kept. Default: a `MemoryStore` (lost when the process exits). */
  store?: BudgetStore;
  /** Default: one global budget of $30 a month. */
  budgets?: BudgetConfig[];
  /**
   * The app's own prices, layered over tollgate's and the bundled catalog; or, as an object,
   * those (`entries`) and the update path of the bundled genai-prices data (`update`).
   */
  prices?: UserPrice[] | PriceOptions;
  catalog?: PriceCatalog;
  /** Called with each alert, as the `alert` event is emitted. */
  onAlert?: (alert: BudgetAlert) => void;
  /** How long a reservation holds budget if it is never settled (a crashed process). Default 10 minutes. */
  leaseMs?: number;
  /** Time zone of report days. Default `UTC`. */
  reportTimeZone?: string;
  /** The smallest output limit a clamp may leave; below it the call is refused. Default 16. */
  minOutputTokens?: number;
  /**
   * How prompt text that cannot be counted exactly here (Anthropic, Gemini, older Mistral models) is priced by
   * estimates and reserved by the gate: `upper-bound` (default) holds what the text can cost
   * at most, so spend cannot pass a budget; `likely` holds the heuristic's guess, smaller, but
   * a text it under-counts can cost more than was held (recorded as an overrun).
   */
  promptTokens?: PromptTokenPricing;
  /** How long the gate waits for the store before refusing with `StorageUnavailableError`. Default 5 s. */
  admissionTimeoutMs?: number;
  /**
   * Usage of admitted calls that cannot be written while the store is unreachable
   * waits here (bounded, optionally spilled to a file) and is written on recovery.
   * Default: in memory. `false` makes recording fail instead.
   */
  usageBuffer?: UsageBufferOptions | false;
  /**
   * When the store is unreachable the gate refuses (fail closed, the default). With
   * `failOpen`, it admits calls up to `allowanceUsd` in total until the store answers again.
   */
  failOpen?: { allowanceUsd: number };
  /**
   * Admit calls from quota leases: chunks of each budget held in the store, so that most calls
   * take no round trip to it and their records are written behind, in batches (for a store many
   * instances share). `true` takes every default. Default: off, every call reserves its own hold.
   */
  leases?: LeaseOptions | true;
  /**
   * Receives each warning (a `TollgateWarning` with a `code`: a call missing the context a
   * scoped budget needs, an unpriced model, an unknown provider…) once per code and subject.
   * Default: `process.emitWarning` with the code.
   */
  onWarning?: (warning: TollgateWarning) => void;
  /** Throw warnings as errors instead of reporting them (settlement failures no caller can receive are still reported). */
  strict?: boolean;
  /** Models the strategy selector may choose, with quality tiers; added to (or replacing) the defaults. */
  models?: ModelRegistryEntry[];
  /** Milliseconds since epoch; for tests. */
  clock?: () => number;
}

/** The options of `createBudget`, validated, with every default filled in. */
export interface BudgetSettings {
  readonly store: BudgetStore;
  readonly catalog: PriceCatalog;
  readonly budgets: readonly NormalizedBudget[];
  readonly leaseMs: number;
  readonly minOutputTokens: number;
  readonly promptTokens: PromptTokenPricing;
  readonly admissionTimeoutMs: number;
  readonly reportTimeZone: string;
  readonly clock: () => number;
  readonly registry: ModelRegistry;
  /** nano-USD; 0 when the gate fails closed. */
  readonly failOpenAllowance: NanoUsd;
  readonly usageBuffer: UsageBufferOptions | false;
  /** `leases`, checked; `undefined` when calls do not lease. */
  readonly leases: LeaseSettings | undefined;
  readonly onAlert: ((alert: BudgetAlert) => void) | undefined;
  /** Where every warning of this budget goes (`onWarning`, `strict`). */
  readonly warnings: WarningChannel;
  /** `prices.update`, checked; `undefined` when prices are not updated. */
  readonly priceUpdate: NormalizedPriceUpdateOptions | undefined;
}

const DEFAULT_LEASE_MS = 10 * 60_000;
const CREATE_BUDGET_OPTION_KEYS = optionKeys<CreateBudgetOptions>({
  store: true,
  budgets: true,
  prices: true,
  catalog: true,
  onAlert: true,
  leaseMs: true,
  reportTimeZone: true,
  minOutputTokens: true,
  promptTokens: true,
  admissionTimeoutMs: true,
  usageBuffer: true,
  failOpen: true,
  leases: true,
  onWarning: true,
  strict: true,
  models: true,
  clock: true,
});

/** Checks every option when the budget is created, in this order, so a bad one fails here and not on first use. */
export function resolveBudgetSettings(options: CreateBudgetOptions): BudgetSettings {
  validatePlainObject(options, 'options');
  rejectUnknownKeys(options, CREATE_BUDGET_OPTION_KEYS, 'options');
  const store = options.store === undefined ? new MemoryStore() : validateStore(options.store);
  const prices = resolvePriceOptions(options.prices);
  if (
    options.catalog !== undefined &&
    typeof (options.catalog as Partial<PriceCatalog>)?.resolve !== 'function'
  )
    throw new ValidationError({ field: 'catalog', message: 'must be a PriceCatalog' });
  const catalog = options.catalog ?? new PriceCatalog(prices.entries ? { prices: prices.entries } : {});
  if (options.catalog && prices.entries) for (const price of prices.entries) catalog.setPrice(price);
  const configs = orDefault(options.budgets, [DEFAULT_BUDGET]);
  if (!Array.isArray(configs) || configs.length === 0)
    throw new ValidationError({ field: 'budgets', message: 'must be a non-empty array' });
  const budgets = configs.map(normalizeBudget);
  const ids = new Set<string>();
  for (const budget of budgets) {
    if (ids.has(budget.id))
      throw new ValidationError({ field: 'budgets', message: `has two budgets with id "${budget.id}"` });
    ids.add(budget.id);
  }
  const leaseMs = validateCount(orDefault(options.leaseMs, DEFAULT_LEASE_MS), 'leaseMs', 7 * 24 * 3_600_000);
  const minOutputTokens = validateCount(orDefault(options.minOutputTokens, 16), 'minOutputTokens');
  const promptTokens = validateOneOf(
    orDefault<unknown>(options.promptTokens, 'upper-bound'),
    'promptTokens',
    ['upper-bound', 'likely'] as const,
  );
  const admissionTimeoutMs = validateCount(
    orDefault(options.admissionTimeoutMs, 5_000),
    'admissionTimeoutMs',
  );
  const reportTimeZone = validateTimeZone(
    orDefault<unknown>(options.reportTimeZone, 'UTC'),
    'reportTimeZone',
  );
  const clock =
    options.clock === undefined ? Date.now : (validateFunction(options.clock, 'clock') as () => number);
  const registry = new ModelRegistry(orDefault(options.models, []));
  const failOpenAllowance =
    options.failOpen === undefined
      ? 0
      : usdToNano(
          validateQuantity(failOpenOf(options.failOpen).allowanceUsd, 'failOpen.allowanceUsd', 1_000_000),
        );
  if (options.onAlert !== undefined) validateFunction(options.onAlert, 'onAlert');
  if (options.onWarning !== undefined) validateFunction(options.onWarning, 'onWarning');
  if (options.strict !== undefined && typeof options.strict !== 'boolean')
    throw new ValidationError({ field: 'strict', message: 'must be true or false' });
  const warnings = new WarningChannel({ onWarning: options.onWarning, strict: options.strict });
  const usageBuffer = options.usageBuffer === false ? false : validateUsageBufferOptions(options.usageBuffer);
  const leases =
    options.leases === undefined || (options.leases as unknown) === false
      ? undefined
      : resolveLeaseSettings(options.leases);
  for (const [index, id] of [...(leases?.budgets ?? [])].entries())
    if (!ids.has(id))
      throw new ValidationError({
        field: `leases.budgets[${index}]`,
        message: `"${id}" is not one of the budgets (${[...ids].join(', ')})`,
      });
  if (leases?.path !== undefined && usageBuffer !== false && leases.path === usageBuffer.path)
    throw new ValidationError({
      field: 'leases.path',
      message: 'must not be the file of usageBuffer.path: each writes and replays its own',
    });
  return {
    store,
    catalog,
    budgets,
    leaseMs,
    minOutputTokens,
    promptTokens,
    admissionTimeoutMs,
    reportTimeZone,
    clock,
    registry,
    failOpenAllowance,
    usageBuffer,
    leases,
    onAlert: options.onAlert,
    warnings,
    priceUpdate: prices.update,
  };
}

function failOpenOf(value: unknown): Record<string, unknown> {
  const failOpen = validatePlainObject(value, 'failOpen');
  rejectUnknownKeys(failOpen, ['allowanceUsd'], 'failOpen');
  return failOpen;
}
