import { type CallContext, contextWithDefaults } from '@tollgate/core';

/** The context of one call: the wrapper's static context under `budget.withContext`. */
export function mistralCallContext(defaults: CallContext): CallContext | undefined {
  if (Object.keys(defaults).length === 0) return undefined;
  return contextWithDefaults(defaults);
}
