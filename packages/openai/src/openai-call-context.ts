import { type CallContext, currentContext } from '@tollgate/core';
import type { WrapOpenAIOptions } from './wrap-openai-options';

/**
 * The context of one call: the wrapper's static context and request type, with the
 * values of `budget.withContext()` winning over them (the narrower setting wins);
 * tags and attributes are merged.
 */
export function callContextFor(options: WrapOpenAIOptions): CallContext | undefined {
  if (options.context === undefined && options.requestType === undefined) return undefined;
  const base: CallContext = {
    ...options.context,
    ...(options.requestType === undefined ? {} : { requestType: options.requestType }),
  };
  const ambient = currentContext();
  const tags = [...new Set([...(base.tags ?? []), ...(ambient.tags ?? [])])];
  return {
    ...base,
    ...ambient,
    ...(tags.length > 0 ? { tags } : {}),
    ...(base.attributes || ambient.attributes
      ? { attributes: { ...base.attributes, ...ambient.attributes } }
      : {}),
  };
}
