import { suggestionFor } from '../errors/did-you-mean';
import { rejectUnknownKeys } from '../errors/reject-unknown-keys';
import { validateId } from '../errors/validation';
import { ValidationError } from '../errors/validation-error';

/** The scopes tollgate reads from a call's context itself: one counter for the app, or one per user, project or tag. */
export const BUILT_IN_SCOPES = ['global', 'user', 'project', 'tag'] as const;
/** One of the scopes tollgate reads from a call's context itself. */
export type BuiltInScope = (typeof BUILT_IN_SCOPES)[number];

/**
 * Who a budget's counters are for: a built-in scope, or a custom attribute of the call context,
 * named explicitly (`{ attribute: 'tenant' }` reads `context.attributes.tenant`): one counter per value.
 */
export type BudgetScope = BuiltInScope | { readonly attribute: string };

const SCOPE_HELP = `scopes are ${BUILT_IN_SCOPES.join(', ')}, or { attribute: 'name' } for a custom attribute of the call context`;
const MAX_SHOWN_LENGTH = 64;

/**
 * A scope as the counters and statuses name it: the built-in scope, or the custom attribute's
 * name (`tenant`, so its counters are `tenant:acme`). A custom attribute may not be named like a
 * built-in scope, so the two can never be confused.
 */
export function normalizeScope(value: unknown, field: string): string {
  if (value === undefined) return 'global';
  if (typeof value === 'string') {
    if ((BUILT_IN_SCOPES as readonly string[]).includes(value)) return value;
    const shown = value.length > MAX_SHOWN_LENGTH ? `${value.slice(0, MAX_SHOWN_LENGTH)}…` : value;
    const suggestion = suggestionFor(value, BUILT_IN_SCOPES);
    throw new ValidationError({
      field,
      message:
        suggestion === ''
          ? `'${shown}' is not a built-in scope (${BUILT_IN_SCOPES.join(', ')}); for a custom attribute of the call context write scope: { attribute: '${shown}' }`
          : `'${shown}' is not a scope${suggestion}; ${SCOPE_HELP}`,
    });
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new ValidationError({ field, message: SCOPE_HELP });
  rejectUnknownKeys(value, ['attribute'], field);
  const attribute = validateId((value as { attribute?: unknown }).attribute, `${field}.attribute`, {
    key: true,
  });
  if ((BUILT_IN_SCOPES as readonly string[]).includes(attribute))
    throw new ValidationError({
      field: `${field}.attribute`,
      message: `'${attribute}' is a built-in scope: write scope: '${attribute}'`,
    });
  return attribute;
}

/** The config form of a normalized scope: the built-in scope, or `{ attribute }`. */
export function scopeConfigOf(scope: string): BudgetScope {
  return (BUILT_IN_SCOPES as readonly string[]).includes(scope)
    ? (scope as BuiltInScope)
    : { attribute: scope };
}
