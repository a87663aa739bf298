import type { BudgetCounters } from '../budget/budget-counters';
import { suggestionFor } from '../errors/did-you-mean';
import { rejectUnknownKeys } from '../errors/reject-unknown-keys';
import { validateCount, validateId, validatePlainObject } from '../errors/validation';
import { ValidationError } from '../errors/validation-error';
import type { BoundedStore } from '../store/bounded-store';
import type { BudgetStatus } from './budget-status';
import type { BudgetStatusReader } from './budget-status-reader';

/** Which budget's scope values `scopeStatuses()` lists, a page at a time. */
export interface ScopeStatusOptions {
  /** The budget whose scope values to list (a `user`, `project`, `tag` or custom-scoped budget; any budget works). */
  budgetId: string;
  /** Statuses per page, 1–1,000. Default 100. */
  limit?: number;
  /** The `next` of the previous page. */
  after?: string;
}

/** One page of per-scope-value statuses and the cursor to the next. */
export interface ScopeStatusPage {
  /** One status per scope value with spend in the current period (`user:u-42`), in scope order. */
  readonly statuses: readonly BudgetStatus[];
  /** Pass as `after` for the next page; undefined on the last page. */
  readonly next: string | undefined;
}

const OPTIONS = ['budgetId', 'limit', 'after'] as const;
const MAX_PER_PAGE = 1_000;

/**
 * The status of every scope value of one budget (each user, project or tag) that has spend in the
 * current period, a page at a time: what `status()` cannot show without a context naming them.
 */
export async function scopeStatuses(
  parts: { store: BoundedStore; counters: BudgetCounters; reader: BudgetStatusReader; clock: () => number },
  options: ScopeStatusOptions,
): Promise<ScopeStatusPage> {
  validatePlainObject(options, 'options');
  rejectUnknownKeys(options, OPTIONS, 'options');
  const budgetId = validateId(options.budgetId, 'budgetId', { key: true });
  const ids = parts.counters.budgets.map((budget) => budget.id);
  const index = ids.indexOf(budgetId);
  if (index < 0)
    throw new ValidationError({
      field: 'budgetId',
      message: `names no budget of this manager${suggestionFor(budgetId, ids)}; budgets: ${ids.join(', ')}`,
    });
  const limit = options.limit === undefined ? 100 : validateCount(options.limit, 'limit');
  if (limit < 1 || limit > MAX_PER_PAGE)
    throw new ValidationError({ field: 'limit', message: `must be from 1 to ${MAX_PER_PAGE}` });
  const after = options.after === undefined ? undefined : validateId(options.after, 'after');
  const now = parts.clock();
  const states = await parts.store.listCounters({
    budgetId,
    period: parts.counters.periodKey(index, now),
    ...(after === undefined ? {} : { afterScope: after }),
    limit: limit + 1,
    now,
  });
  const page = states.slice(0, limit);
  const statuses = await Promise.all(
    page.map((state) => parts.reader.statusOf(parts.counters.forScope(index, state.scope, now), state, now)),
  );
  return { statuses, next: states.length > limit ? page[page.length - 1]!.scope : undefined };
}
