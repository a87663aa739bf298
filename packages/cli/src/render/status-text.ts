import { formatUsd } from '@tollgate/core';
import type { StatusJson } from '../report/status-json';
import { colorForLevel } from './alert-level-style';
import type { Colors } from './colors';
import { describeProjection } from './describe-projection';
import { usageBar } from './usage-bar';
import { visibleWidth } from './visible-width';

/** Each budget as a block: name and level, a bar, used and remaining, days left and the projection. */
export function renderStatusText(statuses: readonly StatusJson[], colors: Colors, width: number): string {
  const barWidth = Math.max(10, Math.min(40, width - 12));
  return statuses.map((status) => renderOne(status, colors, barWidth)).join('\n\n');
}

function renderOne(status: StatusJson, colors: Colors, barWidth: number): string {
  const color = colorForLevel(status.alertLevel, colors);
  const scope = status.scope === 'global' ? '' : ` (${status.scope})`;
  const period =
    status.period === 'total' ? 'total' : `${status.period} ${status.periodKey.replace(/^[a-z]+:/, '')}`;
  const title = `${colors.bold(status.budgetId)}${scope}  ${colors.dim(`${period} · ${status.timeZone}`)}`;
  // Padded into a badge when coloured; plain text gets no trailing blank.
  const level = colors.isColorSupported ? color(` ${status.alertLevel} `) : status.alertLevel;
  // The levels of short titles line up; a long title keeps two blanks before its level.
  const gap = Math.max(2, barWidth + 10 - visibleWidth(level) - visibleWidth(title));
  const heading = `${title}${' '.repeat(gap)}${level}`;

  const bar = usageBar(status.usedRatio, barWidth);
  const percentage = `${(status.usedRatio * 100).toFixed(1)}%`;
  const barLine = `  ${color(bar.filled)}${colors.dim(bar.empty)}  ${percentage}`;

  const remaining = status.overBudget
    ? colors.red(`over budget by ${formatUsd(status.usedNano - status.limitNano)}`)
    : `remaining ${colors.bold(formatUsd(status.remainingNano))}`;
  const reserved =
    status.reservedNano > 0 ? ` · reserved ${formatUsd(status.reservedNano)} ${inFlight(status)}` : '';
  const moneyLine = `  used ${colors.bold(formatUsd(status.usedNano))} of ${formatUsd(status.limitNano)} · ${remaining}${reserved}`;

  const days =
    status.daysRemaining === null
      ? 'no end'
      : `${status.daysRemaining} day${status.daysRemaining === 1 ? '' : 's'} remaining`;
  const projectionLine =
    status.projection.method === 'none'
      ? `  ${days} · ${describeProjection(status.projection)}`
      : `  ${days} · projected ${colors.bold(formatUsd(status.projectedNano))} ${status.period === 'day' ? 'today' : `this ${status.period}`} ${colors.dim(`(${describeProjection(status.projection)})`)}`;
  return [heading, barLine, moneyLine, projectionLine].join('\n');
}

/** What holds the reserved amount: calls in flight, and the quota leases of app instances. */
function inFlight(status: StatusJson): string {
  const { leases } = status;
  if (!leases) return 'in flight';
  const instances = leases.byInstance
    .map((instance) => `${instance.instanceId} ${formatUsd(instance.heldNano)}`)
    .join(', ');
  return `(leases ${formatUsd(leases.heldNano)}: ${instances})`;
}
