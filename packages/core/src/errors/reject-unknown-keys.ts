import { didYouMean, suggestionFor } from './did-you-mean';
import { tollgateNameOf } from './other-sdk-names';
import { ValidationError } from './validation-error';

const MAX_SHOWN_KEY_LENGTH = 64;
/** A set per list of keys: a gate request's keys are looked up on every call. */
const sets = new WeakMap<readonly string[], ReadonlySet<string>>();

/** Keys that belong to another object of the same call, and where they go (`context` keys on a gate request). */
export interface MisplacedKeys {
  readonly keys: readonly string[];
  /** How to say where they belong: `goes in \`context\``. */
  readonly where: string;
}

/**
 * Refuses an options object with a key the entry point does not know (`requestTyp`), so a
 * typo fails loudly instead of being ignored. The key is shown: it is the app's own code,
 * not a value.
 */
export function rejectUnknownKeys(
  options: object,
  allowed: readonly string[],
  field: string,
  misplaced?: MisplacedKeys,
): void {
  const known = knownKeys(allowed);
  for (const key in options) {
    if (known.has(key) || !Object.hasOwn(options, key)) continue;
    const shown = key.length > MAX_SHOWN_KEY_LENGTH ? `${key.slice(0, MAX_SHOWN_KEY_LENGTH)}…` : key;
    throw new ValidationError({ field: `${field}.${shown}`, message: messageFor(key, allowed, misplaced) });
  }
}

function messageFor(key: string, allowed: readonly string[], misplaced: MisplacedKeys | undefined): string {
  if (misplaced?.keys.includes(key)) return `is not an option here: it ${misplaced.where}`;
  const name = tollgateNameOf(key, allowed);
  if (name === 'text' && key !== 'prompt')
    return `is not an option: give the prompt's text as 'text' (an adapter such as wrapOpenAI reads ${key} itself)`;
  if (name !== undefined) return `is not an option: tollgate calls it '${name}'`;
  // A typo of a key that belongs elsewhere (`requestTyp` beside a gate request) says where it goes.
  const meant = didYouMean(key, misplaced === undefined ? allowed : [...allowed, ...misplaced.keys]);
  if (meant !== undefined && misplaced?.keys.includes(meant))
    return `is not an option here (did you mean '${meant}'? it ${misplaced.where})`;
  return `is not an option${suggestionFor(key, allowed)}; known options: ${allowed.join(', ')}`;
}

/**
 * The keys of an options type, listed once: the compiler checks the list against the type,
 * so a key added to the type fails to compile until it is listed here too.
 */
export function optionKeys<T>(keys: { readonly [K in keyof Required<T>]: true }): readonly string[] {
  return Object.keys(keys);
}

function knownKeys(allowed: readonly string[]): ReadonlySet<string> {
  let known = sets.get(allowed);
  if (known === undefined) {
    known = new Set(allowed);
    sets.set(allowed, known);
  }
  return known;
}
