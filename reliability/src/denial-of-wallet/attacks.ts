import { BudgetExceededError, createUsage, StorageUnavailableError, ValidationError } from '@tollgate/core';
import { EMULATOR_HEADERS } from '@tollgate/emulator';
import fc from 'fast-check';
import { CORPUS, type PromptProvider } from '../streams/corpus-prompts';
import { USERS, type WalletTarget } from './wallet-target';

/**
 * What an attacker tries:
 * - `normal`: an ordinary call, spending what it may;
 * - `huge-max-tokens`: an output limit in the millions;
 * - `absurd-max-tokens`: 10^15 or 2^53 − 1 output tokens;
 * - `huge-prompt`: a corpus text repeated to 0.4–3 MB;
 * - `oversize-prompt`: a 100 MiB prompt; `oversize-across-messages`: 60 M characters over three messages;
 * - `stream-aborted-early`: a stream left after its first content chunk;
 * - `burst`: 16 ordinary calls at once;
 * - `repeated-request-id`: gate and settle through core with one of eight request ids, over and over.
 */
export const ATTACKS = [
  'normal',
  'huge-max-tokens',
  'absurd-max-tokens',
  'huge-prompt',
  'oversize-prompt',
  'oversize-across-messages',
  'stream-aborted-early',
  'burst',
  'repeated-request-id',
] as const;
export type AttackKind = (typeof ATTACKS)[number];

/** Attacks that must never reach the provider: refused with a typed error before any request. */
export const NEVER_SENT: ReadonlySet<AttackKind> = new Set([
  'absurd-max-tokens',
  'oversize-prompt',
  'oversize-across-messages',
]);

export interface Attack {
  readonly kind: AttackKind;
  readonly provider: PromptProvider;
  readonly clamp: boolean;
  readonly user: (typeof USERS)[number];
  readonly text: number;
  readonly maxTokens: number;
  readonly hugeLength: number;
  readonly absurd: number;
  readonly requestId: number;
}

export const attack: fc.Arbitrary<Attack> = fc.record({
  kind: fc.constantFrom(...ATTACKS),
  provider: fc.constantFrom<PromptProvider>('openai', 'anthropic', 'mistral'),
  clamp: fc.boolean(),
  user: fc.constantFrom(...USERS),
  text: fc.nat({ max: CORPUS.length - 1 }),
  maxTokens: fc.integer({ min: 1, max: 300 }),
  hugeLength: fc.integer({ min: 400_000, max: 3_000_000 }),
  absurd: fc.constantFrom(1e15, Number.MAX_SAFE_INTEGER),
  requestId: fc.nat({ max: 7 }),
});

export type Outcome = 'admitted' | 'refused' | 'invalid' | 'storage-unavailable' | 'other-error';

export interface AttackResult {
  readonly kind: AttackKind;
  readonly outcome: Outcome;
  /** For a typed refusal: the field a ValidationError names. */
  readonly field?: string;
  /** Any other error: the SDK's, or a bug. */
  readonly message?: string;
  readonly milliseconds: number;
}

const MODELS: Record<PromptProvider, string> = {
  openai: 'gpt-4o-mini',
  anthropic: 'claude-haiku-4-5',
  mistral: 'mistral-small-latest',
};

const OVERSIZE_PROMPT = 'x'.repeat(100 * 1024 * 1024);
const BURST = 16;

interface Call {
  readonly texts: readonly string[];
  readonly billedInputTokens: number;
  readonly maxTokens: number;
  readonly stream: boolean;
}

export async function runAttack(target: WalletTarget, plan: Attack): Promise<AttackResult[]> {
  if (plan.kind === 'burst') {
    const calls = Array.from({ length: BURST }, (_, index) =>
      timed(plan.kind, () =>
        callProvider(target, { ...plan, text: (plan.text + index) % CORPUS.length }, normalCall(plan)),
      ),
    );
    return Promise.all(calls);
  }
  return [await timed(plan.kind, () => runOne(target, plan))];
}

function runOne(target: WalletTarget, plan: Attack): Promise<void> {
  switch (plan.kind) {
    case 'normal':
      return callProvider(target, plan, normalCall(plan));
    case 'huge-max-tokens':
      return callProvider(target, plan, {
        ...normalCall(plan),
        maxTokens: 1_000_000 + plan.maxTokens * 10_000,
      });
    case 'absurd-max-tokens':
      return callProvider(target, plan, { ...normalCall(plan), maxTokens: plan.absurd });
    case 'huge-prompt': {
      const sample = CORPUS[plan.text]!;
      const copies = Math.max(1, Math.ceil(plan.hugeLength / (sample.text.length + 1)));
      return callProvider(target, plan, {
        texts: [Array.from({ length: copies }, () => sample.text).join('\n')],
        billedInputTokens: copies * billedTokensOf(plan.provider, plan.text),
        maxTokens: plan.maxTokens,
        stream: false,
      });
    }
    case 'oversize-prompt':
      return callProvider(target, plan, { ...normalCall(plan), texts: [OVERSIZE_PROMPT] });
    case 'oversize-across-messages':
      return callProvider(target, plan, {
        ...normalCall(plan),
        texts: [0, 1, 2].map((index) => OVERSIZE_PROMPT.slice(index, index + 20_000_000)),
      });
    case 'stream-aborted-early':
      return callProvider(target, plan, { ...normalCall(plan), stream: true });
    case 'repeated-request-id':
      return repeatRequestId(target, plan);
    case 'burst':
      throw new Error('a burst is run by runAttack');
  }
}

function normalCall(plan: Attack): Call {
  return {
    texts: [CORPUS[plan.text]!.text],
    billedInputTokens: billedTokensOf(plan.provider, plan.text),
    maxTokens: plan.maxTokens,
    stream: false,
  };
}

/** What the real provider's tokenizer counts for a corpus text: the emulator is told to bill that. */
function billedTokensOf(provider: PromptProvider, text: number): number {
  const sample = CORPUS[text]!;
  return provider === 'openai'
    ? sample.o200kTokens
    : provider === 'anthropic'
      ? sample.anthropicTokens
      : sample.mistralTokens;
}

async function repeatRequestId(target: WalletTarget, plan: Attack): Promise<void> {
  const { budget } = target;
  const requestId = `repeated-${plan.requestId}`;
  await budget.withContext({ userId: plan.user }, async () => {
    const admission = await budget.gate({
      provider: 'openai',
      model: 'gpt-4o-mini',
      inputTokens: 2_000,
      maxOutputTokens: plan.maxTokens,
      requestId,
    });
    await admission.settle({
      usage: createUsage({ inputTokens: 2_000, outputTokens: plan.maxTokens }),
      requestId,
    });
  });
}

async function callProvider(target: WalletTarget, plan: Attack, call: Call): Promise<void> {
  const mode = plan.clamp ? 'clamp' : 'throw';
  const model = MODELS[plan.provider];
  const headers = {
    [EMULATOR_HEADERS.inputTokens]: String(call.billedInputTokens),
    'x-attack': plan.kind,
  };
  const messages = call.texts.map((content) => ({ role: 'user' as const, content }));
  await target.budget.withContext({ userId: plan.user }, async () => {
    if (plan.provider === 'openai') {
      const request = { model, messages, max_tokens: call.maxTokens };
      if (!call.stream) {
        await target.openai[mode].chat.completions.create(request, { headers });
        return;
      }
      const stream = await target.openai[mode].chat.completions.create(
        { ...request, stream: true },
        { headers },
      );
      for await (const chunk of stream) if (chunk.choices[0]?.delta.content) break;
      return;
    }
    if (plan.provider === 'anthropic') {
      const request = { model, messages, max_tokens: call.maxTokens };
      if (!call.stream) {
        await target.anthropic[mode].messages.create(request, { headers });
        return;
      }
      const stream = await target.anthropic[mode].messages.create({ ...request, stream: true }, { headers });
      for await (const event of stream) if (event.type === 'content_block_delta') break;
      return;
    }
    const request = { model, messages, maxTokens: call.maxTokens };
    if (!call.stream) {
      await target.mistral[mode].chat.complete(request, { headers });
      return;
    }
    const stream = await target.mistral[mode].chat.stream(request, { headers });
    for await (const event of stream) if (event.data.choices[0]?.delta.content) break;
  });
}

async function timed(kind: AttackKind, run: () => Promise<void>): Promise<AttackResult> {
  const started = performance.now();
  let outcome: Outcome = 'admitted';
  let field: string | undefined;
  let message: string | undefined;
  try {
    await run();
  } catch (error) {
    if (BudgetExceededError.isInstance(error)) outcome = 'refused';
    else if (ValidationError.isInstance(error)) {
      outcome = 'invalid';
      field = (error as ValidationError).field;
    } else if (StorageUnavailableError.isInstance(error)) outcome = 'storage-unavailable';
    else {
      outcome = 'other-error';
      message = `${(error as Error)?.name}: ${(error as Error)?.message}`;
    }
  }
  return {
    kind,
    outcome,
    ...(field === undefined ? {} : { field }),
    ...(message === undefined ? {} : { message }),
    milliseconds: performance.now() - started,
  };
}

export interface OversizeRefusal {
  readonly provider: PromptProvider;
  readonly input: string;
  readonly error: string;
  readonly field: string | undefined;
  readonly milliseconds: number;
}

/** Each oversize or absurd input once per adapter, alone, timed from the call to its refusal. */
export async function oversizeRefusal(target: WalletTarget): Promise<OversizeRefusal[]> {
  const inputs: { input: string; change: (call: Call) => Call }[] = [
    { input: 'a 100 MiB prompt', change: (call) => ({ ...call, texts: [OVERSIZE_PROMPT] }) },
    {
      input: '60 M characters over three messages',
      change: (call) => ({
        ...call,
        texts: [0, 1, 2].map((index) => OVERSIZE_PROMPT.slice(index, index + 20_000_000)),
      }),
    },
    { input: 'max tokens 1e15', change: (call) => ({ ...call, maxTokens: 1e15 }) },
    { input: 'max tokens 2^53 - 1', change: (call) => ({ ...call, maxTokens: Number.MAX_SAFE_INTEGER }) },
  ];
  const refusals: OversizeRefusal[] = [];
  for (const provider of ['openai', 'anthropic', 'mistral'] as const) {
    for (const { input, change } of inputs) {
      const plan: Attack = {
        kind: 'oversize-prompt',
        provider,
        clamp: false,
        user: USERS[0],
        text: 0,
        maxTokens: 16,
        hugeLength: 0,
        absurd: 0,
        requestId: 0,
      };
      const started = performance.now();
      let caught: unknown;
      try {
        await callProvider(target, plan, change(normalCall(plan)));
      } catch (error) {
        caught = error;
      }
      refusals.push({
        provider,
        input,
        error: (caught as Error | undefined)?.name ?? 'none',
        field: ValidationError.isInstance(caught) ? caught.field : undefined,
        milliseconds: performance.now() - started,
      });
    }
  }
  return refusals;
}
