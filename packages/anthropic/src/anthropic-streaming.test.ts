import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { TollgateWarning } from '@tollgate/core';
import type Anthropic from '@anthropic-ai/sdk';
import type { RawMessageStreamEvent } from '@anthropic-ai/sdk/resources/messages';
import { describe, expect, it } from 'vitest';
import {
  anthropicClient,
  likelyTokens,
  MODEL,
  nanoUsd,
  recordOf,
  SONNET_4_5,
  spent,
  testBudget,
  testEmulator,
} from './anthropic-test-support';
import { wrapAnthropic } from './wrap-anthropic';

const emulator = await testEmulator();

const params = {
  model: MODEL,
  max_tokens: 4096,
  thinking: { type: 'enabled' as const, budget_tokens: 2048 },
  messages: [{ role: 'user' as const, content: 'Explain prompt caching.' }],
};
const headers = {
  'x-emulator-input-tokens': '1200',
  'x-emulator-cached-tokens': '5000',
  'x-emulator-cache-write-tokens': '2000',
  'x-emulator-cache-write-1h-tokens': '1000',
  'x-emulator-output-tokens': '40',
  'x-emulator-reasoning-tokens': '24',
};
/** Input side of every stream below, as message_start reports it. */
const inputCost =
  nanoUsd(1200, SONNET_4_5.input) +
  nanoUsd(5000, SONNET_4_5.cacheRead) +
  nanoUsd(2000, SONNET_4_5.cacheWrite5m) +
  nanoUsd(1000, SONNET_4_5.cacheWrite1h);

async function collect<T>(stream: AsyncIterable<T>): Promise<T[]> {
  const events: T[] = [];
  for await (const event of stream) events.push(event);
  return events;
}

function streamedText(events: readonly RawMessageStreamEvent[]): string {
  let text = '';
  for (const event of events) {
    if (event.type !== 'content_block_delta') continue;
    if (event.delta.type === 'text_delta') text += event.delta.text;
    if (event.delta.type === 'thinking_delta') text += event.delta.thinking;
  }
  return text;
}

/** Runs the same request on a bare client, then on a wrapped one, each from a fresh emulator state (same ids). */
async function sideBySide<T>(
  run: (client: Anthropic) => Promise<T>,
  options: Parameters<typeof wrapAnthropic>[2] = {},
) {
  const budget = testBudget();
  emulator.reset();
  const bare = await run(anthropicClient(emulator));
  emulator.reset();
  const wrapped = await run(wrapAnthropic(anthropicClient(emulator), budget, options));
  return { bare, wrapped, budget };
}

describe('create({ stream: true })', () => {
  it('hands the caller exactly the events of an unwrapped client, and records the exact cost', async () => {
    const { bare, wrapped, budget } = await sideBySide(async (client) =>
      collect(await client.messages.create({ ...params, stream: true }, { headers })),
    );
    expect(wrapped).toEqual(bare);
    expect(wrapped.map((event) => event.type)).toContain('message_delta');

    const record = await recordOf(budget, 'msg_emulator000001');
    // 40 text tokens and 24 thinking tokens: output_tokens 64, all at the output price.
    expect(record.cost).toBe(inputCost + nanoUsd(64, SONNET_4_5.output));
    expect(record).toMatchObject({
      estimated: false,
      outputTokens: 64,
      cacheReadTokens: 5000,
      cacheWriteTokens: 3000,
    });
    expect(await spent(budget)).toEqual({ used: record.cost, reserved: 0 });
  });

  it('returns the SDK’s Stream class, with tee() and toReadableStream() working', async () => {
    const budget = testBudget();
    const client = wrapAnthropic(anthropicClient(emulator), budget);
    const stream = await client.messages.create({ ...params, stream: true }, { headers });
    const bareStream = await anthropicClient(emulator).messages.create(
      { ...params, stream: true },
      { headers },
    );
    expect(stream.constructor).toBe(bareStream.constructor);
    await collect(bareStream);
    const [left, right] = stream.tee();
    const [leftEvents, rightEvents] = await Promise.all([collect(left), collect(right)]);
    expect(leftEvents).toEqual(rightEvents);
    expect((await recordOf(budget, 'msg_emulator000001')).estimated).toBe(false);
  });

  it('settles a stream that breaks off mid-way from message_start plus the streamed text, estimated', async () => {
    const errors = await sideBySide(async (client) => {
      const events: RawMessageStreamEvent[] = [];
      try {
        for await (const event of await client.messages.create(
          { ...params, stream: true },
          {
            headers: { ...headers, 'x-emulator-drop-after-chunks': '30' },
          },
        )) {
          events.push(event);
        }
      } catch (error) {
        return { error, events };
      }
      throw new Error('the stream should have failed');
    });
    const { error, events } = errors.wrapped;
    expect(error).toBeInstanceOf((errors.bare.error as Error).constructor);
    expect((error as Error).message).toBe((errors.bare.error as Error).message);
    expect(events).toEqual(errors.bare.events);

    const record = await recordOf(errors.budget, 'msg_emulator000001');
    const outputTokens = likelyTokens(streamedText(events));
    expect(outputTokens).toBeGreaterThan(0);
    expect(record).toMatchObject({ estimated: true, outputTokens });
    expect(record.cost).toBe(inputCost + nanoUsd(outputTokens, SONNET_4_5.output));
    expect((await spent(errors.budget)).reserved).toBe(0);
  });

  it('settles a stream the caller abandons with break, estimated and above $0', async () => {
    const budget = testBudget();
    const client = wrapAnthropic(anthropicClient(emulator), budget);
    const events: RawMessageStreamEvent[] = [];
    for await (const event of await client.messages.create({ ...params, stream: true }, { headers })) {
      events.push(event);
      if (events.length === 10) break;
    }
    const record = await recordOf(budget, 'msg_emulator000001');
    expect(record.estimated).toBe(true);
    expect(record.cost).toBe(
      inputCost + nanoUsd(Math.max(1, likelyTokens(streamedText(events))), SONNET_4_5.output),
    );
    expect(await spent(budget)).toEqual({ used: record.cost, reserved: 0 });
  });

  it('settles a stream aborted through its controller', async () => {
    const budget = testBudget();
    const client = wrapAnthropic(anthropicClient(emulator), budget);
    const stream = await client.messages.create({ ...params, stream: true }, { headers });
    let count = 0;
    for await (const _event of stream) {
      if (++count === 5) stream.controller.abort();
    }
    const record = await recordOf(budget, 'msg_emulator000001');
    expect(record.estimated).toBe(true);
    expect(record.cost).toBeGreaterThan(inputCost);
  });

  it('settles a stream the caller drops without reading once its request is aborted', async () => {
    const budget = testBudget();
    const client = wrapAnthropic(anthropicClient(emulator), budget);
    const controller = new AbortController();
    await client.messages.create({ ...params, stream: true }, { headers, signal: controller.signal });
    controller.abort();
    // Nothing of the reply was read, not even message_start: the prompt estimate is what is known.
    await expect.poll(() => spent(budget).then(({ used }) => used)).toBeGreaterThan(0);
    expect((await spent(budget)).reserved).toBe(0);
  });

  it('estimates the output when the stream leaves out its final usage, and warns', async () => {
    const warnings: TollgateWarning[] = [];
    const budget = testBudget(100, { onWarning: (warning) => warnings.push(warning) });
    const client = wrapAnthropic(anthropicClient(emulator), budget);
    const events = await collect(
      await client.messages.create(
        { ...params, stream: true },
        { headers: { ...headers, 'x-emulator-omit-usage': 'true' } },
      ),
    );
    expect(events.map((event) => event.type)).not.toContain('message_delta');
    const record = await recordOf(budget, 'msg_emulator000001');
    expect(record).toMatchObject({ estimated: true, outputTokens: likelyTokens(streamedText(events)) });
    expect(record.rawUsage).toContain('input_tokens');
    expect(warnings.map((warning) => warning.code)).toEqual(['TOLLGATE_UNTRUSTED_USAGE']);
    expect(warnings[0]!.message).toContain(
      'the stream reached message_stop with no usage in a message_delta',
    );
  });

  it('never counts a streamed output past max_tokens, so the record stays within its reservation', async () => {
    const budget = testBudget();
    const client = wrapAnthropic(anthropicClient(emulator), budget);
    const events = await collect(
      await client.messages.create(
        { model: MODEL, max_tokens: 8, messages: params.messages, stream: true },
        { headers: { 'x-emulator-omit-usage': 'true' } },
      ),
    );
    // Eight emulated words are more than eight tokens for the conservative local count.
    expect(likelyTokens(streamedText(events))).toBeGreaterThan(8);
    const record = await recordOf(budget, 'msg_emulator000001');
    expect(record).toMatchObject({ estimated: true, outputTokens: 8, overrun: 0 });
    expect(record.cost).toBeLessThanOrEqual(record.reserved);
  });
});

describe('messages.stream()', () => {
  async function observe(
    client: Anthropic,
    requestParams = params,
    requestHeaders: Record<string, string> = headers,
  ) {
    const stream = client.messages.stream(requestParams, { headers: requestHeaders });
    const seen: unknown[] = [];
    stream.on('connect', () => seen.push(['connect']));
    stream.on('text', (delta, snapshot) => seen.push(['text', delta, snapshot]));
    stream.on('thinking', (delta) => seen.push(['thinking', delta]));
    stream.on('contentBlock', (block) => seen.push(['contentBlock', block]));
    stream.on('message', (message) => seen.push(['message', message]));
    stream.on('end', () => seen.push(['end']));
    const finalMessage = await stream.finalMessage();
    const finalText = await stream.finalText();
    return { seen, finalMessage, finalText, requestId: stream.request_id };
  }

  it('fires the same events and returns the same final message and text as unwrapped', async () => {
    const { bare, wrapped, budget } = await sideBySide((client) => observe(client));
    expect(wrapped).toEqual(bare);
    expect(wrapped.finalText.length).toBeGreaterThan(0);
    const record = await recordOf(budget, wrapped.finalMessage.id);
    expect(record.cost).toBe(inputCost + nanoUsd(64, SONNET_4_5.output));
    expect(record.estimated).toBe(false);
  });

  it('iterates the same events as unwrapped', async () => {
    const { bare, wrapped } = await sideBySide(async (client) =>
      collect(client.messages.stream(params, { headers })),
    );
    expect(wrapped).toEqual(bare);
  });

  it('works for beta.messages.stream()', async () => {
    const { bare, wrapped, budget } = await sideBySide(async (client) => {
      const stream = client.beta.messages.stream(params, { headers });
      return { events: await collect(stream), final: await stream.finalMessage() };
    });
    expect(wrapped).toEqual(bare);
    expect((await recordOf(budget, wrapped.final.id)).cost).toBe(inputCost + nanoUsd(64, SONNET_4_5.output));
  });

  it('settles an aborted helper stream as estimated, and reports the abort as unwrapped', async () => {
    const { bare, wrapped, budget } = await sideBySide(async (client) => {
      const stream = client.messages.stream(params, {
        headers: { ...headers, 'x-emulator-stall-after-chunks': '3' },
      });
      // Thinking deltas come first: the third delta of any kind is the last one the emulator sends.
      let deltas = 0;
      stream.on('streamEvent', (event) => {
        if (event.type === 'content_block_delta' && ++deltas === 3) stream.abort();
      });
      const outcome = await stream.done().then(
        () => 'done',
        (error: Error) => error.constructor.name,
      );
      return { outcome, aborted: stream.aborted };
    });
    expect(wrapped).toEqual(bare);
    expect(wrapped).toEqual({ outcome: 'APIUserAbortError', aborted: true });
    await expect
      .poll(() => budget.store.getRecord('msg_emulator000001').then((record) => record?.estimated))
      .toBe(true);
    expect((await recordOf(budget, 'msg_emulator000001')).cost).toBeGreaterThan(inputCost);
  });
});

describe('a stream that is never read', () => {
  it('is settled, estimated and above $0, once it is garbage collected', async () => {
    setFlagsFromString('--expose-gc');
    const collectGarbage = runInNewContext('gc') as () => void;
    const budget = testBudget();
    const client = wrapAnthropic(anthropicClient(emulator), budget);
    await (async () => {
      await client.messages.create({ ...params, stream: true }, { headers });
    })();
    await expect
      .poll(
        async () => {
          collectGarbage();
          return (await spent(budget)).used;
        },
        { timeout: 5_000, interval: 50 },
      )
      .toBeGreaterThan(0);
    expect((await spent(budget)).reserved).toBe(0);
  });
});
