import { findProvider } from '@pydantic/genai-prices';
import type { PriceCatalog } from '@tollgate/core';

/**
 * The provider of a model id when `--provider` is not given: the catalog's own entries
 * first (Qwen, IBM Watson, aliases), then the bundled price data's model matching.
 */
export function inferProvider(catalog: PriceCatalog, model: string, at: Date): string | undefined {
  const id = model.toLowerCase();
  for (const entry of catalog.entries()) {
    if (entry.model.toLowerCase() === id || entry.aliases?.some((alias) => alias.toLowerCase() === id))
      return entry.provider;
  }
  const provider = findProvider({ modelId: model })?.id;
  if (provider === undefined) return undefined;
  try {
    return catalog.resolve(provider, model, at) ? provider : undefined;
  } catch {
    return undefined;
  }
}
