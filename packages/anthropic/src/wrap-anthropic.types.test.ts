import Anthropic, { type APIPromise } from '@anthropic-ai/sdk';
import type { MessageStream } from '@anthropic-ai/sdk/lib/MessageStream';
import type { Stream } from '@anthropic-ai/sdk/core/streaming';
import type { Message, RawMessageStreamEvent } from '@anthropic-ai/sdk/resources/messages';
import { createBudget } from '@tollgate/core';
import { describe, expectTypeOf, it } from 'vitest';
import { wrapAnthropic } from './wrap-anthropic';

describe('wrapAnthropic types', () => {
  const client = new Anthropic({ apiKey: 'sk-ant-types', baseURL: 'http://127.0.0.1:9' });
  const wrapped = wrapAnthropic(client, createBudget());

  it('returns exactly the client’s type', () => {
    expectTypeOf(wrapped).toEqualTypeOf<Anthropic>();
    expectTypeOf(wrapped.messages).toEqualTypeOf<Anthropic['messages']>();
    expectTypeOf(wrapped.beta.messages.batches).toEqualTypeOf<Anthropic['beta']['messages']['batches']>();
  });

  it('keeps the SDK’s overloads and helper types', () => {
    const params = { model: 'claude-sonnet-4-5', max_tokens: 1, messages: [] };
    expectTypeOf(wrapped.messages.create(params)).toEqualTypeOf<APIPromise<Message>>();
    expectTypeOf(wrapped.messages.create({ ...params, stream: true })).toEqualTypeOf<
      APIPromise<Stream<RawMessageStreamEvent>>
    >();
    expectTypeOf(wrapped.messages.stream(params)).toEqualTypeOf<MessageStream<null>>();
    expectTypeOf(wrapped.messages.batches.results).toEqualTypeOf(client.messages.batches.results);
    expectTypeOf(wrapped.withOptions({ timeout: 1 })).toEqualTypeOf<Anthropic>();
  });

  it('keeps a subclass’s own type', () => {
    class AppAnthropic extends Anthropic {
      tenant(): string {
        return 'acme';
      }
    }
    const own = wrapAnthropic(new AppAnthropic({ apiKey: 'sk-ant-types' }), createBudget());
    expectTypeOf(own).toEqualTypeOf<AppAnthropic>();
    expectTypeOf(own.tenant).returns.toEqualTypeOf<string>();
  });

  it('refuses what is not an Anthropic client at compile time', () => {
    // @ts-expect-error: an object without `messages` is not a client
    expectTypeOf(wrapAnthropic).toBeCallableWith({ chat: {} }, createBudget());
  });
});
