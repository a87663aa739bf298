import { Command } from 'commander';
import { version } from '../package.json';
import type { CliIo } from './cli-io';
import { registerEstimateCommand } from './commands/estimate';
import { registerExportCommand } from './commands/export';
import { registerPricesCommand } from './commands/prices';
import { registerReportCommand } from './commands/report';
import { registerStatusCommand } from './commands/status';

const EXAMPLES = `
Examples:
  $ tollgate status
  $ tollgate status --user u-42
  $ tollgate report --by provider,model,day --days 7
  $ tollgate export --format csv --from 2026-11-01 --to 2026-11-30 > november.csv
  $ tollgate report --json > spend.json
  $ tollgate report --html report.html
  $ tollgate status --store mongodb://localhost:27017/tollgate
  $ tollgate prices claude
  $ tollgate prices --update
  $ tollgate estimate --model gpt-4o-mini --input-tokens 1200 --output-tokens 400

Exit codes: 0 ok, 1 unexpected error, 2 bad arguments or config, 3 store unreachable or invalid,
4 price data not fetched or refused (prices --update).`;

/** The `tollgate` command and its subcommands. Settings made here are inherited by every subcommand. */
export function createProgram(io: CliIo): Command {
  const program = new Command('tollgate')
    .description(
      'Shows where AI-API money went: budget status, spend reports, the records of every call, prices and estimates.',
    )
    .version(version, '-v, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .option('--color', 'colour the output even when it is not a terminal')
    .option('--no-color', 'never colour the output (NO_COLOR does the same)')
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      outputError: (text, write) => write(text.replace(/^error: /, 'tollgate: ')),
    })
    .showHelpAfterError('(add --help for usage)')
    .exitOverride()
    .addHelpText('after', EXAMPLES);
  program.helpCommand('help [command]', 'show help for a command');
  registerStatusCommand(program, io);
  registerReportCommand(program, io);
  registerExportCommand(program, io);
  registerPricesCommand(program, io);
  registerEstimateCommand(program, io);
  return program;
}
