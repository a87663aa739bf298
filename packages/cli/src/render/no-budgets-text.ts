import { formatUsd, type NanoUsd } from '@tollgate/core';
import type { Colors } from './colors';
import { formatCountOf, lastDays } from './format-number';

/** What `status` says when no budget is defined: plainly, with what to do, and the spend it did find. */
export function renderNoBudgetsText(
  recorded: { cost: NanoUsd; requests: number; days: number },
  colors: Colors,
): string {
  const spend =
    recorded.requests === 0
      ? `No spend recorded in ${lastDays(recorded.days)} either.`
      : `Spend recorded in ${lastDays(recorded.days)}: ${colors.bold(formatUsd(recorded.cost))} over ${formatCountOf(recorded.requests, 'request')} (\`tollgate report\` shows where it went).`;
  return [
    colors.bold('No budgets are defined for this store.'),
    '  An app saves its budgets in the store the first time its createBudget({ store, budgets }) uses it;',
    '  this store has none, and no config file defines any (--config, $TOLLGATE_CONFIG or .tollgate/config.json).',
    `  ${spend}`,
  ].join('\n');
}
