const warned = new Set<string>();

/** The code of the one-time `DeprecationWarning` a renamed option value emits when it is used. */
export const RENAMED_OPTION_VALUE_WARNING_CODE = 'TOLLGATE_RENAMED_OPTION_VALUE';

/**
 * Emits a `DeprecationWarning` the first time in the process that an option is given a value
 * that was renamed (`estimateWith: 'local'` → `'bound'`); the old value keeps working for one
 * more minor version.
 */
export function warnRenamedOptionValue(option: string, oldValue: string, newValue: string): void {
  const key = `${option}=${oldValue}`;
  if (warned.has(key)) return;
  warned.add(key);
  const message = `${option}: '${oldValue}' is deprecated and will be removed in the next minor version: use '${newValue}'.`;
  if (typeof process !== 'undefined' && typeof process.emitWarning === 'function') {
    process.emitWarning(message, { type: 'DeprecationWarning', code: RENAMED_OPTION_VALUE_WARNING_CODE });
  } else {
    console.warn(`DeprecationWarning: ${message}`);
  }
}
