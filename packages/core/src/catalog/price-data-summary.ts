import type { Provider } from '@pydantic/genai-prices';

/** What a set of `@pydantic/genai-prices` data holds, for `tollgate prices` and update reports. */
export interface PriceDataSummary {
  /** How many providers the data prices. */
  readonly providers: number;
  /** How many models, over all providers. */
  readonly models: number;
  /**
   * The newest date from which one of its prices applies, not after the day it was summarized
   * (`YYYY-MM-DD`): how recent the data's knowledge of price changes is. The data carries no
   * date of its own. `undefined` when no price is dated.
   */
  readonly newestPriceDate: string | undefined;
}

/** How two sets of price data differ, model by model. */
export interface PriceDataChanges {
  /** Models in the new data only. */
  readonly added: number;
  /** Models in the old data only. */
  readonly removed: number;
  /** Models in both whose prices (or dated prices) differ. */
  readonly changed: number;
}

export function summarizePriceData(providers: readonly Provider[], at: Date): PriceDataSummary {
  const today = at.toISOString().slice(0, 10);
  let models = 0;
  let newestPriceDate: string | undefined;
  for (const provider of providers) {
    models += provider.models.length;
    for (const model of provider.models) {
      if (!Array.isArray(model.prices)) continue;
      for (const conditional of model.prices) {
        const date =
          conditional.constraint && 'start_date' in conditional.constraint
            ? conditional.constraint.start_date
            : undefined;
        if (date !== undefined && date <= today && (newestPriceDate === undefined || date > newestPriceDate))
          newestPriceDate = date;
      }
    }
  }
  return { providers: providers.length, models, newestPriceDate };
}

export function comparePriceData(before: readonly Provider[], after: readonly Provider[]): PriceDataChanges {
  const old = pricesById(before);
  let added = 0;
  let changed = 0;
  for (const [id, prices] of pricesById(after)) {
    const previous = old.get(id);
    if (previous === undefined) added++;
    else if (previous !== prices) changed++;
    old.delete(id);
  }
  return { added, removed: old.size, changed };
}

function pricesById(providers: readonly Provider[]): Map<string, string> {
  const byId = new Map<string, string>();
  for (const provider of providers)
    for (const model of provider.models)
      byId.set(`${provider.id}\u0000${model.id}`, JSON.stringify(model.prices));
  return byId;
}
