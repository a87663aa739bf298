import type { BudgetManager } from '@tollgate/core';
import type { OutputStream } from '../cli-io';
import { CSV_HEADER, csvLineOf } from './csv-line';
import { exportRowOf } from './export-row';

export type ExportFormat = 'csv' | 'jsonl';

/** Records read per page: enough to amortise a read, small enough that memory stays flat. */
const PAGE = 1_000;

/**
 * Streams every record from `from` to `to`, in time order, a page at a time: one page is held at
 * once, and the next is read only when the output has taken the last (backpressure), so memory does
 * not grow with the number of records. Resolves to how many were written.
 */
export async function writeRecords(
  budget: BudgetManager,
  output: OutputStream,
  options: { format: ExportFormat; from?: number; to?: number },
): Promise<number> {
  const line =
    options.format === 'csv'
      ? (record: Parameters<typeof exportRowOf>[0]) => csvLineOf(exportRowOf(record))
      : (record: Parameters<typeof exportRowOf>[0]) => `${JSON.stringify(exportRowOf(record))}\n`;
  if (options.format === 'csv') await write(output, CSV_HEADER);
  let written = 0;
  let after: string | undefined;
  do {
    const page = await budget.records({
      limit: PAGE,
      ...(options.from === undefined ? {} : { from: options.from }),
      ...(options.to === undefined ? {} : { to: options.to }),
      ...(after === undefined ? {} : { after }),
    });
    let chunk = '';
    for (const record of page.records) chunk += line(record);
    if (chunk !== '') await write(output, chunk);
    written += page.records.length;
    after = page.next;
    // A store that answers synchronously (SQLite) would otherwise run the whole export in one task.
    await new Promise((resolve) => setImmediate(resolve));
  } while (after !== undefined);
  return written;
}

function write(output: OutputStream, text: string): Promise<void> {
  if (output.write(text) !== false || !output.once) return Promise.resolve();
  return new Promise((resolve) => output.once!('drain', resolve));
}
