import { usageError } from '../cli-error';

/**
 * The command's idea of now: the real clock, or TOLLGATE_NOW (an ISO 8601 time) for
 * reproducible reports and tests — e.g. the status of a month as it stood on its last day.
 */
export function resolveClock(env: Readonly<Record<string, string | undefined>>): () => number {
  const fixed = env.TOLLGATE_NOW;
  if (fixed === undefined || fixed === '') return Date.now;
  const time = Date.parse(fixed);
  if (Number.isNaN(time) || !/^\d{4}-\d{2}-\d{2}/.test(fixed))
    throw usageError('TOLLGATE_NOW must be an ISO 8601 time such as 2026-11-29T12:00:00Z');
  return () => time;
}
