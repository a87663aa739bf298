import type { PriceComponent, PriceSource, Rates, ResolvedPrice } from '../catalog/model-price';
import { lineItemCost, type NanoUsd, type Rate } from '../money/money';
import type { ServiceType, Usage } from '../usage';

/** One priced line item of a cost: a component, its quantity, its rate and its nano-USD amount. */
export interface CostLine {
  readonly component: PriceComponent;
  /** Tokens, characters, images, pages, requests; milliseconds for audio. */
  readonly units: number;
  readonly rate: Rate;
  readonly cost: NanoUsd;
}

/** A cost in nano-USD, with the line items it is the exact sum of. */
export interface Cost {
  /** nano-USD, the exact sum of `lines`. */
  readonly total: NanoUsd;
  readonly lines: readonly CostLine[];
  readonly provider: string;
  readonly model: string;
  readonly service: ServiceType;
  readonly source: PriceSource;
  /** Units the usage reports that this price does not charge (e.g. audio on a text-only price). */
  readonly unpriced: readonly string[];
}

/**
 * Prices a usage line by line. Where a model has no separate rate for a kind of
 * token (cache reads on a model without caching discounts, audio tokens), the
 * tokens are charged at the plain input or output rate: billed, never free.
 */
export function calculateCost(usage: Usage, resolved: ResolvedPrice): Cost {
  const rates = ratesFor(resolved, usage.input.total);
  const cost = new CostLines(resolved.local);

  const { input, output } = usage;
  const textInput = input.noCache - input.audio;
  cost.add('input', textInput, rates.input, 'input tokens');
  cost.add(
    rates.inputAudio ? 'inputAudio' : 'input',
    input.audio,
    rates.inputAudio ?? rates.input,
    'input audio tokens',
  );
  cost.add(
    rates.cacheRead ? 'cacheRead' : 'input',
    input.cacheRead,
    rates.cacheRead ?? rates.input,
    'cache read tokens',
  );
  const fiveMinuteWrites = input.cacheWrite - input.cacheWrite1h;
  cost.add(
    rates.cacheWrite ? 'cacheWrite' : 'input',
    fiveMinuteWrites,
    rates.cacheWrite ?? rates.input,
    'cache write tokens',
  );
  const oneHourRate = rates.cacheWrite1h ?? rates.cacheWrite ?? rates.input;
  cost.add(
    rates.cacheWrite1h ? 'cacheWrite1h' : rates.cacheWrite ? 'cacheWrite' : 'input',
    input.cacheWrite1h,
    oneHourRate,
    'cache write tokens',
  );
  cost.add('output', output.total - output.audio, rates.output, 'output tokens');
  cost.add(
    rates.outputAudio ? 'outputAudio' : 'output',
    output.audio,
    rates.outputAudio ?? rates.output,
    'output audio tokens',
  );
  // Audio duration is charged when the model prices it; token-priced speech models report tokens instead.
  if (rates.audio) cost.add('audio', Math.round(usage.audioSeconds * 1000), rates.audio, 'audio seconds');
  else if (usage.audioSeconds > 0 && input.total === 0 && !resolved.local)
    cost.unpriced.push('audio seconds');
  if (rates.character) cost.add('character', usage.characters, rates.character, 'characters');
  else if (usage.characters > 0 && input.total === 0 && !resolved.local) cost.unpriced.push('characters');
  cost.add('image', usage.images, rates.image, 'images');
  cost.add('page', usage.pages, rates.page, 'pages');
  cost.add('webSearch', usage.webSearches, rates.webSearch, 'web searches');
  if (rates.request)
    cost.lines.push({
      component: 'request',
      units: 1,
      rate: rates.request,
      cost: lineItemCost(1, rates.request),
    });

  const { lines, unpriced } = cost;
  let total = 0;
  for (const line of lines) total += line.cost;
  return {
    total,
    lines,
    provider: resolved.provider,
    model: resolved.model,
    service: resolved.service,
    source: resolved.source,
    unpriced,
  };
}

/** The lines of a cost being built; units with no rate are listed as unpriced. */
class CostLines {
  readonly lines: CostLine[] = [];
  readonly unpriced: string[] = [];

  constructor(private readonly local: boolean) {}

  add(component: PriceComponent, units: number, rate: Rate | undefined, unitName: string): void {
    if (units === 0) return;
    if (!rate) {
      // A local model's units are free on purpose, not unpriced.
      if (!this.local) this.unpriced.push(unitName);
      return;
    }
    this.lines.push({ component, units, rate, cost: lineItemCost(units, rate) });
  }
}

function ratesFor(resolved: ResolvedPrice, inputTokens: number): Rates {
  const { price } = resolved;
  let rates = price.rates;
  // Tiers are sorted by threshold; each one overrides the rates it lists and keeps the rest.
  for (const tier of price.tiers) {
    if (inputTokens > tier.aboveInputTokens) rates = { ...rates, ...tier.rates };
  }
  return rates;
}
