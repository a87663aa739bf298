import {
  type PriceCatalog,
  priceDataLayers,
  SERVICE_TYPES,
  type ServiceType,
  updatePriceData,
} from '@tollgate/core';
import { type Command, Option } from 'commander';
import { LISTED_PROVIDERS, listPrices } from '../catalog/list-prices';
import { usePriceCacheFile } from '../catalog/price-cache-file';
import { type PriceDataSource, shownPath } from '../catalog/price-data-source';
import { unknownProviderText } from '../catalog/unknown-names';
import { CliError, EXIT_CODES, usageError } from '../cli-error';
import type { CliIo } from '../cli-io';
import { type CacheFileState, renderPriceLayers } from '../render/price-layers-text';
import { renderPriceUpdate } from '../render/price-update-text';
import { renderPriceTable } from '../render/price-table';
import { openCatalogBudget } from '../store/open-budget';
import { outputStyle, writeJson } from './output-style';

interface PricesOptions {
  readonly provider?: string;
  readonly service?: ServiceType;
  readonly all?: boolean;
  readonly json?: boolean;
  readonly config?: string;
  readonly update?: boolean;
  readonly cacheFile?: string;
  readonly url?: string;
}

export function registerPricesCommand(program: Command, io: CliIo): void {
  program
    .command('prices')
    .description(
      'the catalog prices tollgate charges (per million tokens, per audio minute, per million characters), and how recent each price layer is',
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
    .option('--update', 'fetch fresh genai-prices data, check it and write the cache file (lists nothing)')
    .option(
      '--cache-file <file>',
      "the genai-prices cache file, read when present (default: the config's prices.update.cacheFile, else .tollgate/genai-prices.json)",
    )
    .option(
      '--url <url>',
      "where --update fetches from (default: the config's prices.update.url, else genai-prices' published data)",
    )
    .action(async (model: string | undefined, options: PricesOptions, self: Command) => {
      const budget = openCatalogBudget(options.config, io);
      const { source, cache } = usePriceCacheFile(options, io);
      const { colors } = outputStyle(self, io);
      if (options.update) {
        if (model !== undefined) throw usageError('--update lists no prices: leave out the model');
        await update(source, cache, options.json === true, io, colors);
        return;
      }
      const rows = listPrices(budget.catalog, {
        ...(model === undefined ? {} : { model }),
        ...(options.provider === undefined ? {} : { provider: options.provider }),
        ...(options.service === undefined ? {} : { service: options.service }),
        includeDeprecated: options.all === true,
        at: new Date(budget.now()),
      });
      const layers = await priceDataLayers(new Date(budget.now()));
      if (options.json) {
        writeJson(io, { schemaVersion: 1, prices: rows, layers: layersJson(layers, cache) });
        return;
      }
      io.stdout.write(
        rows.length === 0
          ? `${noPriceFound(budget.catalog, model, options.provider)}\n`
          : `${renderPriceTable(rows, colors)}\n`,
      );
      io.stdout.write(`\n${renderPriceLayers(layers, cache, Date.now(), colors)}\n`);
    });
}

/** Why nothing was listed: a provider the price data does not know is named, with the likely one. */
function noPriceFound(
  catalog: PriceCatalog,
  model: string | undefined,
  provider: string | undefined,
): string {
  const found = `no price found${model === undefined ? '' : ` for "${model}"`}`;
  const unknown = provider === undefined ? undefined : unknownProviderText(catalog, provider);
  return unknown === undefined ? found : `${found}: ${unknown}`;
}

async function update(
  source: PriceDataSource,
  cache: CacheFileState,
  json: boolean,
  io: CliIo,
  colors: Parameters<typeof renderPriceUpdate>[3],
): Promise<void> {
  const result = await updatePriceData({ url: source.url, cacheFile: source.cacheFile });
  const path = shownPath(source.cacheFile, io.cwd);
  if (json)
    writeJson(io, {
      schemaVersion: 1,
      update: { ...result, ...(result.cacheFile ? { cacheFile: path } : {}) },
    });
  if (!result.updated)
    throw new CliError(
      `price data from ${result.url} was not used: ${result.error}; ${cache.state === 'loaded' ? `${path} is unchanged` : 'no cache file was written'}`,
      EXIT_CODES.prices,
    );
  if (result.cacheError !== undefined)
    throw new CliError(`cannot write the price cache file ${path}: ${result.cacheError}`, EXIT_CODES.prices);
  if (!json) {
    const before = cache.state === 'loaded' ? `the cache file` : 'the bundled data';
    io.stdout.write(`${renderPriceUpdate(result, before, path, colors)}\n`);
  }
}

function layersJson(layers: Awaited<ReturnType<typeof priceDataLayers>>, cache: CacheFileState): unknown {
  return {
    tollgate: layers.tollgate,
    bundled: layers.bundled,
    cacheFile: {
      path: cache.path,
      state: cache.state,
      ...(cache.state === 'ignored' ? { reason: cache.reason } : {}),
      ...(cache.state === 'loaded' && layers.loaded
        ? {
            retrievedAt: new Date(layers.loaded.retrievedAt).toISOString(),
            newestPriceDate: layers.loaded.newestPriceDate ?? null,
            providers: layers.loaded.providers,
            models: layers.loaded.models,
          }
        : {}),
    },
  };
}
