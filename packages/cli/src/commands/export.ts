import type { Command } from 'commander';
import { Option } from 'commander';
import { usageError } from '../cli-error';
import type { CliIo } from '../cli-io';
import { type ExportFormat, writeRecords } from '../export/write-records';
import { parseTimeBound } from '../options/parse-time-bound';
import { type StoreOptions, withBudgetSession } from '../store/open-budget';
import { addStoreOptions } from './store-options';

interface ExportOptions extends StoreOptions {
  readonly format: ExportFormat;
  readonly from?: string;
  readonly to?: string;
}

export function registerExportCommand(program: Command, io: CliIo): void {
  const command = program
    .command('export')
    .description('every recorded call, in time order, as CSV or JSON lines on stdout (to check an invoice)')
    .addOption(
      new Option('--format <format>', 'csv (RFC 4180, with a header) or jsonl (one JSON object a line)')
        .choices(['csv', 'jsonl'])
        .makeOptionMandatory(),
    )
    .option(
      '--from <when>',
      'the first day (YYYY-MM-DD, in the report time zone) or time (ISO 8601) to include',
    )
    .option('--to <when>', 'the last day to include, or the time (ISO 8601) to stop before');
  addStoreOptions(command).action(async (options: ExportOptions) => {
    await withBudgetSession(options, io, async ({ budget }) => {
      const timeZone = budget.reportTimeZone;
      const from = options.from === undefined ? undefined : parseTimeBound(options.from, '--from', timeZone);
      const to = options.to === undefined ? undefined : parseTimeBound(options.to, '--to', timeZone);
      if (from !== undefined && to !== undefined && from > to)
        throw usageError(`--from ${options.from} is after --to ${options.to}`);
      await writeRecords(budget, io.stdout, {
        format: options.format,
        ...(from === undefined ? {} : { from }),
        ...(to === undefined ? {} : { to }),
      });
    });
  });
}
