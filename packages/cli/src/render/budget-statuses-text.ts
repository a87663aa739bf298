import { formatUsd, type NanoUsd } from '@tollgate/core';
import type { BudgetsJson } from '../report/budgets-json';
import type { StatusJson } from '../report/status-json';
import type { Colors } from './colors';
import { renderScopeStatusesText } from './scope-statuses-text';
import { renderStatusText } from './status-text';

/**
 * Every budget in the order it is defined: a block per global or pinned budget (and per budget of
 * the context asked for), a table of scope values for the others when they are listed.
 */
export function renderBudgetStatusesText(
  statuses: readonly StatusJson[],
  budgets: BudgetsJson,
  options: { colors: Colors; width: number; limit: number; listed: boolean },
): string {
  const sections: string[] = [];
  for (const definition of budgets.definitions) {
    const own = statuses.filter((status) => status.budgetId === definition.id);
    const listed = options.listed && definition.scope !== 'global' && definition.scopeValue === null;
    let section: string | undefined;
    if (listed) section = renderScopeStatusesText(definition, own, options);
    else if (own.length > 0) section = renderStatusText(own, options.colors, options.width);
    if (section === undefined) continue;
    if (definition.uncountedNano)
      section += `\n${options.colors.dim(uncountedNote(definition.uncountedNano))}`;
    sections.push(section);
  }
  return sections.join('\n\n');
}

/** Under a config's budget the app never ran: what `used` leaves out. */
function uncountedNote(uncountedNano: NanoUsd): string {
  return `  not run by the app yet: its used leaves out ${formatUsd(uncountedNano)} spent earlier this period`;
}
