import {
  type BudgetConfig,
  BudgetManager,
  type CommitRequest,
  type CommitResult,
  type CreateBudgetOptions,
  MemoryStore,
  type UsageRecord,
} from '@tollgate/core';
import { type Emulator, startEmulator } from '@tollgate/emulator';
import OpenAI, { type ClientOptions } from 'openai';
import { wrapOpenAI } from '../wrap-openai';
import type { WrapOpenAIOptions } from '../wrap-openai-options';

/** Published prices (USD per million tokens) the tests compute expected costs from, in nano-USD per token. */
export const GPT_4O_MINI = { input: 150, cachedInput: 75, output: 600 } as const;

export const API_KEY = 'sk-test-secret-key-0123456789';

/** A MemoryStore that keeps every record it commits, in order, for the tests to read. */
export class RecordingStore extends MemoryStore {
  readonly committed: UsageRecord[] = [];

  override async commit(request: CommitRequest): Promise<CommitResult> {
    const result = await super.commit(request);
    if (result.recorded) this.committed.push(request.record);
    return result;
  }
}

export interface Harness {
  readonly emulator: Emulator;
  readonly store: RecordingStore;
  readonly budget: BudgetManager;
  /** A plain SDK client pointed at the emulator. */
  bareClient(options?: ClientOptions): OpenAI;
  /** A wrapped SDK client pointed at the emulator. */
  client(options?: WrapOpenAIOptions, clientOptions?: ClientOptions): OpenAI;
  /** Waits until the store has `count` records (streams settle in the background). */
  recorded(count: number): Promise<UsageRecord[]>;
  /** nano-USD held by reservations on the first budget. */
  reserved(): Promise<number>;
  close(): Promise<void>;
}

export async function startHarness(
  budgets: BudgetConfig[] = [{ id: 'test', limitUsd: 10, period: 'month' }],
  budgetOptions: Omit<CreateBudgetOptions, 'budgets' | 'store'> = {},
  BudgetClass: typeof BudgetManager = BudgetManager,
): Promise<Harness> {
  const emulator = await startEmulator();
  const store = new RecordingStore();
  const budget = new BudgetClass({ ...budgetOptions, budgets, store });
  const bareClient = (options: ClientOptions = {}) =>
    new OpenAI({ apiKey: API_KEY, baseURL: emulator.openaiBaseURL, maxRetries: 0, ...options });
  return {
    emulator,
    store,
    budget,
    bareClient,
    client: (options = {}, clientOptions = {}) => wrapOpenAI(bareClient(clientOptions), budget, options),
    async recorded(count) {
      const deadline = Date.now() + 5_000;
      while (store.committed.length < count && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 5));
      return store.committed;
    },
    async reserved() {
      const [status] = await budget.status();
      return status!.reservedNano;
    },
    close: () => emulator.close(),
  };
}

/** Collects every item of an async iterable. */
export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}
