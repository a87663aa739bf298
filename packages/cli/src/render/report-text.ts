import { formatUsd } from '@tollgate/core';
import type { BreakdownJson, ReportJson } from '../report/report-json';
import { colorForLevel } from './alert-level-style';
import { horizontalBar } from './bar-chart';
import { mostUsedPerBudget } from './most-used-per-budget';
import type { Colors } from './colors';
import { DIMENSION_LABELS, dimensionValue } from './dimension-labels';
import { estimatedCallsText } from './estimated-calls-text';
import { formatCompact, formatCount, formatCountOf, formatShare, lastDays } from './format-number';
import { sparkline } from './sparkline';
import { renderTable, type TableColumn } from './text-table';
import { visibleWidth } from './visible-width';
import { wrapText } from './wrap-text';

export interface ReportTextOptions {
  readonly colors: Colors;
  /** Terminal columns. */
  readonly width: number;
  /** Rows shown per breakdown; the rest are summed on one line. */
  readonly limit: number;
  /** Wrap long lines to the width: on a terminal, not when the output goes to a file or a pipe. */
  readonly wrap: boolean;
}

/** The report for a terminal: totals, the daily sparkline, budgets, one table per breakdown, recommendations. */
export function renderReportText(report: ReportJson, options: ReportTextOptions): string {
  const { colors } = options;
  const sections: string[] = [];
  const { range, total } = report;
  sections.push(
    [
      colors.bold(`Spend from ${range.fromDay} to ${range.toDay}`) +
        colors.dim(` (${formatCountOf(range.days, 'day')}, ${range.timeZone}) · ${report.store}`),
      `  total ${colors.bold(formatUsd(total.costNano))} · ${formatCountOf(total.usage.requests, 'request')} · ` +
        `${formatCompact(total.usage.inputTokens)} input tokens · ${formatCompact(total.usage.outputTokens)} output tokens`,
      ...(total.usage.estimatedRequests > 0
        ? [`  ${colors.dim(estimatedCallsText(total.usage.estimatedRequests))}`]
        : []),
    ].join('\n'),
  );
  sections.push(renderDaily(report, options));
  if (report.budgets.source === 'none')
    sections.push(
      `${colors.bold('Budgets')}\n  ${colors.dim('none defined: the app saves its budgets in the store when it first uses it, or define them in a config file')}`,
    );
  else if (report.statuses.length > 0) sections.push(renderBudgets(report, options));
  for (const breakdown of report.breakdowns) sections.push(renderBreakdown(breakdown, options));
  sections.push(renderRecommendations(report, options));
  if (report.savings.length > 0) sections.push(renderSavings(report, options));
  return sections.join('\n\n');
}

function renderDaily(report: ReportJson, { colors, width }: ReportTextOptions): string {
  const values = report.daily.map((day) => day.costNano);
  // A long range is shown as its most recent days, one character each.
  const shown = report.daily.slice(-Math.max(7, width - 6));
  const line = sparkline(shown.map((day) => day.costNano));
  const peak = report.daily.reduce(
    (best, day) => (day.costNano > best.costNano ? day : best),
    report.daily[0]!,
  );
  const sum = values.reduce((total, value) => total + value, 0);
  const average = Math.round(sum / Math.max(1, values.length));
  const first = shown[0]?.day ?? '';
  const last = shown[shown.length - 1]?.day ?? '';
  const axis =
    first === last
      ? first
      : `${first}${' '.repeat(Math.max(1, line.length - first.length - last.length))}${last}`;
  const summary =
    sum === 0
      ? 'no spend in this range'
      : `peak ${formatUsd(peak.costNano)} on ${peak.day} · average ${formatUsd(average)} a day`;
  const cut =
    shown.length < report.daily.length
      ? colors.dim(
          ` (the last ${formatCount(shown.length)} of ${formatCount(report.daily.length)} days shown; --json or --html for all)`,
        )
      : '';
  return [
    colors.bold('Daily spend') + cut,
    `  ${colors.cyan(line)}`,
    `  ${colors.dim(axis.length > line.length ? `${first} → ${last}` : axis)}`,
    `  ${summary}`,
  ].join('\n');
}

function renderBudgets(report: ReportJson, { colors, limit }: ReportTextOptions): string {
  const shown = mostUsedPerBudget(report.statuses, limit);
  const rows = shown.statuses.map((status) => [
    status.scope === 'global' ? status.budgetId : `${status.budgetId} (${status.scope})`,
    colorForLevel(status.alertLevel, colors)(status.alertLevel),
    `${(status.usedRatio * 100).toFixed(1)}%`,
    formatUsd(status.usedNano),
    formatUsd(status.limitNano),
    status.projection.method === 'none' ? '—' : formatUsd(status.projectedNano),
    status.daysRemaining === null ? '—' : String(status.daysRemaining),
  ]);
  const columns: TableColumn[] = [
    { header: 'budget' },
    { header: 'level' },
    { header: 'used %', align: 'right' },
    { header: 'used', align: 'right' },
    { header: 'limit', align: 'right' },
    { header: 'projected', align: 'right' },
    { header: 'days left', align: 'right' },
  ];
  const more =
    shown.hidden > 0
      ? `\n${colors.dim(`  … and ${shown.hidden} more scope values (JSON and HTML list all)`)}`
      : '';
  return `${colors.bold('Budgets')} ${colors.dim(`(strategy ${report.strategy})`)}\n${renderTable(columns, rows, { dim: colors.dim })}${more}`;
}

function renderBreakdown(breakdown: BreakdownJson, { colors, width, limit }: ReportTextOptions): string {
  const title = colors.bold(
    `By ${breakdown.by.map((dimension) => DIMENSION_LABELS[dimension]).join(' and ')}`,
  );
  if (breakdown.groups.length === 0) return `${title}\n  ${colors.dim('no spend in this range')}`;
  // Days are in calendar order: the most recent ones are the ones to show.
  const byDay = breakdown.by.length === 1 && breakdown.by[0] === 'day';
  const cut = byDay ? Math.max(0, breakdown.groups.length - limit) : limit;
  const shown = byDay ? breakdown.groups.slice(cut) : breakdown.groups.slice(0, limit);
  const rest = byDay ? breakdown.groups.slice(0, cut) : breakdown.groups.slice(limit);
  const columns: TableColumn[] = [
    ...breakdown.by.map((dimension) => ({ header: DIMENSION_LABELS[dimension] })),
    { header: 'cost', align: 'right' },
    { header: 'share', align: 'right' },
    { header: 'requests', align: 'right' },
    { header: 'input tok', align: 'right' },
    { header: 'output tok', align: 'right' },
  ];
  const rows = shown.map((group) => [
    ...breakdown.by.map((dimension) => dimensionValue(group.key[dimension])),
    formatUsd(group.costNano),
    formatShare(group.share),
    formatCount(group.usage.requests),
    formatCompact(group.usage.inputTokens),
    formatCompact(group.usage.outputTokens),
  ]);
  const plain = renderTable(columns, rows);
  const tableWidth = Math.max(...plain.split('\n').map(visibleWidth));
  const barWidth = Math.max(8, Math.min(30, width - tableWidth - 3));
  const max = Math.max(...shown.map((group) => group.costNano));
  const withBars = renderTable(
    [...columns, { header: '' }],
    rows.map((row, index) => [...row, colors.cyan(horizontalBar(shown[index]!.costNano, max, barWidth))]),
    { dim: colors.dim },
  );
  const lines = [title, withBars];
  if (rest.length > 0) {
    const restCost = rest.reduce((sum, group) => sum + group.costNano, 0);
    const more = byDay ? formatCountOf(rest.length, 'earlier day') : `${rest.length} more`;
    const note = colors.dim(`  … ${more}: ${formatUsd(restCost)} (--limit to show more, --json for all)`);
    if (byDay) lines.splice(1, 0, note);
    else lines.push(note);
  }
  return lines.join('\n');
}

const SEVERITY_MARKS = { urgent: '!!', warning: '! ', info: '• ' } as const;

function renderRecommendations(report: ReportJson, { colors, width, wrap }: ReportTextOptions): string {
  if (report.recommendations.length === 0)
    return `${colors.bold('Recommendations')}\n  ${colors.dim('none: spend is within every budget')}`;
  const color = { urgent: colors.red, warning: colors.yellow, info: colors.cyan } as const;
  const lines = report.recommendations.map(
    (recommendation) =>
      `  ${color[recommendation.severity](SEVERITY_MARKS[recommendation.severity])} ${wrap ? wrapText(recommendation.message, width - 5, '     ') : recommendation.message}`,
  );
  return [colors.bold('Recommendations'), ...lines].join('\n');
}

function renderSavings(report: ReportJson, { colors, limit }: ReportTextOptions): string {
  const shown = report.savings.slice(0, limit);
  const rows = shown.map((saving) => [
    saving.requestType,
    `${saving.from.model} → ${saving.to.model}`,
    saving.kind === 'same-tier' ? 'same tier' : 'one tier down',
    formatCount(saving.requests),
    formatUsd(saving.actualCostNano),
    formatUsd(saving.replayedCostNano),
    colors.green(formatUsd(saving.savingNano)),
    saving.approximate ? colors.dim('approximate') : '',
  ]);
  const columns: TableColumn[] = [
    { header: 'type' },
    { header: 'model change' },
    { header: 'quality' },
    { header: 'requests', align: 'right' },
    { header: 'cost', align: 'right' },
    { header: 'would cost', align: 'right' },
    { header: 'saving', align: 'right' },
    { header: '' },
  ];
  return `${colors.bold('What-if savings')} ${colors.dim(`(${lastDays(report.range.days)} replayed on cheaper models)`)}\n${renderTable(columns, rows, { dim: colors.dim })}`;
}
