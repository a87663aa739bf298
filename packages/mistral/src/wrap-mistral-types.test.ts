import { Mistral } from '@mistralai/mistralai';
import type { EventStream } from '@mistralai/mistralai/lib/event-streams.js';
import type { CompletionEvent } from '@mistralai/mistralai/models/components';
import { createBudget } from '@tollgate/core';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { wrapMistral } from './wrap-mistral';

describe('wrapMistral types', () => {
  const client = new Mistral({ apiKey: 'unused', serverURL: 'http://127.0.0.1:9' });
  const wrapped = wrapMistral(client, createBudget(), { requestType: 'chat' });

  it('returns the client type unchanged', () => {
    expectTypeOf(wrapped).toEqualTypeOf<Mistral>();
    expectTypeOf(wrapped.chat.complete).toEqualTypeOf<Mistral['chat']['complete']>();
    expectTypeOf(wrapped.chat.stream).returns.resolves.toEqualTypeOf<EventStream<CompletionEvent>>();
    expectTypeOf(wrapped.audio.transcriptions.stream).toEqualTypeOf<
      Mistral['audio']['transcriptions']['stream']
    >();
    expectTypeOf(wrapped.audio.speech.complete).toEqualTypeOf<Mistral['audio']['speech']['complete']>();
    expectTypeOf(wrapped.ocr.process).toEqualTypeOf<Mistral['ocr']['process']>();
  });

  it('keeps a subclass type', () => {
    class AppMistral extends Mistral {
      readonly label = 'app';
    }
    const sub = wrapMistral(new AppMistral({ apiKey: 'unused' }), createBudget());
    expectTypeOf(sub).toEqualTypeOf<AppMistral>();
    expect(sub.label).toBe('app');
    expect(sub).toBeInstanceOf(AppMistral);
  });

  it('rejects what is not a client or a budget, and bad options, when wrapping', () => {
    expect(() => wrapMistral(null as unknown as Mistral, createBudget())).toThrow(/client/);
    expect(() => wrapMistral(client, {} as never)).toThrow(/budget/);
    expect(() => wrapMistral(client, createBudget(), { onInsufficientBudget: 'shrink' as never })).toThrow(
      /onInsufficientBudget/,
    );
    expect(() => wrapMistral(client, createBudget(), { assumedPages: 0 })).toThrow(/assumedPages/);
  });
});
