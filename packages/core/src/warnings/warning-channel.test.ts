import { describe, expect, it } from 'vitest';
import { TollgateError } from '../errors/tollgate-error';
import { TollgateWarning } from './tollgate-warning';
import { WarningChannel } from './warning-channel';

describe('WarningChannel', () => {
  it('reports each code and subject once', () => {
    const received: TollgateWarning[] = [];
    const channel = new WarningChannel({ onWarning: (warning) => received.push(warning) });
    channel.warn('TOLLGATE_UNPRICED_MODEL', 'gpt-9', 'first');
    channel.warn('TOLLGATE_UNPRICED_MODEL', 'gpt-9', 'again');
    channel.warn('TOLLGATE_UNPRICED_MODEL', 'gpt-10', 'other model');
    channel.warn('TOLLGATE_UNKNOWN_PROVIDER', 'gpt-9', 'other code');
    expect(received.map((warning) => [warning.code, warning.subject, warning.message])).toEqual([
      ['TOLLGATE_UNPRICED_MODEL', 'gpt-9', 'first'],
      ['TOLLGATE_UNPRICED_MODEL', 'gpt-10', 'other model'],
      ['TOLLGATE_UNKNOWN_PROVIDER', 'gpt-9', 'other code'],
    ]);
    expect(received.every((warning) => TollgateWarning.isInstance(warning))).toBe(true);
    expect(TollgateError.isInstance(received[0])).toBe(true);
  });

  it('throws every time when strict', () => {
    const channel = new WarningChannel({ strict: true, onWarning: () => {} });
    for (let attempt = 0; attempt < 2; attempt++) {
      expect(() => channel.warn('TOLLGATE_MISSING_CONTEXT', 'per-user', 'no user')).toThrow(
        expect.objectContaining({ name: 'TollgateWarning', code: 'TOLLGATE_MISSING_CONTEXT' }),
      );
    }
  });

  it('emits a process warning with the code by default', async () => {
    const emitted = new Promise<Error & { code?: string }>((resolve) => process.once('warning', resolve));
    new WarningChannel().warn('TOLLGATE_UNKNOWN_PROVIDER', 'grok', 'provider grok is not in the catalog');
    const warning = await emitted;
    expect(warning.name).toBe('TollgateWarning');
    expect(warning.code).toBe('TOLLGATE_UNKNOWN_PROVIDER');
    expect(warning.message).toBe('provider grok is not in the catalog');
  });

  it('a throwing listener does not fail the caller', () => {
    const channel = new WarningChannel({
      onWarning: () => {
        throw new Error('listener failed');
      },
    });
    expect(() => channel.warn('TOLLGATE_UNPRICED_MODEL', 'x', 'y')).not.toThrow();
  });
});

describe('WarningChannel.report', () => {
  it('delivers every time, with the cause, and never throws even when strict', () => {
    const received: TollgateWarning[] = [];
    const channel = new WarningChannel({ strict: true, onWarning: (warning) => received.push(warning) });
    const cause = new Error('store down');
    channel.report('TOLLGATE_SETTLE', 'OpenAI', 'could not settle');
    channel.report('TOLLGATE_SETTLE', 'OpenAI', 'could not settle', cause);
    expect(received.map((warning) => [warning.code, warning.subject, warning.cause])).toEqual([
      ['TOLLGATE_SETTLE', 'OpenAI', undefined],
      ['TOLLGATE_SETTLE', 'OpenAI', cause],
    ]);
  });
});
