import type { NanoUsd } from '@tollgate/core';
import { EXPORT_COLUMNS, type ExportColumn, type ExportValue } from './export-row';

/** Characters that make a spreadsheet read a cell as a formula (CSV injection). */
const FORMULA_START = /^[=+\-@\t\r]/;

export const CSV_HEADER = `${EXPORT_COLUMNS.join(',')}\r\n`;

/**
 * One RFC 4180 line (CRLF). Text that a spreadsheet would run as a formula (a user id that starts
 * with `=`) gets a leading `'`, as OWASP advises; tags are joined with `;`; USD is the exact
 * nano-USD amount written as a decimal, never a float.
 */
export function csvLineOf(row: Record<ExportColumn, ExportValue>): string {
  let line = '';
  for (let index = 0; index < EXPORT_COLUMNS.length; index++) {
    const column = EXPORT_COLUMNS[index]!;
    if (index > 0) line += ',';
    line += column === 'costUsd' ? exactUsd(row.costNano as NanoUsd) : csvField(row[column]);
  }
  return `${line}\r\n`;
}

function csvField(value: ExportValue): string {
  if (value === null) return '';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  const text = typeof value === 'string' ? value : value.join(';');
  const safe = FORMULA_START.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** 420000 → `0.000420000`: nine decimals, exact. */
export function exactUsd(nano: NanoUsd): string {
  const whole = Math.floor(nano / 1_000_000_000);
  const fraction = nano - whole * 1_000_000_000;
  return `${whole}.${String(fraction).padStart(9, '0')}`;
}
