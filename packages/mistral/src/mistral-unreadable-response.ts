/**
 * The body of a response the API sent but the SDK could not read: the SDK's
 * `ResponseValidationError` (a 2xx status) holds the JSON it failed to validate, which the
 * provider billed. Undefined for any other error (nothing was answered, or an error status).
 * The class is not imported: the adapter loads nothing of the SDK at run time.
 */
export function unreadableResponseOf(error: unknown): Record<string, unknown> | undefined {
  if (!(error instanceof Error) || error.name !== 'ResponseValidationError') return undefined;
  const { statusCode, rawValue } = error as Error & { statusCode?: unknown; rawValue?: unknown };
  if (typeof statusCode !== 'number' || statusCode < 200 || statusCode >= 300) return undefined;
  return typeof rawValue === 'object' && rawValue !== null && !Array.isArray(rawValue)
    ? (rawValue as Record<string, unknown>)
    : undefined;
}
