import { Mistral } from '@mistralai/mistralai';
import {
  type BudgetConfig,
  type CommitRequest,
  type CommitResult,
  createBudget,
  MemoryStore,
  type UsageRecord,
  type UserPrice,
} from '@tollgate/core';
import { type Emulator, startEmulator } from '@tollgate/emulator';
import { wrapMistral } from './wrap-mistral';
import type { WrapMistralOptions } from './mistral-wrap-options';

/** A fake key: tests check that it never reaches a record or an error message. */
export const TEST_API_KEY = 'sk-test-do-not-leak-4f1c9a';

/** A `MemoryStore` whose `committed` lists every record it committed, in order, for assertions. */
export type RecordingStore = MemoryStore & { readonly committed: UsageRecord[] };

function recordingStore(): RecordingStore {
  const store = Object.assign(new MemoryStore(), { committed: [] as UsageRecord[] });
  const commit = store.commit.bind(store);
  store.commit = async (request: CommitRequest): Promise<CommitResult> => {
    const result = await commit(request);
    if (result.recorded) store.committed.push(request.record);
    return result;
  };
  return store;
}

export function mistralClient(serverURL: string): Mistral {
  return new Mistral({ serverURL, apiKey: TEST_API_KEY, retryConfig: { strategy: 'none' } });
}

export interface Metered {
  client: Mistral;
  bare: Mistral;
  store: RecordingStore;
  budget: ReturnType<typeof createBudget>;
}

/** A wrapped client and a bare one on the same server, with a fresh budget and store. */
export function metered(
  serverURL: string,
  options: WrapMistralOptions = {},
  budgets: BudgetConfig[] = [{ id: 'app', limitUsd: 100, period: 'month' }],
  prices: UserPrice[] = [],
): Metered {
  const store = recordingStore();
  const budget = createBudget({ store, budgets, prices });
  const bare = mistralClient(serverURL);
  return { client: wrapMistral(mistralClient(serverURL), budget, options), bare, store, budget };
}

export async function withEmulator(): Promise<Emulator> {
  return startEmulator();
}

/** Nano-USD for `tokens` at `usdPerMillion` dollars per million tokens. */
export function perMillion(tokens: number, usdPerMillion: number): number {
  return Math.round(tokens * usdPerMillion * 1_000);
}

/** The reservation the budget still holds and what it committed, in nano-USD. */
export async function ledger(
  budget: ReturnType<typeof createBudget>,
): Promise<{ reserved: number; used: number }> {
  const [status] = await budget.status();
  return { reserved: status!.reservedNano, used: status!.usedNano };
}

export async function collect<T>(stream: AsyncIterable<T>): Promise<T[]> {
  const events: T[] = [];
  for await (const event of stream) events.push(event);
  return events;
}
