import { isDeepStrictEqual } from 'node:util';
import type { UsageRecord } from '@tollgate/core';
import { chatTurns } from '../streams/corpus-prompts';
import type { SdkClients, UntrustedUsageHarness } from './untrusted-usage-harness';
import { TARGETS, type UntrustedUsageCase } from './untrusted-usage-case';

/** What a caller received: a result, or the items of a stream; and the error it ended with, if any. */
export interface Received {
  readonly value?: unknown;
  readonly items?: unknown[];
  readonly error?: { readonly name: string; readonly message: string };
}

/** What one case left behind. */
export interface CaseOutcome {
  readonly wrapped: Received;
  /** What an unwrapped client made of exactly the bytes the provider sent. */
  readonly unwrapped: Received;
  /** The wrapped caller got what the provider sent (less the usage chunks the wrapper asked for). */
  readonly sameAsProvider: boolean;
  /** Records the store committed for the case. */
  readonly records: UsageRecord[];
  readonly commits: number;
}

/** Calls the case's method on one set of clients, reading a stream to its end. */
async function call(clients: SdkClients, scenario: UntrustedUsageCase): Promise<Received> {
  const { target, stream, prompt, maxTokens, headers } = scenario;
  const { model } = TARGETS[target];
  const messages = chatTurns(prompt);
  const system = prompt.system?.text;
  const items: unknown[] = [];
  const collect = async (source: AsyncIterable<unknown>) => {
    for await (const item of source) items.push(item);
  };
  try {
    switch (target) {
      case 'openai chat.completions.create': {
        const chat =
          system === undefined ? messages : [{ role: 'system' as const, content: system }, ...messages];
        const body = { model, messages: chat, max_tokens: maxTokens };
        if (!stream) return { value: await clients.openai.chat.completions.create(body, { headers }) };
        const streamOptions = scenario.callerAsksUsage ? { stream_options: { include_usage: true } } : {};
        await collect(
          await clients.openai.chat.completions.create(
            { ...body, ...streamOptions, stream: true },
            { headers },
          ),
        );
        return { items };
      }
      case 'openai responses.create': {
        const body = {
          model,
          input: messages,
          max_output_tokens: maxTokens,
          ...(system === undefined ? {} : { instructions: system }),
        };
        if (!stream) return { value: await clients.openai.responses.create(body, { headers }) };
        await collect(await clients.openai.responses.create({ ...body, stream: true }, { headers }));
        return { items };
      }
      case 'anthropic messages.create': {
        const body = { model, max_tokens: maxTokens, messages, ...(system === undefined ? {} : { system }) };
        if (!stream) return { value: await clients.anthropic.messages.create(body, { headers }) };
        await collect(await clients.anthropic.messages.create({ ...body, stream: true }, { headers }));
        return { items };
      }
      case 'mistral chat.complete / chat.stream': {
        const chat =
          system === undefined ? messages : [{ role: 'system' as const, content: system }, ...messages];
        const body = { model, messages: chat, maxTokens };
        if (!stream) return { value: await clients.mistral.chat.complete(body, { headers }) };
        await collect(await clients.mistral.chat.stream(body, { headers }));
        return { items };
      }
    }
  } catch (error) {
    const { name, message } = error instanceof Error ? error : new Error(String(error));
    return stream ? { items, error: { name, message } } : { error: { name, message } };
  }
}

/**
 * What a caller who did not ask for the usage sees of an OpenAI chat stream: the wrapper asked
 * for it, and removes what that added (the `usage: null` of every chunk, the usage chunks).
 */
function withoutAddedUsage(items: unknown[]): unknown[] {
  const kept: unknown[] = [];
  for (const item of items) {
    const chunk = item as { choices?: unknown[]; usage?: unknown };
    if (Array.isArray(chunk.choices) && chunk.choices.length === 0 && chunk.usage != null) continue;
    const { usage: _added, ...rest } = chunk;
    kept.push(rest);
  }
  return kept;
}

/**
 * Runs one case through a wrapped client, then replays the bytes the provider sent through a
 * bare client, and reads what the store committed for it.
 */
export async function runUntrustedUsageCase(
  harness: UntrustedUsageHarness,
  scenario: UntrustedUsageCase,
): Promise<CaseOutcome> {
  const commitsBefore = harness.store.commits.length;
  const wrapped = await call(harness.wrapped, scenario);
  await harness.lastResponse()?.body;
  const unwrapped = await call(harness.replay, scenario);
  const hidden =
    scenario.target === 'openai chat.completions.create' && scenario.stream && !scenario.callerAsksUsage;
  const expected: Received =
    hidden && unwrapped.items ? { ...unwrapped, items: withoutAddedUsage(unwrapped.items) } : unwrapped;
  const commits = harness.store.commits.slice(commitsBefore);
  return {
    wrapped,
    unwrapped,
    sameAsProvider: isDeepStrictEqual(wrapped, expected),
    records: commits.filter((commit) => commit.recorded).map((commit) => commit.request.record),
    commits: commits.length,
  };
}
