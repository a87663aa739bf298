import { escapeHtml } from './html-escape';

const CENTER_X = 100;
const CENTER_Y = 100;
const RADIUS = 76;

/** A half-circle gauge as inline SVG: the used share of a budget (capped at the full arc), with ticks at the alert thresholds. */
export function svgGauge(options: {
  readonly share: number;
  readonly color: string;
  readonly label: string;
  readonly sublabel: string;
  readonly thresholds: readonly number[];
}): string {
  const share = Math.min(1, Math.max(0, Number.isFinite(options.share) ? options.share : 0));
  const point = (fraction: number, radius = RADIUS) => {
    const angle = Math.PI * (1 - fraction);
    return {
      x: (CENTER_X + radius * Math.cos(angle)).toFixed(2),
      y: (CENTER_Y - radius * Math.sin(angle)).toFixed(2),
    };
  };
  const arc = (fraction: number) => {
    const end = point(fraction);
    return `M ${CENTER_X - RADIUS} ${CENTER_Y} A ${RADIUS} ${RADIUS} 0 0 1 ${end.x} ${end.y}`;
  };
  const ticks = options.thresholds.map((threshold) => {
    const inner = point(threshold, RADIUS - 14);
    const outer = point(threshold, RADIUS + 14);
    return `<line class="tick" x1="${inner.x}" y1="${inner.y}" x2="${outer.x}" y2="${outer.y}"/>`;
  });
  return (
    `<svg class="gauge-arc" role="img" aria-label="${escapeHtml(`${options.label} ${options.sublabel}`)}" viewBox="0 0 200 118" width="200" height="118" xmlns="http://www.w3.org/2000/svg">` +
    `<path d="${arc(1)}" class="track"/>` +
    (share > 0 ? `<path d="${arc(share)}" class="fill" stroke="${escapeHtml(options.color)}"/>` : '') +
    ticks.join('') +
    `<text x="${CENTER_X}" y="${CENTER_Y - 14}" text-anchor="middle" class="gauge-value">${escapeHtml(options.label)}</text>` +
    `<text x="${CENTER_X}" y="${CENTER_Y + 12}" text-anchor="middle" class="gauge-level" fill="${escapeHtml(options.color)}">${escapeHtml(options.sublabel)}</text>` +
    '</svg>'
  );
}
