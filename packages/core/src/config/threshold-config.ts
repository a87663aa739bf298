import { type AlertThresholds, DEFAULT_THRESHOLDS } from '../alerts/alert-level';
import { optionKeys, rejectUnknownKeys } from '../errors/reject-unknown-keys';
import { validatePlainObject, validateQuantity } from '../errors/validation';
import { ValidationError } from '../errors/validation-error';

/** Past the limit is allowed (CRITICAL at 120% of it), ten times the limit is not. */
const MAX_THRESHOLD = 10;
const THRESHOLD_NAMES = ['yellow', 'orange', 'red', 'critical'] as const;
const THRESHOLD_KEYS = optionKeys<AlertThresholds>({ yellow: true, orange: true, red: true, critical: true });
const FRACTIONS_HINT = 'thresholds are fractions of the limit (0.5 for 50%)';

/** A budget's `thresholds` with the defaults filled in: fractions of the limit, increasing from yellow to critical. */
export function normalizeThresholds(given: unknown, field: string): AlertThresholds {
  const thresholds = { ...DEFAULT_THRESHOLDS };
  if (given !== undefined) {
    rejectUnknownKeys(validatePlainObject(given, field), THRESHOLD_KEYS, field);
    Object.assign(thresholds, given);
  }
  for (const name of THRESHOLD_NAMES) {
    const value = validateQuantity(thresholds[name], `${field}.${name}`, Number.POSITIVE_INFINITY);
    if (value > MAX_THRESHOLD)
      throw new ValidationError({
        field: `${field}.${name}`,
        message: `must be at most ${MAX_THRESHOLD}, got ${value}: ${FRACTIONS_HINT}`,
      });
  }
  const { yellow, orange, red, critical } = thresholds;
  if (!(yellow <= orange && orange <= red && red <= critical)) {
    const values = THRESHOLD_NAMES.map((name) => `${name} ${thresholds[name]}`).join(', ');
    const hint = THRESHOLD_NAMES.some((name) => thresholds[name] > 1) ? `: ${FRACTIONS_HINT}` : '';
    throw new ValidationError({ field, message: `must increase from yellow to critical (${values})${hint}` });
  }
  return thresholds;
}
