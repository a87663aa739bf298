import { type EstimateRequest, SERVICE_TYPES, type ServiceType } from '@tollgate/core';
import { type Command, Option } from 'commander';
import { usePriceCacheFile } from '../catalog/price-cache-file';
import { modelSuggestion, unknownProviderText } from '../catalog/unknown-names';
import { usageError } from '../cli-error';
import type { CliIo } from '../cli-io';
import { integerOption, quantityOption } from '../options/parse-integer';
import { renderEstimateText } from '../render/estimate-text';
import { moneyJson } from '../report/money-json';
import { openCatalogBudget } from '../store/open-budget';
import { outputStyle, writeJson } from './output-style';

interface EstimateOptions {
  readonly model: string;
  readonly provider?: string;
  readonly service?: ServiceType;
  readonly inputTokens?: number;
  readonly outputTokens?: number;
  readonly text?: string;
  readonly audioSeconds?: number;
  readonly characters?: number;
  readonly json?: boolean;
  readonly config?: string;
  readonly cacheFile?: string;
}

const MAX_TOKENS = 100_000_000;

export function registerEstimateCommand(program: Command, io: CliIo): void {
  program
    .command('estimate')
    .description(
      'the cost of a call before it is made: cost, provider, service, tokens, confidence and price layer',
    )
    .requiredOption('--model <id>', 'the model, e.g. gpt-4o-mini or claude-sonnet-4-5')
    .option('--provider <id>', 'the provider (default: inferred from the model id)')
    .addOption(
      new Option('--service <type>', 'the kind of call (default: from the catalog)').choices(SERVICE_TYPES),
    )
    .option('--input-tokens <n>', 'prompt tokens', integerOption(0, MAX_TOKENS))
    .option(
      '--output-tokens <n>',
      "the call's output limit (default: the model's maximum output)",
      integerOption(0, MAX_TOKENS),
    )
    .option('--text <prompt>', 'count the prompt tokens of this text instead of --input-tokens')
    .option('--audio-seconds <s>', 'audio length, for speech-to-text', quantityOption(10_000_000))
    .option('--characters <n>', 'characters to speak, for text-to-speech', integerOption(0, MAX_TOKENS))
    .option('--json', 'print JSON')
    .option('--config <file>', "the app's own prices (`prices` in the config file) apply")
    .option(
      '--cache-file <file>',
      "the genai-prices cache file `prices --update` writes, used when present (default: the config's prices.update.cacheFile, else .tollgate/genai-prices.json)",
    )
    .action((options: EstimateOptions, self: Command) => {
      if (options.text !== undefined && options.inputTokens !== undefined)
        throw usageError('give either --text or --input-tokens, not both');
      const budget = openCatalogBudget(options.config, io);
      usePriceCacheFile(options, io);
      const at = new Date(budget.now());
      const provider = options.provider ?? budget.catalog.providerOf(options.model, at);
      if (provider === undefined)
        throw usageError(
          `cannot tell which provider serves "${options.model}"${modelSuggestion(budget.catalog, options.model)}: pass --provider`,
        );
      const request: EstimateRequest = {
        provider,
        model: options.model,
        ...(options.service === undefined ? {} : { service: options.service }),
        ...(options.inputTokens === undefined ? {} : { inputTokens: options.inputTokens }),
        ...(options.text === undefined ? {} : { text: options.text }),
        ...(options.outputTokens === undefined ? {} : { maxOutputTokens: options.outputTokens }),
        ...(options.audioSeconds === undefined ? {} : { audioSeconds: options.audioSeconds }),
        ...(options.characters === undefined ? {} : { characters: options.characters }),
      };
      if (request.inputTokens === undefined && request.text === undefined) request.inputTokens = 0;
      const estimate = budget.estimate(request);
      if (estimate.layer !== 'model-price') {
        // The figure is a fallback rate: say why on stderr, with the name likely meant.
        const unknownProvider = unknownProviderText(budget.catalog, provider);
        const unpriced =
          unknownProvider ??
          `no price for "${options.model}" of ${provider}${modelSuggestion(budget.catalog, options.model, provider)}`;
        const check = unknownProvider === undefined ? '--model' : '--provider';
        io.stderr.write(
          `tollgate: ${unpriced}: priced at a fallback rate; check ${check}, or give its price in the config's prices (--config)\n`,
        );
      }
      if (options.json) {
        writeJson(io, {
          schemaVersion: 1,
          provider: estimate.provider,
          model: estimate.model,
          service: estimate.serviceType,
          costUsd: estimate.costUsd,
          costNano: estimate.costNano,
          cost: moneyJson(estimate.costNano),
          tokens: {
            input: estimate.inputTokens,
            likelyInput: estimate.likelyInputTokens,
            output: estimate.outputTokens,
            total: estimate.tokensEstimated,
          },
          tokenCount: estimate.tokenCount,
          confidence: estimate.confidence,
          layer: estimate.layer,
          local: estimate.local,
          lines: estimate.breakdown.lines.map((line) => ({
            component: line.component,
            units: line.units,
            rate: { ...line.rate },
            costUsd: moneyJson(line.cost).usd,
            costNano: line.cost,
            cost: moneyJson(line.cost),
          })),
        });
        return;
      }
      const { colors } = outputStyle(self, io);
      io.stdout.write(`${renderEstimateText(estimate, colors)}\n`);
      if (options.outputTokens === undefined && estimate.outputTokens > 0)
        io.stdout.write(
          `\nPriced at the model's largest output (${estimate.outputTokens.toLocaleString('en-US')} tokens), the worst case a gate holds; pass --output-tokens <n> for your call's limit.\n`,
        );
    });
}
