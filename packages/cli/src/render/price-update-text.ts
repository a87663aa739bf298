import type { PriceUpdateResult } from '@tollgate/core';
import type { Colors } from './colors';
import { formatCount } from './format-number';
import { describeData } from './price-layers-text';

/** What `tollgate prices --update` did, in two lines: the data fetched, what changed and where it went. */
export function renderPriceUpdate(
  result: PriceUpdateResult,
  before: string,
  cacheFile: string,
  colors: Colors,
): string {
  const { summary, changes } = result;
  const fetched = `${colors.green('updated')} genai-prices data from ${result.url}${summary ? `: ${describeData(summary)}` : ''}`;
  const changed = changes
    ? `${plural(changes.changed, 'model', 'with new prices')}, ${plural(changes.added, 'model', 'added')}, ${formatCount(changes.removed)} removed since ${before}`
    : '';
  return `${fetched}\n  ${changed}; written to ${cacheFile}`;
}

function plural(count: number, noun: string, what: string): string {
  return `${formatCount(count)} ${noun}${count === 1 ? '' : 's'} ${what}`;
}
