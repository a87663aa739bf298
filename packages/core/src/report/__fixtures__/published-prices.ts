/**
 * The providers' published list prices (USD per million tokens) of the LLMs in the
 * default model registry, written out by hand so that tests compute expected costs
 * independently of the price catalog. A model without a cache rate bills cached
 * tokens at its input rate.
 */
export interface TokenPrice {
  readonly input: number;
  readonly output: number;
  readonly cacheRead?: number;
  readonly cacheWrite?: number;
}

export interface PublishedPrice extends TokenPrice {
  /** Long-context prices: above this many input tokens in one call, for the whole call. */
  readonly longContext?: { readonly aboveInputTokens: number; readonly price: TokenPrice };
}

export const PUBLISHED_LLM_PRICES: Readonly<Record<string, PublishedPrice>> = {
  'anthropic/claude-opus-4-5': { input: 5, cacheRead: 0.5, cacheWrite: 6.25, output: 25 },
  'anthropic/claude-sonnet-4-5': {
    input: 3,
    cacheRead: 0.3,
    cacheWrite: 3.75,
    output: 15,
    longContext: {
      aboveInputTokens: 200_000,
      price: { input: 6, cacheRead: 0.6, cacheWrite: 7.5, output: 22.5 },
    },
  },
  'anthropic/claude-haiku-4-5': { input: 1, cacheRead: 0.1, cacheWrite: 1.25, output: 5 },
  'openai/gpt-5': { input: 1.25, cacheRead: 0.125, output: 10 },
  'openai/gpt-4.1': { input: 2, cacheRead: 0.5, output: 8 },
  'openai/gpt-4o': { input: 2.5, cacheRead: 1.25, output: 10 },
  'openai/gpt-5-mini': { input: 0.25, cacheRead: 0.025, output: 2 },
  'openai/gpt-4.1-mini': { input: 0.4, cacheRead: 0.1, output: 1.6 },
  'openai/gpt-4o-mini': { input: 0.15, cacheRead: 0.075, output: 0.6 },
  'openai/gpt-5-nano': { input: 0.05, cacheRead: 0.005, output: 0.4 },
  'openai/gpt-4.1-nano': { input: 0.1, cacheRead: 0.025, output: 0.4 },
  'mistral/mistral-large-latest': { input: 0.5, cacheRead: 0.05, output: 1.5 },
  'mistral/mistral-medium-latest': { input: 1.5, cacheRead: 0.15, output: 7.5 },
  'mistral/mistral-small-latest': { input: 0.15, cacheRead: 0.015, output: 0.6 },
  'mistral/ministral-8b-latest': { input: 0.15, cacheRead: 0.015, output: 0.15 },
  'qwen/qwen-max': { input: 1.6, output: 6.4 },
  'qwen/qwen-plus': { input: 0.4, output: 1.2 },
  'qwen/qwen-flash': { input: 0.05, output: 0.4 },
  'qwen/qwen-turbo': { input: 0.05, output: 0.2 },
};

/** Token counts of one call (or the sums of many); `input` is the uncached input. */
export interface TokenCounts {
  readonly input: number;
  readonly cacheRead?: number;
  readonly cacheWrite?: number;
  readonly output: number;
}

/** One line item in nano-USD: units × USD per million, rounded half up (exact, in bigint). */
export function lineCost(units: number, usdPerMillion: number): number {
  const nanoPerMillion = BigInt(Math.round(usdPerMillion * 1e9));
  return Number((BigInt(units) * nanoPerMillion * 2n + 1_000_000n) / 2_000_000n);
}

/**
 * What token counts cost on a model at its published prices, in nano-USD. The
 * long-context price applies when `callInputTokens` (one call's whole input; by
 * default the counts' own total) is above its threshold.
 */
export function tokenCost(model: string, counts: TokenCounts, callInputTokens?: number): number {
  const published = PUBLISHED_LLM_PRICES[model];
  if (!published) throw new Error(`no published price for ${model}`);
  const cacheRead = counts.cacheRead ?? 0;
  const cacheWrite = counts.cacheWrite ?? 0;
  const size = callInputTokens ?? counts.input + cacheRead + cacheWrite;
  const price =
    published.longContext && size > published.longContext.aboveInputTokens
      ? published.longContext.price
      : published;
  return (
    lineCost(counts.input, price.input) +
    lineCost(cacheRead, price.cacheRead ?? price.input) +
    lineCost(cacheWrite, price.cacheWrite ?? price.input) +
    lineCost(counts.output, price.output)
  );
}
