import { escapeHtml } from './html-escape';

export interface BarChartItem {
  readonly label: string;
  readonly value: number;
  /** The value as shown at the end of the bar. */
  readonly display: string;
  /** Attributes copied onto the bar, e.g. `{ 'data-cost-nano-usd': '123' }`. */
  readonly data?: Readonly<Record<string, string>>;
}

const ROW_HEIGHT = 26;
const LABEL_WIDTH = 190;
const VALUE_WIDTH = 90;

/** A horizontal bar chart as inline SVG: one labelled row per item, longest bar at full width. */
export function svgBarChart(
  items: readonly BarChartItem[],
  options: { width?: number; color?: string; title: string },
): string {
  const width = options.width ?? 640;
  const color = options.color ?? '#3b6fd8';
  const plot = width - LABEL_WIDTH - VALUE_WIDTH;
  const height = Math.max(ROW_HEIGHT, items.length * ROW_HEIGHT);
  const max = Math.max(0, ...items.map((item) => item.value));
  const rows = items.map((item, index) => {
    const y = index * ROW_HEIGHT;
    const barWidth = max > 0 && item.value > 0 ? Math.max(2, (item.value / max) * plot) : 0;
    const data = Object.entries(item.data ?? {})
      .map(([name, value]) => ` ${name}="${escapeHtml(value)}"`)
      .join('');
    const label = item.label.length > 28 ? `${item.label.slice(0, 27)}…` : item.label;
    return [
      `<g class="bar"${data}>`,
      `<title>${escapeHtml(`${item.label}: ${item.display}`)}</title>`,
      `<text x="${LABEL_WIDTH - 8}" y="${y + 17}" text-anchor="end" class="label">${escapeHtml(label)}</text>`,
      `<rect x="${LABEL_WIDTH}" y="${y + 4}" width="${barWidth.toFixed(1)}" height="${ROW_HEIGHT - 8}" rx="3" fill="${color}"/>`,
      `<text x="${(LABEL_WIDTH + barWidth + 6).toFixed(1)}" y="${y + 17}" class="value">${escapeHtml(item.display)}</text>`,
      '</g>',
    ].join('');
  });
  return (
    `<svg class="chart bar-chart" role="img" aria-label="${escapeHtml(options.title)}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" xmlns="http://www.w3.org/2000/svg">` +
    rows.join('') +
    '</svg>'
  );
}
