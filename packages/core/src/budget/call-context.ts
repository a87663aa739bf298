import { AsyncLocalStorage } from 'node:async_hooks';
import { optionKeys, rejectUnknownKeys } from '../errors/reject-unknown-keys';
import { validateId, validateOptionalId, validatePlainObject } from '../errors/validation';
import { ValidationError } from '../errors/validation-error';
import type { NormalizedBudget } from '../config/budget-config';

/** Who and what a call is for. Set by the app, never taken raw from request data. */
export interface CallContext {
  userId?: string;
  projectId?: string;
  tags?: readonly string[];
  /** What the call is for ('chat', 'summarize'…): a report dimension. */
  requestType?: string;
  /** Values for custom budget scopes (`scope: { attribute: 'team' }`), e.g. `{ team: 'search' }`. */
  attributes?: Readonly<Record<string, string>>;
}

const MAX_TAGS = 32;
export const CALL_CONTEXT_KEYS = optionKeys<CallContext>({
  userId: true,
  projectId: true,
  tags: true,
  requestType: true,
  attributes: true,
});
const storage = new AsyncLocalStorage<CallContext>();

/** The call context in effect here (from `budget.withContext`), or an empty one. */
export function currentContext(): CallContext {
  return storage.getStore() ?? {};
}

export function runWithContext<T>(context: CallContext, fn: () => T): T {
  const merged = mergeContexts(currentContext(), validateContext(context));
  return storage.run(merged, fn);
}

/** A call's context: the `withContext` values, overridden by an explicit context (checked). */
export function resolveContext(explicit: CallContext | undefined): CallContext {
  const ambient = currentContext();
  return explicit === undefined ? ambient : mergeContexts(ambient, validateContext(explicit));
}

/**
 * The context of a call made by a client with its own defaults (an adapter's static
 * `context` and `requestType`): `withContext` values win over the defaults; tags and
 * attributes are merged. Pass the result as a call's explicit context.
 */
export function contextWithDefaults(defaults: CallContext): CallContext {
  return mergeContexts(validateContext(defaults, 'defaultContext'), currentContext());
}

/** Inner values win; tags and attributes are merged. */
export function mergeContexts(outer: CallContext, inner: CallContext): CallContext {
  const tags = [...new Set([...(outer.tags ?? []), ...(inner.tags ?? [])])];
  return {
    ...outer,
    ...inner,
    ...(tags.length > 0 ? { tags } : {}),
    ...(outer.attributes || inner.attributes
      ? { attributes: { ...outer.attributes, ...inner.attributes } }
      : {}),
  };
}

export function validateContext(context: unknown, field = 'context'): CallContext {
  const value = validatePlainObject(context, field);
  rejectUnknownKeys(value, CALL_CONTEXT_KEYS, field);
  const result: CallContext = {};
  const userId = validateOptionalId(value.userId, `${field}.userId`);
  const projectId = validateOptionalId(value.projectId, `${field}.projectId`);
  const requestType = validateOptionalId(value.requestType, `${field}.requestType`, { key: true });
  if (userId !== undefined) result.userId = userId;
  if (projectId !== undefined) result.projectId = projectId;
  if (requestType !== undefined) result.requestType = requestType;
  if (value.tags !== undefined) {
    if (!Array.isArray(value.tags))
      throw new ValidationError({ field: `${field}.tags`, message: 'must be an array of strings' });
    if (value.tags.length > MAX_TAGS)
      throw new ValidationError({ field: `${field}.tags`, message: `must have at most ${MAX_TAGS} tags` });
    result.tags = value.tags.map((tag, index) => validateId(tag, `${field}.tags[${index}]`, { key: true }));
  }
  if (value.attributes !== undefined) {
    const attributes = validatePlainObject(value.attributes, `${field}.attributes`);
    const checked: Record<string, string> = {};
    for (const [key, attribute] of Object.entries(attributes)) {
      validateId(key, `${field}.attributes key`, { key: true });
      checked[key] = validateId(attribute, `${field}.attributes.${key}`);
    }
    result.attributes = checked;
  }
  return result;
}

/**
 * The scope values of a budget that a call is charged to: `['global']`, `['user:u-42']`,
 * one per tag, or none when the context does not name the scope's value.
 */
export function scopesFor(budget: NormalizedBudget, context: CallContext): string[] {
  const values = scopeValuesFor(budget.scope, context);
  const matching =
    budget.scopeValue === undefined ? values : values.filter((value) => value === budget.scopeValue);
  if (budget.scope === 'global') return ['global'];
  return matching.map((value) => `${budget.scope}:${value}`);
}

function scopeValuesFor(scope: string, context: CallContext): string[] {
  switch (scope) {
    case 'global':
      return ['global'];
    case 'user':
      return context.userId === undefined ? [] : [context.userId];
    case 'project':
      return context.projectId === undefined ? [] : [context.projectId];
    case 'tag':
      return [...(context.tags ?? [])];
    default: {
      // Own keys only: a scope named `toString` must not read Object.prototype.toString.
      const attributes = context.attributes;
      return attributes && Object.hasOwn(attributes, scope) ? [attributes[scope]!] : [];
    }
  }
}
