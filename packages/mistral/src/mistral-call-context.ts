import { type CallContext, currentContext } from '@tollgate/core';

/**
 * The explicit context for one call: the wrapper's static context, minus every value
 * the ambient `budget.withContext` already sets. The gate gives explicit values
 * precedence, so leaving those out lets the per-call context win over the per-client
 * defaults; tags are merged either way.
 */
export function mistralCallContext(defaults: CallContext): CallContext | undefined {
  if (Object.keys(defaults).length === 0) return undefined;
  const ambient = currentContext();
  const context: CallContext = {};
  if (defaults.userId !== undefined && ambient.userId === undefined) context.userId = defaults.userId;
  if (defaults.projectId !== undefined && ambient.projectId === undefined)
    context.projectId = defaults.projectId;
  if (defaults.requestType !== undefined && ambient.requestType === undefined)
    context.requestType = defaults.requestType;
  if (defaults.tags !== undefined) context.tags = defaults.tags;
  if (defaults.attributes !== undefined) {
    const attributes: Record<string, string> = {};
    for (const [key, value] of Object.entries(defaults.attributes)) {
      if (ambient.attributes?.[key] === undefined) attributes[key] = value;
    }
    context.attributes = attributes;
  }
  return context;
}
