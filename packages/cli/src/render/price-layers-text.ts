import type { PriceDataLayers, PriceDataSummary } from '@tollgate/core';
import type { Colors } from './colors';
import { formatCount } from './format-number';
import { padEnd, visibleWidth } from './visible-width';

/** What the command knows of the cache file beside the layers: absent, ignored (and why), or loaded. */
export type CacheFileState =
  | { readonly state: 'absent'; readonly path: string }
  | { readonly state: 'ignored'; readonly path: string; readonly reason: string }
  | { readonly state: 'loaded'; readonly path: string };

/** The as-of lines of every price layer, under the price table of `tollgate prices`. */
export function renderPriceLayers(
  layers: PriceDataLayers,
  cache: CacheFileState,
  now: number,
  colors: Colors,
): string {
  const { bundled, loaded } = layers;
  const rows: string[][] = [
    ["tollgate's own", `prices checked ${layers.tollgate.asOf}`],
    [
      `genai-prices ${bundled.version ?? ''}`.trimEnd(),
      `bundled: ${describeData(bundled)}${loaded ? '' : ' — in use'}`,
    ],
  ];
  if (cache.state === 'absent')
    rows.push(['cache file', `none at ${cache.path} (tollgate prices --update writes it)`]);
  else if (cache.state === 'ignored') rows.push(['cache file', `${cache.path} ignored: ${cache.reason}`]);
  else if (loaded)
    rows.push([
      'cache file',
      `${cache.path}: fetched ${new Date(loaded.retrievedAt).toISOString().replace(/\.\d{3}Z$/, 'Z')}${ageOf(now - loaded.retrievedAt)}, ${describeData(loaded)} — in use`,
    ]);
  const width = Math.max(...rows.map(([layer]) => visibleWidth(layer ?? '')));
  const lines = rows.map(([layer, text]) => `  ${padEnd(layer ?? '', width)}  ${text}`);
  return [
    `${colors.bold('price layers')} ${colors.dim("(first match wins: the config's prices, tollgate's own, then genai-prices)")}`,
    ...lines,
  ].join('\n');
}

export function describeData(data: PriceDataSummary): string {
  const dated = data.newestPriceDate ? `prices dated up to ${data.newestPriceDate}, ` : '';
  return `${dated}${formatCount(data.models)} models of ${formatCount(data.providers)} providers`;
}

function ageOf(ms: number): string {
  if (!(ms >= 0)) return '';
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 60) return ` (${minutes} min ago)`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return ` (${hours} h ago)`;
  return ` (${Math.floor(hours / 24)} days ago)`;
}
