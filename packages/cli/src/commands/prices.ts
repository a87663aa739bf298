import { SERVICE_TYPES, type ServiceType } from '@tollgate/core';
import { type Command, Option } from 'commander';
import { LISTED_PROVIDERS, listPrices } from '../catalog/list-prices';
import type { CliIo } from '../cli-io';
import { renderPriceTable } from '../render/price-table';
import { openCatalogBudget } from '../store/open-budget';
import { outputStyle, writeJson } from './output-style';

interface PricesOptions {
  readonly provider?: string;
  readonly service?: ServiceType;
  readonly all?: boolean;
  readonly json?: boolean;
  readonly config?: string;
}

export function registerPricesCommand(program: Command, io: CliIo): void {
  program
    .command('prices')
    .description(
      'the catalog prices tollgate charges (per million tokens, per audio minute, per million characters)',
    )
    .argument('[model]', 'show only models whose id contains this text (a dated id or an alias resolves too)')
    .option(
      '--provider <id>',
      `only this provider (default: ${LISTED_PROVIDERS.join(', ')} and tollgate's own entries)`,
    )
    .addOption(new Option('--service <type>', 'only this kind of service').choices(SERVICE_TYPES))
    .option('--all', 'include models the bundled price data marks deprecated')
    .option('--json', 'print JSON: USD prices and the exact rates')
    .option('--config <file>', "the app's own prices (`prices` in the config file) are listed too")
    .action((model: string | undefined, options: PricesOptions, self: Command) => {
      const budget = openCatalogBudget(options.config, io);
      const rows = listPrices(budget.catalog, {
        ...(model === undefined ? {} : { model }),
        ...(options.provider === undefined ? {} : { provider: options.provider }),
        ...(options.service === undefined ? {} : { service: options.service }),
        includeDeprecated: options.all === true,
        at: new Date(budget.now()),
      });
      if (options.json) {
        writeJson(io, { schemaVersion: 1, prices: rows });
        return;
      }
      const { colors } = outputStyle(self, io);
      if (rows.length === 0) {
        io.stdout.write(`no price found${model === undefined ? '' : ` for "${model}"`}\n`);
        return;
      }
      io.stdout.write(`${renderPriceTable(rows, colors)}\n`);
    });
}
