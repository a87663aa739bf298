import type { PriceRow } from '../catalog/list-prices';
import type { Colors } from './colors';
import { formatPrice } from './format-number';
import { renderTable, type TableColumn } from './text-table';

const COLUMNS: readonly (TableColumn & { field?: keyof PriceRow['prices'] })[] = [
  { header: 'provider' },
  { header: 'model' },
  { header: 'service' },
  { header: 'input/MTok', align: 'right', field: 'inputPerMTok' },
  { header: 'output/MTok', align: 'right', field: 'outputPerMTok' },
  { header: 'cache read/MTok', align: 'right', field: 'cacheReadPerMTok' },
  { header: 'cache write/MTok', align: 'right', field: 'cacheWritePerMTok' },
  { header: 'audio/min', align: 'right', field: 'perAudioMinute' },
  { header: 'chars/M', align: 'right', field: 'perMillionCharacters' },
  { header: 'source' },
];

/** The catalog prices as a table; a price that does not apply shows as `—`. */
export function renderPriceTable(rows: readonly PriceRow[], colors: Colors): string {
  const body = rows.map((row) =>
    COLUMNS.map((column, index) => {
      if (index === 0) return row.provider;
      if (index === 1) return row.model + (row.tiers.length > 0 ? colors.dim(' *') : '');
      if (index === 2) return row.service;
      if (!column.field) return colors.dim(row.local ? 'local' : row.source);
      const value = row.prices[column.field];
      return value === undefined ? colors.dim('—') : formatPrice(value);
    }),
  );
  const notes = rows.some((row) => row.tiers.length > 0)
    ? `\n${colors.dim('  * a long-context tier raises the prices above a number of input tokens (see --json)')}`
    : '';
  return renderTable(COLUMNS, body, { dim: colors.dim }) + notes;
}
