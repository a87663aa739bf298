import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { RollupDimension } from '@tollgate/core';
import { type Command, Option } from 'commander';
import { version } from '../../package.json';
import { usageError } from '../cli-error';
import type { CliIo } from '../cli-io';
import {
  DEFAULT_BREAKDOWNS,
  DIMENSION_HELP,
  parseBreakdownDimensions,
} from '../options/parse-breakdown-dimensions';
import { integerOption } from '../options/parse-integer';
import { renderHtmlReport } from '../render/html-report';
import { createProgressIndicator } from '../render/progress-indicator';
import { renderReportText } from '../render/report-text';
import { collectReport } from '../report/collect-report';
import { describeError } from '../store/describe-error';
import { type StoreOptions, withBudgetSession } from '../store/open-budget';
import { outputStyle, writeJson } from './output-style';
import { addStoreOptions } from './store-options';

interface ReportOptions extends StoreOptions {
  readonly by: RollupDimension[][];
  readonly days: number;
  readonly limit: number;
  readonly json?: boolean;
  readonly html?: string;
}

export function registerReportCommand(program: Command, io: CliIo): void {
  const command = program
    .command('report')
    .description(
      'where the money went: breakdowns with bar charts, a daily sparkline, recommendations and what-if savings',
    )
    .addOption(
      new Option(
        '--by <dimensions>',
        `comma-separated breakdowns, each one of ${DIMENSION_HELP}; join with + to group by several (provider+model)`,
      )
        .argParser(parseBreakdownDimensions)
        // Shown in the help as typed, not as the parsed value.
        .default(parseBreakdownDimensions(DEFAULT_BREAKDOWNS), DEFAULT_BREAKDOWNS),
    )
    .option('--days <n>', 'the last N days, today included', integerOption(1, 3660), 30)
    .addOption(notAReportOption('--from <when>'))
    .addOption(notAReportOption('--since <when>'))
    .addOption(notAReportOption('--to <when>'))
    .option(
      '--limit <n>',
      'rows shown per breakdown in the terminal (JSON and HTML list all)',
      integerOption(1, 10_000),
      10,
    )
    .option('--json', 'print JSON for scripts (see the README for the shape)')
    .option('--html <file>', 'also write a self-contained HTML report with charts to FILE');
  addStoreOptions(command).action(async (options: ReportOptions, self: Command) => {
    const htmlPath = options.html === undefined ? undefined : path.resolve(io.cwd, options.html);
    if (options.html !== undefined && options.html.trim() === '')
      throw usageError('--html needs a file name');
    await withBudgetSession(options, io, async (session) => {
      const { storeLabel } = session;
      const report = await collectReport(session, {
        breakdowns: options.by,
        days: options.days,
        storeLabel,
        progress: createProgressIndicator(io.stderr),
      });
      if (htmlPath) writeHtml(htmlPath, renderHtmlReport(report, { version }));
      if (options.json) {
        writeJson(io, report);
        if (htmlPath) io.stderr.write(`HTML report written to ${htmlPath}\n`);
        return;
      }
      const { colors, width } = outputStyle(self, io);
      io.stdout.write(
        `${renderReportText(report, { colors, width, limit: options.limit, wrap: io.stdout.isTTY === true })}\n`,
      );
      if (htmlPath) io.stdout.write(`\nHTML report written to ${colors.bold(htmlPath)}\n`);
    });
  });
}

/** A range option of `export` that a report user tries too: refused with what a report takes instead. */
function notAReportOption(flags: string): Option {
  return new Option(flags).hideHelp().argParser(() => {
    throw usageError(
      `report has no ${flags.split(' ')[0]}: it covers the last N days, today included (--days <n>); export takes a range of days (--from, --to)`,
    );
  });
}

function writeHtml(file: string, html: string): void {
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, html);
  } catch (error) {
    throw usageError(`cannot write the HTML report to ${file}: ${describeError(error)}`);
  }
}
