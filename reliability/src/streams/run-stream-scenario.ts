import { setTimeout as sleep } from 'node:timers/promises';
import type { UsageRecord } from '@tollgate/core';
import { EMULATOR_HEADERS, type RecordedRequest } from '@tollgate/emulator';
import { chatTurns, realPromptTokens } from './corpus-prompts';
import type { StreamHarness } from './stream-harness';
import { MODELS, STREAM_APIS, type StreamScenario } from './stream-scenario';

/** What one stream left behind. */
export interface StreamOutcome {
  readonly contentChunks: number;
  /** The error the caller's iteration ended with, if any (abort, dropped connection). */
  readonly callerError: unknown;
  /** The caller read on after aborting and the SDK never answered. */
  readonly readingHung: boolean;
  /** Commits the store received for this stream, and how many of them recorded something. */
  readonly commits: number;
  readonly recordedCommits: number;
  readonly releases: number;
  readonly record: UsageRecord | undefined;
  /** The one request the emulator received for the stream, from its request log. */
  readonly request: RecordedRequest | undefined;
}

interface OpenedStream {
  readonly events: AsyncIterable<unknown>;
  /** The SDK's own way to stop the stream. */
  abort(): Promise<void> | void;
  isContent(event: unknown): boolean;
}

const SETTLE_WAIT_MS = 5_000;
const READ_AFTER_ABORT_MS = 1_000;

/**
 * Opens one stream through a wrapped client and ends it as the scenario says, then waits
 * until the wrapper settled (or released) the call, and returns what the store and the
 * emulator saw.
 */
export async function runStreamScenario(
  harness: StreamHarness,
  scenario: StreamScenario,
): Promise<StreamOutcome> {
  const { store, emulator } = harness;
  const commitsBefore = store.commits.length;
  const releasesBefore = store.releases.length;
  const requestsBefore = emulator.requests.length;
  const signalController = new AbortController();
  const provider = STREAM_APIS[scenario.api];
  const headers: Record<string, string> = {
    // The emulator bills what the real provider's tokenizer counts for these texts.
    [EMULATOR_HEADERS.inputTokens]: String(realPromptTokens(scenario.prompt, provider)),
    [EMULATOR_HEADERS.chunkDelayMs]: String(scenario.chunkDelayMs),
  };
  if (scenario.ending === 'dropped-connection')
    headers[EMULATOR_HEADERS.dropAfterChunks] = String(scenario.stopAfter);
  if (scenario.ending === 'missing-usage') headers[EMULATOR_HEADERS.omitUsage] = 'true';

  let contentChunks = 0;
  let callerError: unknown;
  let readingHung = false;
  try {
    const opened = await openStream(harness, scenario, headers, signalController.signal);
    const iterator = opened.events[Symbol.asyncIterator]();
    let stopped = false;
    for (;;) {
      // Node 20's fetch never answers a read after an abort once the whole body has arrived
      // (the bare SDKs hang the same way): a caller who reads on after aborting is given up on.
      const next = stopped ? await withDeadline(iterator.next(), READ_AFTER_ABORT_MS) : await iterator.next();
      if (next === undefined) {
        readingHung = true;
        break;
      }
      if (next.done) break;
      if (!stopped && contentChunks >= scenario.stopAfter) {
        if (scenario.ending === 'break') {
          await iterator.return?.();
          break;
        }
        if (scenario.ending === 'abort') {
          stopped = true;
          await opened.abort();
        } else if (scenario.ending === 'signal') {
          stopped = true;
          signalController.abort();
        }
      }
      if (opened.isContent(next.value)) contentChunks += 1;
    }
  } catch (error) {
    callerError = error;
  }

  const deadline = Date.now() + SETTLE_WAIT_MS;
  while (
    store.commits.length === commitsBefore &&
    store.releases.length === releasesBefore &&
    Date.now() < deadline
  ) {
    await sleep(2);
  }
  const commits = store.commits.slice(commitsBefore);
  const recorded = commits.filter((commit) => commit.recorded);
  return {
    contentChunks,
    callerError,
    readingHung,
    commits: commits.length,
    recordedCommits: recorded.length,
    releases: store.releases.length - releasesBefore,
    record: recorded[0]?.request.record,
    request: emulator.requests[requestsBefore],
  };
}

async function openStream(
  harness: StreamHarness,
  scenario: StreamScenario,
  headers: Record<string, string>,
  signal: AbortSignal,
): Promise<OpenedStream> {
  const { prompt, maxTokens } = scenario;
  const model = MODELS[STREAM_APIS[scenario.api]];
  const turns = chatTurns(prompt);
  const chatMessages = [
    ...(prompt.system === undefined ? [] : [{ role: 'system' as const, content: prompt.system.text }]),
    ...turns,
  ];
  switch (scenario.api) {
    case 'openai chat.completions.create': {
      const stream = await harness.openai.chat.completions.create(
        {
          model,
          messages: chatMessages,
          stream: true,
          ...(maxTokens === undefined ? {} : { max_tokens: maxTokens }),
        },
        { headers, signal },
      );
      return {
        events: stream,
        abort: () => stream.controller.abort(),
        isContent: (chunk) =>
          Boolean((chunk as { choices?: { delta?: { content?: string } }[] }).choices?.[0]?.delta?.content),
      };
    }
    case 'openai responses.create': {
      const stream = await harness.openai.responses.create(
        {
          model,
          input: turns,
          ...(prompt.system === undefined ? {} : { instructions: prompt.system.text }),
          stream: true,
          ...(maxTokens === undefined ? {} : { max_output_tokens: maxTokens }),
        },
        { headers, signal },
      );
      return {
        events: stream,
        abort: () => stream.controller.abort(),
        isContent: (event) => (event as { type?: string }).type === 'response.output_text.delta',
      };
    }
    case 'anthropic messages.create': {
      const stream = await harness.anthropic.messages.create(
        {
          model,
          max_tokens: maxTokens ?? 1_024,
          messages: turns,
          ...(prompt.system === undefined ? {} : { system: prompt.system.text }),
          stream: true,
        },
        { headers, signal },
      );
      return {
        events: stream,
        abort: () => stream.controller.abort(),
        isContent: (event) => (event as { type?: string }).type === 'content_block_delta',
      };
    }
    case 'anthropic messages.stream': {
      const stream = harness.anthropic.messages.stream(
        {
          model,
          max_tokens: maxTokens ?? 1_024,
          messages: turns,
          ...(prompt.system === undefined ? {} : { system: prompt.system.text }),
        },
        { headers, signal },
      );
      return {
        events: stream,
        abort: () => stream.abort(),
        isContent: (event) => (event as { type?: string }).type === 'content_block_delta',
      };
    }
    case 'mistral chat.stream': {
      const stream = await harness.mistral.chat.stream(
        { model, messages: chatMessages, ...(maxTokens === undefined ? {} : { maxTokens }) },
        { headers, signal },
      );
      const isContent = (event: unknown) =>
        Boolean(
          (event as { data?: { choices?: { delta?: { content?: unknown } }[] } }).data?.choices?.[0]?.delta
            ?.content,
        );
      if (scenario.ending !== 'abort') return { events: stream, abort: () => {}, isContent };
      // Mistral's EventStream has no controller: a caller stops it through its reader.
      const reader = stream.getReader();
      return {
        events: readAll(reader),
        abort: () => reader.cancel('the caller stopped reading'),
        isContent,
      };
    }
  }
}

async function* readAll<T>(reader: ReadableStreamDefaultReader<T>): AsyncGenerator<T> {
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    yield value;
  }
}

async function withDeadline<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  const controller = new AbortController();
  try {
    return await Promise.race([promise, sleep(ms, undefined, { signal: controller.signal })]);
  } finally {
    controller.abort();
  }
}
