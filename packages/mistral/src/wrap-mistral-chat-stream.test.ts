import { EventStream } from '@mistralai/mistralai/lib/event-streams.js';
import type { CompletionEvent } from '@mistralai/mistralai/models/components';
import { countTokens } from '@tollgate/core';
import type { Emulator } from '@tollgate/emulator';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { collect, ledger, metered, perMillion, withEmulator } from './mistral-test-harness';

const model = 'mistral-small-latest';
const messages = [{ role: 'user' as const, content: 'Write a short poem about budgets.' }];

let emulator: Emulator;
beforeAll(async () => {
  emulator = await withEmulator();
});
afterAll(async () => {
  await emulator.close();
});
beforeEach(() => emulator.reset());

function streamedText(events: CompletionEvent[]): string {
  return events
    .map((event) => event.data.choices.map((choice) => choice.delta.content ?? '').join(''))
    .join('');
}

/** The events without the one field that depends on the clock. */
function withoutClock(events: CompletionEvent[]): unknown[] {
  return events.map((event) => ({ ...event, data: { ...event.data, created: 0 } }));
}

describe('chat.stream', () => {
  it('yields exactly the events of a bare client, in the same EventStream class', async () => {
    const { client, bare } = metered(emulator.mistralServerURL);
    const request = { model, messages, maxTokens: 20 };
    const plainStream = await bare.chat.stream(request);
    const plain = await collect(plainStream);
    emulator.reset();
    const wrappedStream = await client.chat.stream(request);
    expect(wrappedStream).toBeInstanceOf(EventStream);
    expect(wrappedStream).toBeInstanceOf(ReadableStream);
    const wrapped = await collect(wrappedStream);
    expect(withoutClock(wrapped)).toEqual(withoutClock(plain));
    expect(wrapped.length).toBe(22);
  });

  it('records the usage of the last chunk under the response id, before the loop ends', async () => {
    const { client, store, budget } = metered(emulator.mistralServerURL);
    const stream = await client.chat.stream(
      { model, messages },
      { headers: { 'x-emulator-input-tokens': '700', 'x-emulator-output-tokens': '50' } },
    );
    const events = await collect(stream);

    expect(store.committed).toHaveLength(1);
    const record = store.committed[0]!;
    expect(record).toMatchObject({
      requestId: events[0]!.data.id,
      inputTokens: 700,
      outputTokens: 50,
      estimated: false,
    });
    expect(record.cost).toBe(perMillion(700, 0.15) + perMillion(50, 0.6));
    expect(await ledger(budget)).toEqual({ reserved: 0, used: record.cost });
  });

  it('works when read with getReader()', async () => {
    const { client, store } = metered(emulator.mistralServerURL);
    const stream = await client.chat.stream({ model, messages, maxTokens: 5 });
    const reader = stream.getReader();
    let count = 0;
    while (!(await reader.read()).done) count++;
    expect(count).toBe(7);
    expect(store.committed[0]).toMatchObject({ outputTokens: 5, estimated: false });
  });

  it('settles a stream the caller leaves early as estimated: prompt estimate plus the tokens streamed', async () => {
    const { client, store, budget } = metered(emulator.mistralServerURL);
    const stream = await client.chat.stream({ model, messages });
    const seen: CompletionEvent[] = [];
    for await (const event of stream) {
      seen.push(event);
      if (seen.length === 4) break;
    }

    expect(store.committed).toHaveLength(1);
    const record = store.committed[0]!;
    expect(record.estimated).toBe(true);
    expect(record.requestId).toBe(seen[0]!.data.id);
    expect(record.outputTokens).toBe(countTokens(streamedText(seen), 'mistral', model).tokens);
    expect(record.outputTokens).toBeGreaterThan(0);
    expect(record.inputTokens).toBeGreaterThan(0);
    expect(record.cost).toBe(perMillion(record.inputTokens, 0.15) + perMillion(record.outputTokens, 0.6));
    expect(await ledger(budget)).toEqual({ reserved: 0, used: record.cost });
  });

  it('settles a stream whose connection drops as estimated and passes the error through', async () => {
    const { client, bare, store, budget } = metered(emulator.mistralServerURL);
    const headers = { headers: { 'x-emulator-drop-after-chunks': '5' } };
    const bareError = await collect(await bare.chat.stream({ model, messages }, headers)).catch(
      (error: unknown) => error,
    );
    const seen: CompletionEvent[] = [];
    const wrappedError = await (async () => {
      for await (const event of await client.chat.stream({ model, messages }, headers)) seen.push(event);
    })().catch((error: unknown) => error);

    expect(wrappedError).toBeInstanceOf(Error);
    expect((wrappedError as Error).name).toBe((bareError as Error).name);
    expect((wrappedError as Error).message).toBe((bareError as Error).message);
    expect(seen).toHaveLength(6);
    const record = store.committed[0]!;
    expect(record.estimated).toBe(true);
    expect(record.outputTokens).toBe(countTokens(streamedText(seen), 'mistral', model).tokens);
    expect(record.cost).toBeGreaterThan(0);
    expect((await ledger(budget)).reserved).toBe(0);
  });

  it('settles a stream the caller aborts as estimated', async () => {
    const { client, store, budget } = metered(emulator.mistralServerURL);
    const controller = new AbortController();
    const stream = await client.chat.stream(
      { model, messages },
      { signal: controller.signal, headers: { 'x-emulator-stall-after-chunks': '3' } },
    );
    let count = 0;
    const error = await (async () => {
      for await (const _ of stream) if (++count === 3) controller.abort();
    })().catch((caught: unknown) => caught);

    expect((error as Error).name).toBe('AbortError');
    const record = store.committed[0]!;
    expect(record.estimated).toBe(true);
    expect(record.cost).toBeGreaterThan(0);
    expect((await ledger(budget)).reserved).toBe(0);
  });

  it('settles a stream that ends without usage from the text streamed, marked estimated', async () => {
    const { client, store } = metered(emulator.mistralServerURL);
    const events = await collect(
      await client.chat.stream(
        { model, messages, maxTokens: 30 },
        { headers: { 'x-emulator-omit-usage': 'true' } },
      ),
    );
    const record = store.committed[0]!;
    expect(record.estimated).toBe(true);
    expect(record.outputTokens).toBe(
      Math.min(countTokens(streamedText(events), 'mistral', model).tokens, 30),
    );
    expect(record.cost).toBe(perMillion(record.inputTokens, 0.15) + perMillion(record.outputTokens, 0.6));
    expect(record.cost).toBeGreaterThan(0);
  });

  it('never counts a streamed output past maxTokens, so the record stays within its reservation', async () => {
    const { client, store } = metered(emulator.mistralServerURL);
    const events = await collect(
      await client.chat.stream(
        { model, messages, maxTokens: 5 },
        { headers: { 'x-emulator-omit-usage': 'true' } },
      ),
    );
    // Five emulated words ('Lorem ipsum dolor sit amet,') are six Tekken tokens.
    expect(countTokens(streamedText(events), 'mistral', model).tokens).toBeGreaterThan(5);
    const record = store.committed[0]!;
    expect(record).toMatchObject({ estimated: true, outputTokens: 5, overrun: 0 });
    expect(record.cost).toBeLessThanOrEqual(record.reserved);
  });

  it('settles an unread stream that the caller cancels', async () => {
    const { client, store, budget } = metered(emulator.mistralServerURL);
    const stream = await client.chat.stream({ model, messages });
    await stream.cancel();
    expect(store.committed[0]!.estimated).toBe(true);
    expect(store.committed[0]!.cost).toBeGreaterThan(0);
    expect((await ledger(budget)).reserved).toBe(0);
  });
});

describe('fim.stream', () => {
  it('records the final usage at codestral prices', async () => {
    const { client, store } = metered(emulator.mistralServerURL);
    const events = await collect(
      await client.fim.stream(
        { model: 'codestral-latest', prompt: 'def fib(n):', suffix: 'return b' },
        { headers: { 'x-emulator-input-tokens': '90', 'x-emulator-output-tokens': '12' } },
      ),
    );
    expect(events).toHaveLength(14);
    expect(store.committed[0]).toMatchObject({ requestId: events[0]!.data.id, estimated: false });
    expect(store.committed[0]!.cost).toBe(perMillion(90, 0.3) + perMillion(12, 0.9));
  });
});
