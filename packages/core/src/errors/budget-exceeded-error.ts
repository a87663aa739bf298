import { formatUsd, type NanoUsd, nanoToUsd } from '../money/money';
import type { AlertLevel } from '../alerts/alert-level';
import { defineRenamedFields } from '../deprecation/renamed-fields';
import { TollgateError } from './tollgate-error';

const marker = 'tollgate.error.budget-exceeded';
const symbol = Symbol.for(marker);

/** Why the gate refused: not enough remains, the per-call cap at RED/CRITICAL, or the budget is already over. */
export type BudgetRefusalReason = 'insufficient-remaining' | 'per-call-cap' | 'over-budget';

/** One budget that refused a call: which counter, what the call needed and what was available. */
export interface BudgetRefusal {
  budgetId: string;
  scopeKey: string;
  /** The call's worst-case cost. */
  neededNano: NanoUsd;
  /** What the budget's counter could still take for this call: limit − buffer − spent − held (may be negative). */
  availableNano: NanoUsd;
  alertLevel: AlertLevel;
  reason: BudgetRefusalReason;
  /** The per-call cap of the alert level, for a `per-call-cap` refusal: a call must cost less. */
  perCallCapNano?: NanoUsd;
  /** Set when the call gave no output limit: the worst case held the model's largest output, this many tokens. */
  assumedOutputTokens?: number;
  /**
   * Set for a call in clamp mode that does not fit even shrunk: its smallest output limit
   * (`minOutputTokens`) and what the call costs at most with it.
   */
  smallest?: { outputTokens: number; costNano: NanoUsd };
}

/** The gate refused a call: the budget cannot afford it. */
export class BudgetExceededError extends TollgateError {
  readonly [symbol] = true;
  override readonly name = 'BudgetExceededError';
  readonly budgetId: string;
  readonly scopeKey: string;
  readonly neededNano: NanoUsd;
  readonly neededUsd: number;
  readonly availableNano: NanoUsd;
  readonly availableUsd: number;
  /** Set for a `per-call-cap` refusal: at this alert level a call must cost less than this. */
  readonly perCallCapNano?: NanoUsd;
  readonly perCallCapUsd?: number;
  readonly alertLevel: AlertLevel;
  readonly reason: BudgetRefusalReason;
  /** Set when the call gave no output limit: the worst case held the model's largest output, this many tokens. */
  readonly assumedOutputTokens?: number;
  /** Set for a call in clamp mode that does not fit even at its smallest output limit: that limit and its cost. */
  readonly smallest?: { readonly outputTokens: number; readonly costNano: NanoUsd; readonly costUsd: number };
  /** @deprecated Use `neededNano` (or `neededUsd`). */
  declare readonly needed: NanoUsd;
  /** @deprecated Use `availableNano` (or `availableUsd`). */
  declare readonly available: NanoUsd;

  constructor(details: BudgetRefusal) {
    super(BudgetExceededError.describe(details));
    this.budgetId = details.budgetId;
    this.scopeKey = details.scopeKey;
    this.neededNano = details.neededNano;
    this.neededUsd = nanoToUsd(details.neededNano);
    this.availableNano = details.availableNano;
    this.availableUsd = nanoToUsd(details.availableNano);
    if (details.perCallCapNano !== undefined) {
      this.perCallCapNano = details.perCallCapNano;
      this.perCallCapUsd = nanoToUsd(details.perCallCapNano);
    }
    this.alertLevel = details.alertLevel;
    this.reason = details.reason;
    if (details.assumedOutputTokens !== undefined) this.assumedOutputTokens = details.assumedOutputTokens;
    if (details.smallest !== undefined)
      this.smallest = { ...details.smallest, costUsd: nanoToUsd(details.smallest.costNano) };
  }

  private static describe(details: BudgetRefusal): string {
    const head = `Budget "${details.budgetId}" (${details.alertLevel})`;
    const available = formatUsd(Math.max(0, details.availableNano));
    const why =
      details.reason === 'per-call-cap' && details.perCallCapNano !== undefined
        ? `${head} refused a call costing up to ${formatUsd(details.neededNano)}: at ${details.alertLevel} a call must cost less than ${formatUsd(details.perCallCapNano)} (${available} is available).`
        : `${head} refused a call costing up to ${formatUsd(details.neededNano)}: only ${available} is available.`;
    // In clamp mode the output was already shrunk as far as it may be: that is what to say.
    if (details.smallest !== undefined)
      return `${why} Shrunk to its smallest output (${details.smallest.outputTokens.toLocaleString('en-US')} tokens, minOutputTokens) it still costs up to ${formatUsd(details.smallest.costNano)}.`;
    if (details.assumedOutputTokens === undefined) return why;
    return `${why} The call set no output limit, so its worst case is the model's largest output (${details.assumedOutputTokens.toLocaleString('en-US')} tokens): set one (max_tokens), or let the gate shrink it with onInsufficientBudget: 'clamp'.`;
  }

  /** True for a `BudgetExceededError` from any copy of the package, where `instanceof` would miss one. */
  static override isInstance(error: unknown): error is BudgetExceededError {
    return TollgateError.hasMarker(error, marker);
  }
}

defineRenamedFields(BudgetExceededError.prototype, 'BudgetExceededError', {
  needed: 'neededNano',
  available: 'availableNano',
});
