/** Where one of Mistral's `-latest` aliases points: the dated model it serves, and when and how that was checked. */
export interface LatestAlias {
  alias: string;
  /** The dated model the alias serves, whose entry in tollgate's layer carries the alias. */
  model: string;
  /** The day the alias was last checked. */
  asOf: string;
  /** Where it was checked. */
  source: string;
}

const LITELLM = "LiteLLM 1.110.2's model_prices_and_context_window.json";
const GENAI_PRICES = '@pydantic/genai-prices 0.1.8';

/**
 * Mistral's `-latest` aliases, each pointed at the dated model Mistral serves under it. The
 * bundled `@pydantic/genai-prices` data has some of them stale (`mistral-small-latest` at Small
 * 3.2's price while it serves Small 4) or missing (`ministral-14b-latest`): tollgate's layer
 * prices each alias as its dated model. `mistral-ocr-latest` and `voxtral-mini-latest` are not
 * here: the bundled data moves them by date, and is current.
 */
export const MISTRAL_LATEST_ALIASES: readonly LatestAlias[] = [
  alias(
    'mistral-large-latest',
    'mistral-large-2512',
    `${LITELLM}, ${GENAI_PRICES}; docs.mistral.ai/models/mistral-large-3-25-12`,
  ),
  alias(
    'mistral-medium-latest',
    'mistral-medium-2604',
    `${LITELLM}, ${GENAI_PRICES} (dated from 2026-06-16); docs.mistral.ai/models/model-cards/mistral-medium-3-5-26-04`,
  ),
  alias(
    'magistral-medium-latest',
    'mistral-medium-2604',
    `${LITELLM}; docs.mistral.ai/models/model-cards/mistral-medium-3-5-26-04`,
  ),
  alias(
    'mistral-small-latest',
    'mistral-small-2603',
    `${LITELLM}; docs.mistral.ai/models/model-cards/mistral-small-4-0-26-03`,
  ),
  alias(
    'magistral-small-latest',
    'mistral-small-2603',
    `${LITELLM}; docs.mistral.ai/models/model-cards/mistral-small-4-0-26-03`,
  ),
  alias(
    'codestral-latest',
    'codestral-2508',
    `${LITELLM}; docs.mistral.ai/models/model-cards/codestral-25-08`,
  ),
  alias('devstral-latest', 'devstral-2512', `${LITELLM}; mistral.ai/news/devstral-2-vibe-cli`),
  alias('devstral-medium-latest', 'devstral-2512', `${LITELLM}; mistral.ai/news/devstral-2-vibe-cli`),
  alias(
    'devstral-small-latest',
    'labs-devstral-small-2512',
    `${LITELLM}; docs.mistral.ai/models/devstral-small-2-25-12`,
  ),
  alias(
    'ministral-3b-latest',
    'ministral-3b-2512',
    `${LITELLM}; docs.mistral.ai/models/ministral-3-3b-25-12`,
  ),
  alias(
    'ministral-8b-latest',
    'ministral-8b-2512',
    `${LITELLM}, ${GENAI_PRICES} (dated from 2025-12-02); mistral.ai/pricing`,
  ),
  alias(
    'ministral-14b-latest',
    'ministral-14b-2512',
    `${LITELLM}; docs.mistral.ai/models/ministral-3-14b-25-12`,
  ),
  alias('pixtral-large-latest', 'pixtral-large-2411', `${LITELLM}, ${GENAI_PRICES}`),
  alias(
    'voxtral-small-latest',
    'voxtral-small-2507',
    `${LITELLM}, ${GENAI_PRICES}; docs.mistral.ai/models/voxtral-small-25-07`,
  ),
];

function alias(name: string, model: string, source: string): LatestAlias {
  return { alias: name, model, asOf: '2026-12-06', source };
}

/** The `-latest` aliases that point at a dated model. */
export function latestAliasesOf(model: string): string[] {
  return MISTRAL_LATEST_ALIASES.filter((entry) => entry.model === model).map((entry) => entry.alias);
}
