import { type CallContext, contextWithDefaults } from '@tollgate/core';
import type { WrapOpenAIOptions } from './wrap-openai-options';

/** The context of one call: the wrapper's static context and request type under `budget.withContext`. */
export function callContextFor(options: WrapOpenAIOptions): CallContext | undefined {
  if (options.context === undefined && options.requestType === undefined) return undefined;
  return contextWithDefaults({
    ...options.context,
    ...(options.requestType === undefined ? {} : { requestType: options.requestType }),
  });
}
