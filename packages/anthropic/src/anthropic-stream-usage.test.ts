import { countTokens } from '@tollgate/core';
import { describe, expect, it } from 'vitest';
import { AnthropicStreamUsage } from './anthropic-stream-usage';

const messageStart = {
  type: 'message_start',
  message: {
    id: 'msg_1',
    model: 'claude-sonnet-4-5-20250929',
    usage: {
      input_tokens: 1_200,
      cache_read_input_tokens: 5_000,
      cache_creation_input_tokens: 3_000,
      cache_creation: { ephemeral_5m_input_tokens: 2_000, ephemeral_1h_input_tokens: 1_000 },
      output_tokens: 1,
    },
  },
};

const textDelta = (text: string) => ({
  type: 'content_block_delta',
  index: 0,
  delta: { type: 'text_delta', text },
});

describe('AnthropicStreamUsage', () => {
  it('takes the input side from message_start and the output from message_delta', () => {
    const usage = new AnthropicStreamUsage('anthropic', 'claude-sonnet-4-5');
    usage.observe(messageStart);
    usage.observe(textDelta('Hello'));
    usage.observe({
      type: 'message_delta',
      delta: { stop_reason: 'end_turn' },
      usage: { output_tokens: 300 },
    });
    const settlement = usage.settlement();
    expect(settlement.estimated).toBe(false);
    expect(settlement.requestId).toBe('msg_1');
    expect(settlement.model).toBe('claude-sonnet-4-5-20250929');
    expect(settlement.verdict?.usage?.input).toMatchObject({
      noCache: 1_200,
      cacheRead: 5_000,
      cacheWrite: 3_000,
      cacheWrite1h: 1_000,
    });
    expect(settlement.verdict?.usage?.output.total).toBe(300);
  });

  it('never adds message_delta usages up: they are cumulative, the last one wins', () => {
    const usage = new AnthropicStreamUsage('anthropic', 'claude-sonnet-4-5');
    usage.observe(messageStart);
    usage.observe({
      type: 'message_delta',
      delta: {},
      usage: { output_tokens: 120, server_tool_use: { web_search_requests: 1 } },
    });
    usage.observe({
      type: 'message_delta',
      delta: {},
      usage: { input_tokens: 1_500, output_tokens: 300, server_tool_use: { web_search_requests: 2 } },
    });
    const final = usage.settlement().verdict?.usage;
    expect(final?.output.total).toBe(300);
    expect(final?.webSearches).toBe(2);
    expect(final?.input.noCache).toBe(1_500);
    // Fields a delta leaves out keep their message_start value.
    expect(final?.input.cacheRead).toBe(5_000);
  });

  it('does not let a delta’s null fields erase what message_start reported', () => {
    const usage = new AnthropicStreamUsage('anthropic', 'claude-sonnet-4-5');
    usage.observe(messageStart);
    usage.observe({
      type: 'message_delta',
      delta: {},
      usage: { output_tokens: 9, cache_read_input_tokens: null, input_tokens: null },
    });
    expect(usage.settlement().verdict?.usage?.input).toMatchObject({ noCache: 1_200, cacheRead: 5_000 });
  });

  it('settles a stream that ended early from message_start plus the tokens of the streamed text, estimated', () => {
    const usage = new AnthropicStreamUsage('anthropic', 'claude-sonnet-4-5');
    usage.observe(messageStart);
    usage.observe({
      type: 'content_block_start',
      index: 0,
      content_block: { type: 'thinking', thinking: '' },
    });
    usage.observe({
      type: 'content_block_delta',
      index: 0,
      delta: { type: 'thinking_delta', thinking: 'a'.repeat(30) },
    });
    usage.observe(textDelta('b'.repeat(60)));
    const settlement = usage.settlement();
    expect(settlement.estimated).toBe(true);
    expect(usage.complete).toBe(false);
    expect(settlement.verdict?.usage?.input.total).toBe(9_200);
    // The streamed thinking and text, counted together by core's local (conservative) counter.
    expect(settlement.verdict?.usage?.output.total).toBe(
      countTokens('a'.repeat(30) + 'b'.repeat(60), 'anthropic', 'claude-sonnet-4-5').tokens,
    );
    expect(settlement.verdict?.usage?.output.total).toBeGreaterThan(1);
  });

  it('has no usage for a stream that broke before message_start: it is settled from its output', () => {
    const usage = new AnthropicStreamUsage('anthropic', 'claude-sonnet-4-5');
    const settlement = usage.settlement();
    expect(settlement).toMatchObject({ estimated: true, verdict: undefined });
    expect(settlement.requestId).toBeUndefined();
    expect(usage.output).toEqual({ text: '', minimumTokens: 0 });
  });

  it('stops the local count of a stream that broke off at the output limit it was admitted with', () => {
    const usage = new AnthropicStreamUsage('anthropic', 'claude-sonnet-4-5');
    usage.observe(messageStart);
    usage.observe(textDelta('Lorem ipsum dolor sit amet, consectetur adipiscing elit.'));
    expect(usage.settlement().verdict?.usage?.output.total).toBeGreaterThan(5);
    expect(usage.settlement(5).verdict?.usage?.output.total).toBe(5);
  });

  it('ignores events it does not know', () => {
    const usage = new AnthropicStreamUsage('anthropic', 'claude-sonnet-4-5');
    usage.observe(null);
    usage.observe('ping');
    usage.observe({ type: 'ping' });
    usage.observe({
      type: 'content_block_delta',
      delta: { type: 'signature_delta', signature: 'x'.repeat(300) },
    });
    expect(usage.settlement().verdict).toBeUndefined();
    expect(usage.output.text).toBe('');
  });

  it.each([
    [
      'a malformed message_delta',
      [messageStart, textDelta('Hi'), { type: 'message_delta', usage: { output_tokens: 'abc' } }],
      'a usage in the stream: output_tokens is a string, not a number',
    ],
    [
      'a message_delta that is not an object',
      [messageStart, textDelta('Hi'), { type: 'message_delta', usage: [1, 2] }],
      'a usage in the stream: the usage is an array, not an object',
    ],
    [
      'a cumulative count that goes down',
      [
        messageStart,
        textDelta('Hi'),
        { type: 'message_delta', usage: { output_tokens: 64 } },
        { type: 'message_delta', usage: { output_tokens: 10 } },
      ],
      'a usage in the stream reports fewer output tokens than the one before',
    ],
    [
      'a message_delta without usage',
      [messageStart, textDelta('Hi'), { type: 'message_delta', delta: { stop_reason: 'end_turn' } }],
      'a usage in the stream: no usage was reported',
    ],
    [
      'a message_delta without its output',
      [messageStart, textDelta('Hi'), { type: 'message_delta', usage: { input_tokens: 1_200 } }],
      'a usage in the stream: output_tokens is missing',
    ],
    [
      'a message_delta before the content',
      [messageStart, { type: 'message_delta', usage: { output_tokens: 3 } }, textDelta('Hi')],
      'the usage came before output it does not count',
    ],
    [
      'a malformed message_start',
      [
        {
          ...messageStart,
          message: { ...messageStart.message, usage: { input_tokens: -1, output_tokens: 1 } },
        },
        textDelta('Hi'),
        { type: 'message_delta', usage: { output_tokens: 3 } },
      ],
      'message_start: input_tokens is negative',
    ],
  ])('does not trust %s', (_name, events, problem) => {
    const usage = new AnthropicStreamUsage('anthropic', 'claude-sonnet-4-5');
    for (const event of events) usage.observe(event);
    expect(usage.settlement().verdict).toEqual({ problem });
  });
});
