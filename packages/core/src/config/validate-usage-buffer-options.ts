import { optionKeys, rejectUnknownKeys } from '../errors/reject-unknown-keys';
import { validateCount, validatePlainObject } from '../errors/validation';
import { ValidationError } from '../errors/validation-error';
import type { UsageBufferOptions } from '../settlement/usage-buffer';

const USAGE_BUFFER_KEYS = optionKeys<UsageBufferOptions>({
  maxEntries: true,
  retryIntervalMs: true,
  path: true,
});

export function validateUsageBufferOptions(options: unknown): UsageBufferOptions {
  if (options === undefined) return {};
  const given = validatePlainObject(options, 'usageBuffer');
  rejectUnknownKeys(given, USAGE_BUFFER_KEYS, 'usageBuffer');
  if (
    given.path !== undefined &&
    (typeof given.path !== 'string' || given.path.length === 0 || given.path.includes('\u0000'))
  )
    throw new ValidationError({ field: 'usageBuffer.path', message: 'must be a file path' });
  for (const field of ['maxEntries', 'retryIntervalMs'] as const) {
    if (given[field] !== undefined && validateCount(given[field], `usageBuffer.${field}`) < 1)
      throw new ValidationError({ field: `usageBuffer.${field}`, message: 'must be at least 1' });
  }
  return given as UsageBufferOptions;
}
