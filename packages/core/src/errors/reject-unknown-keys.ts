import { suggestionFor } from './did-you-mean';
import { ValidationError } from './validation-error';

const MAX_SHOWN_KEY_LENGTH = 64;

/**
 * Refuses an options object with a key the entry point does not know (`requestTyp`), so a
 * typo fails loudly instead of being ignored. The key is shown: it is the app's own code,
 * not a value.
 */
export function rejectUnknownKeys(options: object, allowed: readonly string[], field: string): void {
  for (const key of Object.keys(options)) {
    if (allowed.includes(key)) continue;
    const shown = key.length > MAX_SHOWN_KEY_LENGTH ? `${key.slice(0, MAX_SHOWN_KEY_LENGTH)}…` : key;
    throw new ValidationError({
      field: `${field}.${shown}`,
      message: `is not an option${suggestionFor(key, allowed)}; known options: ${allowed.join(', ')}`,
    });
  }
}
