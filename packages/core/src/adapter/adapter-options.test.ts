import { describe, expect, it } from 'vitest';
import { createBudget, TollgateWarning, ValidationError } from '../index';
import { optionOneOf, optionPositiveInteger, resolveAdapterOptions } from './adapter-options';

const defaults = { provider: 'openai', label: 'Fake' };

describe('resolveAdapterOptions', () => {
  it('fills the defaults and folds the request type into the static context', () => {
    expect(resolveAdapterOptions({}, defaults)).toMatchObject({
      provider: 'openai',
      context: undefined,
      onInsufficientBudget: 'throw',
      downgrade: false,
      minOutputTokens: undefined,
    });
    expect(
      resolveAdapterOptions({ requestType: 'chat', context: { userId: 'u-1', tags: ['web'] } }, defaults)
        .context,
    ).toEqual({ userId: 'u-1', tags: ['web'], requestType: 'chat' });
  });

  it('refuses every malformed option when the client is wrapped, naming the field', () => {
    for (const [options, field] of [
      [null, 'options'],
      [[], 'options'],
      [{ provider: null }, 'options.provider'],
      [{ provider: '$where' }, 'options.provider'],
      [{ requestType: 'a.b' }, 'options.requestType'],
      [{ context: 'u-1' }, 'options.context'],
      [{ context: [true] }, 'options.context'],
      [{ context: { userId: { $gt: '' } } }, 'userId'],
      [{ onInsufficientBudget: 'shrink' }, 'options.onInsufficientBudget'],
      [{ onInsufficientBudget: null }, 'options.onInsufficientBudget'],
      [{ downgrade: 'yes' }, 'options.downgrade'],
      [{ minOutputTokens: 0 }, 'options.minOutputTokens'],
      [{ minOutputTokens: Number.NaN }, 'options.minOutputTokens'],
      [{ onSettleError: 'log' }, 'options.onSettleError'],
    ] as const) {
      expect(() => resolveAdapterOptions(options, defaults)).toThrow(ValidationError);
      try {
        resolveAdapterOptions(options, defaults);
      } catch (error) {
        expect((error as ValidationError).field).toContain(field);
      }
    }
  });

  it('refuses the common options an adapter leaves out and does not name them as known', () => {
    const without = { ...defaults, ownOptions: ['estimateWith'], withoutOptions: ['downgrade'] };
    expect(() => resolveAdapterOptions({ downgrade: true }, without)).toThrow(
      'Invalid options.downgrade: is not an option; known options: provider, requestType, context, onInsufficientBudget, minOutputTokens, settle, onSettleError, estimateWith',
    );
    expect(resolveAdapterOptions({ estimateWith: 'x', settle: 'background' }, without)).toMatchObject({
      settle: 'background',
    });
  });

  it('says so when a budget is passed where the options go', () => {
    const budget = createBudget();
    expect(() => resolveAdapterOptions(budget, defaults)).toThrow(
      "Invalid options: must be a plain object of options ({ requestType: 'chat' }), got an object of class BudgetManager",
    );
  });

  it('names the closest value of an option that takes one of a few words', () => {
    expect(() => resolveAdapterOptions({ settle: 'backgrond' }, defaults)).toThrow(
      "Invalid options.settle: must be one of inline, background (did you mean 'background'?)",
    );
  });

  it('checks an adapter’s own options the same way', () => {
    expect(optionOneOf(undefined, 'estimateWith', ['local', 'countTokens'])).toBe('local');
    expect(() => optionOneOf('remote', 'estimateWith', ['local', 'countTokens'])).toThrow(/estimateWith/);
    expect(optionPositiveInteger(20, 'assumedPages')).toBe(20);
    expect(() => optionPositiveInteger(null, 'assumedPages')).toThrow(/assumedPages/);
  });

  it('reports settlement errors as a process warning by default, without the prompt', async () => {
    const warnings: Error[] = [];
    const listen = (warning: Error) => warnings.push(warning);
    process.on('warning', listen);
    resolveAdapterOptions({}, defaults).onSettleError(new Error('store down'));
    await new Promise((resolve) => setImmediate(resolve));
    process.off('warning', listen);
    expect(warnings.map((warning) => warning.message)).toEqual([
      'tollgate could not settle a Fake call: Error: store down',
    ]);
  });

  it('says a strict budget’s warning thrown after the record was written is not a failure to settle', () => {
    const received: TollgateWarning[] = [];
    const budget = createBudget({ onWarning: (warning) => received.push(warning) });
    const { onSettleError } = resolveAdapterOptions({}, defaults, budget);
    onSettleError(
      new TollgateWarning({
        code: 'TOLLGATE_UNTRUSTED_USAGE',
        subject: 'openai/gpt-4o',
        message: 'no usage was reported',
      }),
    );
    expect(received.map((warning) => [warning.code, warning.message])).toEqual([
      [
        'TOLLGATE_SETTLE',
        'tollgate recorded a Fake call, then raised TOLLGATE_UNTRUSTED_USAGE (a strict budget throws it): no usage was reported',
      ],
    ]);
  });

  it('reports settlement errors through the budget’s onWarning when given the budget, every time', () => {
    const received: TollgateWarning[] = [];
    const budget = createBudget({ strict: true, onWarning: (warning) => received.push(warning) });
    const { onSettleError } = resolveAdapterOptions({}, defaults, budget);
    const failure = new Error('store down');
    onSettleError(failure);
    onSettleError(failure);
    expect(
      received.map((warning) => [warning.code, warning.subject, warning.message, warning.cause]),
    ).toEqual(
      Array(2).fill([
        'TOLLGATE_SETTLE',
        'Fake',
        'tollgate could not settle a Fake call: Error: store down',
        failure,
      ]),
    );
  });
});
