import type { BudgetStatus, CallContext } from '@tollgate/core';
import type { BudgetSession } from '../store/open-budget';

/** Statuses of one budget's scope values are read this many at a time. */
const PAGE = 1_000;

/**
 * What `status` and `report` show: with a context (`--user`, `--project`, `--tag`), the budgets
 * that apply to it, as the gate sees them; without one, the global budgets and those pinned to a
 * scope value, and every scope value (user, project, tag…) of the other budgets with spend in the
 * current period. In the order the budgets are defined; none when no budget is defined.
 */
export async function collectStatuses(
  session: BudgetSession,
  context?: CallContext,
): Promise<BudgetStatus[]> {
  const { budget } = session;
  if (session.budgets.source === 'none') return [];
  if (context !== undefined) return budget.status(context);
  const statuses = await budget.status();
  const collected: BudgetStatus[] = [];
  for (const definition of budget.budgets) {
    if (definition.scope === 'global' || definition.scopeValue !== undefined) {
      collected.push(...statuses.filter((status) => status.budgetId === definition.id));
      continue;
    }
    let after: string | undefined;
    do {
      const page = await budget.scopeStatuses({
        budgetId: definition.id,
        limit: PAGE,
        ...(after === undefined ? {} : { after }),
      });
      collected.push(...page.statuses);
      after = page.next;
    } while (after !== undefined);
  }
  return collected;
}
