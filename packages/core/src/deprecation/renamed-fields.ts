const warned = new Set<string>();

/** The code of the one-time `DeprecationWarning` a renamed field's old name emits when read. */
export const RENAMED_FIELD_WARNING_CODE = 'TOLLGATE_RENAMED_FIELD';

/**
 * A class, named after the type, whose getters serve the old names of renamed fields (`total` →
 * `limitUsd`) for one minor version: each reads the new field and emits a `DeprecationWarning`
 * the first time that old name is read in the process. Its instances carry the old names as
 * inherited, non-enumerable properties, so JSON, spreads and `toEqual` see only the new ones.
 * Set the fields one by one on `new Type()` where speed matters (`Object.assign` is slower).
 */
export function renamedFields<Type extends object>(
  typeName: string,
  renames: Readonly<Record<string, string>>,
): new () => Type {
  const named = { [typeName]: class {} }[typeName]!;
  defineRenamedFields(named.prototype, typeName, renames);
  return named as new () => Type;
}

/** Adds the same getters to an existing prototype (a class's). */
export function defineRenamedFields(
  prototype: object,
  typeName: string,
  renames: Readonly<Record<string, string>>,
): void {
  for (const [oldName, newName] of Object.entries(renames))
    defineRenamed(prototype, typeName, oldName, newName);
}

function defineRenamed(prototype: object, typeName: string, oldName: string, newName: string): void {
  Object.defineProperty(prototype, oldName, {
    configurable: true,
    enumerable: false,
    get(this: Record<string, unknown>) {
      warnRenamed(`${typeName}.${oldName}`, newName);
      return this[newName];
    },
  });
}

/** Emits the one-time warning for a renamed name; `replacement` says what to use instead. */
export function warnRenamed(oldName: string, replacement: string): void {
  if (warned.has(oldName)) return;
  warned.add(oldName);
  const message = `${oldName} is deprecated and will be removed in the next minor version: use ${replacement}.`;
  if (typeof process !== 'undefined' && typeof process.emitWarning === 'function') {
    process.emitWarning(message, { type: 'DeprecationWarning', code: RENAMED_FIELD_WARNING_CODE });
  } else {
    console.warn(`DeprecationWarning: ${message}`);
  }
}
