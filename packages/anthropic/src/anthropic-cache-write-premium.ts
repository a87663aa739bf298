/**
 * Extra share of the prompt to reserve when a request asks for prompt caching: a
 * cache write costs 1.25× the input price with the default 5-minute lifetime and 2×
 * with `ttl: '1h'`. The whole prompt is assumed written, the worst case.
 */
export function cacheWritePremium(params: Record<string, unknown>): number {
  let premium = 0;
  const visit = (value: unknown, depth: number): void => {
    if (premium === 1 || depth > 8 || value === null || typeof value !== 'object') return;
    if (Array.isArray(value)) {
      for (const item of value) visit(item, depth + 1);
      return;
    }
    const record = value as Record<string, unknown>;
    const cacheControl = record.cache_control;
    if (cacheControl !== null && typeof cacheControl === 'object') {
      premium = Math.max(premium, (cacheControl as { ttl?: unknown }).ttl === '1h' ? 1 : 0.25);
    }
    for (const field of ['content', 'system', 'messages', 'tools']) {
      if (field in record) visit(record[field], depth + 1);
    }
  };
  visit(params, 0);
  return premium;
}
