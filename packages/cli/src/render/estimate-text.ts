import { type Estimate, formatUsd } from '@tollgate/core';
import type { Colors } from './colors';
import { formatCount } from './format-number';
import { renderTable } from './text-table';

const LAYER_NOTES: Readonly<Record<Estimate['layer'], string>> = {
  'model-price': "the model's own price",
  'service-fallback': 'not in the catalog: a generic price for its service, which a premium model can exceed',
  'minimal-fallback': 'not in the catalog: the minimal $0.01 fallback',
};

/** An estimate for a terminal: the cost, what it rests on, and its priced lines. */
export function renderEstimateText(estimate: Estimate, colors: Colors): string {
  const label = (text: string) => colors.dim(text.padEnd(12));
  const tokens = `${formatCount(estimate.inputTokens)} input + ${formatCount(estimate.outputTokens)} output = ${formatCount(estimate.tokensEstimated)}`;
  const lines = [
    `${colors.bold(estimate.model)}  ${colors.dim(`${estimate.provider} · ${estimate.serviceType}`)}`,
    `  ${label('cost')}${colors.bold(formatUsd(estimate.costNano))}  ${colors.dim(`(${formatCount(estimate.costNano)} nano-USD)`)}`,
  ];
  const { usage } = estimate;
  if (estimate.tokensEstimated > 0 || (usage.audioSeconds === 0 && usage.characters === 0))
    lines.push(
      `  ${label('tokens')}${tokens}${estimate.tokenCount === 'given' ? '' : colors.dim(` (prompt counted: ${estimate.tokenCount})`)}`,
    );
  if (estimate.likelyInputTokens !== estimate.inputTokens)
    lines.push(
      `  ${label('')}${colors.dim(`input priced at its upper bound; likely about ${formatCount(estimate.likelyInputTokens)} tokens`)}`,
    );
  if (usage.audioSeconds > 0) lines.push(`  ${label('audio')}${formatCount(usage.audioSeconds)} seconds`);
  if (usage.characters > 0) lines.push(`  ${label('characters')}${formatCount(usage.characters)}`);
  lines.push(
    `  ${label('confidence')}${estimate.confidence} ${colors.dim(`(${estimate.layer}: ${LAYER_NOTES[estimate.layer]})`)}`,
  );
  if (estimate.local) lines.push(`  ${label('local')}runs on your own hardware: $0 on purpose`);
  if (estimate.breakdown.lines.length > 0) {
    const rows = estimate.breakdown.lines.map((line) => [
      line.component,
      formatCount(line.units),
      line.component === 'audio' ? 'ms' : unitOf(line.component),
      formatUsd(line.cost),
    ]);
    lines.push(
      '',
      renderTable(
        [
          { header: 'line' },
          { header: 'units', align: 'right' },
          { header: '' },
          { header: 'cost', align: 'right' },
        ],
        rows,
        { dim: colors.dim },
      ),
    );
  }
  return lines.join('\n');
}

function unitOf(component: string): string {
  if (component === 'character') return 'characters';
  if (component === 'image') return 'images';
  if (component === 'page') return 'pages';
  if (component === 'request') return 'requests';
  if (component === 'webSearch') return 'searches';
  return 'tokens';
}
