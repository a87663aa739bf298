import type { MatchLogic, Provider } from '@pydantic/genai-prices';

/** The providers tollgate's adapters price through the data: fresh data without them is not the real file. */
const REQUIRED_PROVIDERS = ['openai', 'anthropic', 'mistral', 'google'] as const;
/** The bundled 0.1.8 data has 43 providers and 1,694 models; a file with far fewer is cut short or a stub. */
const MIN_PROVIDERS = 20;
const MIN_MODELS = 500;
/** USD per unit of a price key (per million tokens, per thousand requests…): the dearest published price is below $1,000. */
const MAX_PLAUSIBLE_PRICE = 10_000;
const MATCH_KEYS = ['equals', 'starts_with', 'ends_with', 'contains', 'regex'] as const;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIME_OF_DAY = /^([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d+)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)$/;

/**
 * Parses and checks price data in `@pydantic/genai-prices`' format (its published `data.json`: an
 * array of providers, each with its models and their prices) before the library is given it: the
 * shape the library expects, every price a finite non-negative number (or tiered prices) of a
 * plausible size, every pattern a valid regular expression, and enough of the data to be the
 * whole file. Throws an `Error` saying what is wrong; the message never quotes the data.
 */
export function parsePriceData(text: string): Provider[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new Error(
      text.trimStart().startsWith('<') ? 'the data is HTML, not JSON' : 'the data is not valid JSON',
    );
  }
  if (!Array.isArray(data)) throw new Error('the data is not an array of providers');
  let models = 0;
  const ids = new Set<string>();
  data.forEach((provider, index) => {
    checkProvider(provider, `provider ${index}`);
    ids.add(provider.id);
    models += provider.models.length;
  });
  const missing = REQUIRED_PROVIDERS.filter((id) => !ids.has(id));
  if (missing.length > 0) throw new Error(`the data has no prices for ${missing.join(', ')}`);
  if (ids.size < MIN_PROVIDERS || models < MIN_MODELS)
    throw new Error(
      `the data has only ${ids.size} providers and ${models} models (at least ${MIN_PROVIDERS} and ${MIN_MODELS} expected)`,
    );
  return data as Provider[];
}

function checkProvider(value: unknown, where: string): asserts value is Provider {
  const provider = objectAt(value, where);
  const id = provider.id;
  if (typeof id !== 'string' || id.length === 0 || id.length > 256) throw new Error(`${where} has no id`);
  where = `provider '${id}'`;
  if (typeof provider.name !== 'string') throw new Error(`${where} has no name`);
  if (typeof provider.api_pattern !== 'string') throw new Error(`${where} has no api_pattern`);
  checkRegex(provider.api_pattern, `${where} api_pattern`);
  if (provider.provider_match !== undefined) checkMatch(provider.provider_match, `${where} provider_match`);
  if (provider.model_match !== undefined) checkMatch(provider.model_match, `${where} model_match`);
  if (
    provider.fallback_model_providers !== undefined &&
    !(
      Array.isArray(provider.fallback_model_providers) &&
      provider.fallback_model_providers.every((entry) => typeof entry === 'string')
    )
  )
    throw new Error(`${where} fallback_model_providers is not a list of ids`);
  if (provider.extractors !== undefined && !Array.isArray(provider.extractors))
    throw new Error(`${where} extractors is not a list`);
  if (!Array.isArray(provider.models)) throw new Error(`${where} has no models`);
  provider.models.forEach((model, index) => {
    checkModel(model, `${where} model ${index}`);
  });
}

function checkModel(value: unknown, where: string): void {
  const model = objectAt(value, where);
  if (typeof model.id !== 'string' || model.id.length === 0) throw new Error(`${where} has no id`);
  where = `${where.slice(0, where.lastIndexOf(' model '))} model '${model.id}'`;
  checkMatch(model.match, `${where} match`);
  if (
    model.context_window !== undefined &&
    !(Number.isSafeInteger(model.context_window) && (model.context_window as number) > 0)
  )
    throw new Error(`${where} context_window is not a positive integer`);
  if (Array.isArray(model.prices)) {
    if (model.prices.length === 0) throw new Error(`${where} has an empty list of prices`);
    model.prices.forEach((conditional, index) => {
      const entry = objectAt(conditional, `${where} prices[${index}]`);
      if (entry.constraint !== undefined) checkConstraint(entry.constraint, `${where} prices[${index}]`);
      checkPrices(entry.prices, `${where} prices[${index}]`);
    });
  } else checkPrices(model.prices, where);
}

function checkConstraint(value: unknown, where: string): void {
  const constraint = objectAt(value, `${where} constraint`);
  if ('start_date' in constraint) {
    const date = constraint.start_date;
    if (
      typeof date !== 'string' ||
      !DATE.test(date) ||
      !new Date(`${date}T00:00:00Z`).toISOString().startsWith(date)
    )
      throw new Error(`${where} has an invalid start_date`);
    return;
  }
  const { start_time: start, end_time: end } = constraint;
  if (
    typeof start !== 'string' ||
    typeof end !== 'string' ||
    !TIME_OF_DAY.test(start) ||
    !TIME_OF_DAY.test(end)
  )
    throw new Error(`${where} has a constraint that is neither a start date nor a time of day`);
}

function checkPrices(value: unknown, where: string): void {
  const prices = objectAt(value, `${where} prices`);
  for (const [key, price] of Object.entries(prices)) {
    if (price === undefined || price === null) continue;
    if (typeof price !== 'object') {
      checkAmount(price, `${where} ${key}`);
      continue;
    }
    const tiered = objectAt(price, `${where} ${key}`);
    checkAmount(tiered.base, `${where} ${key}`);
    if (!Array.isArray(tiered.tiers)) throw new Error(`${where} ${key} has no tiers`);
    for (const tier of tiered.tiers) {
      const { start, price: tierPrice } = objectAt(tier, `${where} ${key} tier`);
      if (!Number.isSafeInteger(start) || (start as number) < 0)
        throw new Error(`${where} ${key} has a tier without a valid start`);
      checkAmount(tierPrice, `${where} ${key}`);
    }
  }
}

function checkAmount(value: unknown, where: string): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
    throw new Error(`${where} is not a non-negative price`);
  if (value > MAX_PLAUSIBLE_PRICE) throw new Error(`${where} is an implausible price ($${value} a unit)`);
}

function checkMatch(value: unknown, where: string, depth = 0): asserts value is MatchLogic {
  if (depth > 32) throw new Error(`${where} is nested too deeply`);
  const match = objectAt(value, where);
  const keys = Object.keys(match);
  if (keys.length !== 1) throw new Error(`${where} is not one match rule`);
  const [key] = keys as [string];
  const operand = match[key];
  if (key === 'and' || key === 'or') {
    if (!Array.isArray(operand)) throw new Error(`${where} ${key} is not a list`);
    for (const inner of operand) checkMatch(inner, where, depth + 1);
    return;
  }
  if (!(MATCH_KEYS as readonly string[]).includes(key) || typeof operand !== 'string')
    throw new Error(`${where} is not a match rule`);
  if (key === 'regex') checkRegex(operand, where);
}

function checkRegex(pattern: string, where: string): void {
  try {
    new RegExp(pattern);
  } catch {
    throw new Error(`${where} is not a valid regular expression`);
  }
}

function objectAt(value: unknown, where: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new Error(`${where} is not an object`);
  return value as Record<string, unknown>;
}
