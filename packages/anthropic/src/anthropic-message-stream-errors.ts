import { TollgateError } from '@tollgate/core';

type Emit = (event: string, ...args: unknown[]) => unknown;

/**
 * `messages.stream()` reports every error that is not the SDK's own as a new
 * `AnthropicError` whose `cause` is the original. A refusal from the gate is a
 * `BudgetExceededError`, and callers check for it with `BudgetExceededError.isInstance`
 * whichever way they call the API, so the helper stream reports tollgate's errors as
 * they are: `finalMessage()`, `finalText()`, `done()`, async iteration and the `error`
 * event all get the `BudgetExceededError` itself. The SDK's own errors are untouched.
 */
export function surfaceTollgateErrors<T extends object>(messageStream: T): T {
  const emit = (messageStream as { _emit?: unknown })._emit;
  if (typeof emit !== 'function') return messageStream;
  Object.defineProperty(messageStream, '_emit', {
    configurable: true,
    writable: true,
    enumerable: false,
    value(this: unknown, event: string, ...args: unknown[]) {
      const cause = event === 'error' ? (args[0] as { cause?: unknown } | undefined)?.cause : undefined;
      if (TollgateError.isInstance(cause)) return (emit as Emit).call(this, event, cause);
      return (emit as Emit).call(this, event, ...args);
    },
  });
  return messageStream;
}
