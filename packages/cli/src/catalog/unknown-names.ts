import { type PriceCatalog, suggestionFor } from '@tollgate/core';
import { LISTED_PROVIDERS } from './list-prices';

/**
 * `no provider "antropic" in the price data (did you mean 'anthropic'?)` for a provider no
 * price layer knows; `undefined` for one it does.
 */
export function unknownProviderText(catalog: PriceCatalog, provider: string): string | undefined {
  if (catalog.knowsProvider(provider)) return undefined;
  return `no provider "${provider}" in the price data${suggestionFor(provider, [...new Set([...catalog.providers(), ...LISTED_PROVIDERS])])}`;
}

/**
 * ` (did you mean 'gpt-4o-mini'?)` for a model id close to one the catalog prices: of the given
 * provider, else of tollgate's own entries, the app's and the listed providers. Empty when none is close.
 */
export function modelSuggestion(catalog: PriceCatalog, model: string, provider?: string): string {
  const providers =
    provider === undefined ? new Set([...catalog.providers(), ...LISTED_PROVIDERS]) : [provider];
  const models = new Set<string>();
  for (const id of providers) for (const candidate of catalog.modelsOf(id)) models.add(candidate);
  return suggestionFor(model, [...models]);
}
