import { escapeHtml } from './html-escape';
import { formatCountOf } from './format-number';

export interface DailyChartDay {
  readonly day: string;
  readonly value: number;
  readonly display: string;
  readonly requests: number;
}

const WIDTH = 760;
const HEIGHT = 240;
const MARGIN = { top: 12, right: 70, bottom: 30, left: 70 };

/** The axis maximum: the smallest 1, 2, 2.5 or 5 × 10ⁿ at or above `value`, so the gridlines read as round amounts. */
export function niceCeiling(value: number): number {
  if (!(value > 0)) return 0;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

/**
 * Daily spend as inline SVG columns on the left axis, the running total as a line on an axis of its own
 * on the right (so days of a few cents stay readable beside a total of dollars), labelled with
 * `formatValue` and the first, middle and last days on the x axis.
 */
export function svgDailyChart(
  days: readonly DailyChartDay[],
  formatValue: (value: number) => string,
): string {
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const total = days.reduce((sum, day) => sum + day.value, 0);
  const max = niceCeiling(Math.max(0, ...days.map((day) => day.value)));
  const totalMax = niceCeiling(total);
  const step = plotWidth / Math.max(1, days.length);
  const barWidth = Math.max(1, step * 0.72);
  const scale = (axisMax: number) => (value: number) =>
    MARGIN.top + plotHeight - (axisMax > 0 ? (value / axisMax) * plotHeight : 0);
  const y = scale(max);
  const totalY = scale(totalMax);
  const drawsTotal = total > 0 && days.length > 1;
  const parts: string[] = [];

  if (max === 0)
    parts.push(
      `<text x="${MARGIN.left + plotWidth / 2}" y="${MARGIN.top + plotHeight / 2}" text-anchor="middle" class="axis">no spend in this range</text>`,
    );
  for (const fraction of max === 0 ? [0] : [0, 0.5, 1]) {
    const lineY = MARGIN.top + plotHeight - fraction * plotHeight;
    parts.push(
      `<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${lineY}" y2="${lineY}" class="grid"/>`,
      `<text x="${MARGIN.left - 8}" y="${lineY + 4}" text-anchor="end" class="axis daily-axis">${escapeHtml(formatValue(Math.round(max * fraction)))}</text>`,
    );
    if (drawsTotal)
      parts.push(
        `<text x="${WIDTH - MARGIN.right + 8}" y="${lineY + 4}" text-anchor="start" class="axis total-axis">${escapeHtml(formatValue(Math.round(totalMax * fraction)))}</text>`,
      );
  }
  days.forEach((day, index) => {
    const x = MARGIN.left + index * step + (step - barWidth) / 2;
    const top = y(day.value);
    const height = MARGIN.top + plotHeight - top;
    parts.push(
      `<rect class="day-bar" data-day="${escapeHtml(day.day)}" data-cost-nano-usd="${day.value}" data-requests="${day.requests}" x="${x.toFixed(1)}" y="${top.toFixed(1)}" width="${barWidth.toFixed(1)}" height="${height.toFixed(1)}" rx="1.5">` +
        `<title>${escapeHtml(`${day.day}: ${day.display}, ${formatCountOf(day.requests, 'request')}`)}</title></rect>`,
    );
  });
  if (drawsTotal) {
    let running = 0;
    const points = days.map((day, index) => {
      running += day.value;
      const x = MARGIN.left + index * step + step / 2;
      return `${x.toFixed(1)},${totalY(running).toFixed(1)}`;
    });
    parts.push(`<polyline class="running-total" points="${points.join(' ')}"/>`);
  }
  const last = days.length - 1;
  const labelled = new Set([0, Math.floor(last / 2), last]);
  for (const index of labelled) {
    const day = days[index];
    if (!day) continue;
    const x = MARGIN.left + index * step + step / 2;
    // The end labels are anchored inwards so that they stay inside the chart.
    const anchor = index === 0 && last > 0 ? 'start' : index === last && last > 0 ? 'end' : 'middle';
    const labelX = anchor === 'start' ? MARGIN.left : anchor === 'end' ? WIDTH - MARGIN.right : x;
    parts.push(
      `<text x="${labelX.toFixed(1)}" y="${HEIGHT - 10}" text-anchor="${anchor}" class="axis">${escapeHtml(day.day)}</text>`,
    );
  }
  return (
    `<svg class="chart daily-chart" role="img" aria-label="Daily spend" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" xmlns="http://www.w3.org/2000/svg">` +
    parts.join('') +
    '</svg>'
  );
}
