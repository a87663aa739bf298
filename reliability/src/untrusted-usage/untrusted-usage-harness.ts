import Anthropic from '@anthropic-ai/sdk';
import { HTTPClient, Mistral } from '@mistralai/mistralai';
import { wrapAnthropic } from '@tollgate/anthropic';
import {
  type BudgetManager,
  type CounterKey,
  createBudget,
  type ReserveRequest,
  type ReserveResult,
  type TollgateWarning,
} from '@tollgate/core';
import { type Emulator, startEmulator } from '@tollgate/emulator';
import { wrapMistral } from '@tollgate/mistral';
import { wrapOpenAI } from '@tollgate/openai';
import OpenAI from 'openai';
import { CapturingStore } from '../streams/capturing-store';

/** A capturing store that also keeps the key of every counter a reservation took. */
export class CounterKeepingStore extends CapturingStore {
  readonly counterKeys = new Map<string, CounterKey>();

  override async reserve(request: ReserveRequest): Promise<ReserveResult> {
    for (const { budgetId, scope, period } of request.counters)
      this.counterKeys.set(`${budgetId}\u0000${scope}\u0000${period}`, { budgetId, scope, period });
    return super.reserve(request);
  }
}

/** A provider's answer as it came over the wire: its status, headers and body text. */
export interface SentResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly body: Promise<string>;
}

/** The three SDK clients, each over one `fetch`. */
export interface SdkClients {
  readonly openai: OpenAI;
  readonly anthropic: Anthropic;
  readonly mistral: Mistral;
}

/**
 * The real SDK clients, wrapped, against the emulator, with a `fetch` that keeps a copy of the
 * last response; and the same SDK clients, bare, whose `fetch` answers with that copy, so that
 * what an unwrapped client makes of exactly what the provider sent can be compared with what the
 * wrapped caller got.
 */
export interface UntrustedUsageHarness {
  readonly emulator: Emulator;
  readonly store: CounterKeepingStore;
  readonly budget: BudgetManager;
  readonly wrapped: SdkClients;
  readonly replay: SdkClients;
  /** The last response the wrapped clients received. */
  lastResponse(): SentResponse | undefined;
  readonly settleErrors: unknown[];
  readonly warnings: TollgateWarning[];
  close(): Promise<void>;
}

const API_KEY = 'sk-reliability-untrusted-usage';

function clients(baseURL: string, fetcher: typeof fetch): SdkClients {
  return {
    openai: new OpenAI({ apiKey: API_KEY, baseURL: `${baseURL}/v1`, maxRetries: 0, fetch: fetcher }),
    anthropic: new Anthropic({
      apiKey: API_KEY,
      baseURL: `${baseURL}/anthropic`,
      maxRetries: 0,
      fetch: fetcher,
    }),
    mistral: new Mistral({
      apiKey: API_KEY,
      serverURL: `${baseURL}/mistral`,
      retryConfig: { strategy: 'none' },
      httpClient: new HTTPClient({ fetcher }),
    }),
  };
}

export async function startUntrustedUsageHarness(): Promise<UntrustedUsageHarness> {
  const emulator = await startEmulator();
  const store = new CounterKeepingStore();
  const settleErrors: unknown[] = [];
  const warnings: TollgateWarning[] = [];
  // Large enough that no call is refused or clamped: the checks are about settlement.
  const budget = createBudget({
    store,
    budgets: [{ id: 'untrusted-usage', limitUsd: 100_000, period: 'total' }],
    onWarning: (warning) => warnings.push(warning),
  });
  let last: SentResponse | undefined;
  const recording: typeof fetch = async (input, init) => {
    const response = await fetch(input, init);
    last = { status: response.status, headers: response.headers, body: response.clone().text() };
    return response;
  };
  const replaying: typeof fetch = async () => {
    if (last === undefined) throw new Error('nothing to replay');
    return new Response(await last.body, { status: last.status, headers: last.headers });
  };
  const onSettleError = (error: unknown) => {
    settleErrors.push(error);
  };
  const sdk = clients(emulator.url, recording);
  return {
    emulator,
    store,
    budget,
    wrapped: {
      openai: wrapOpenAI(sdk.openai, budget, { onSettleError }),
      // Its settlement errors go to the budget's warnings (TOLLGATE_SETTLE).
      anthropic: wrapAnthropic(sdk.anthropic, budget),
      mistral: wrapMistral(sdk.mistral, budget, { onSettleError }),
    },
    replay: clients(emulator.url, replaying),
    lastResponse: () => last,
    settleErrors,
    warnings,
    async close() {
      await emulator.close();
      await budget.close();
    },
  };
}
