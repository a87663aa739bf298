import type { Projection } from '@tollgate/core';

/** `recent-trend projection on 18 of 30 days` — which method, and how much data it rests on. */
export function describeProjection(projection: Pick<Projection, 'method' | 'basis'>): string {
  if (projection.method === 'none') return 'no projection: the budget has no end';
  const { unit, elapsed, total } = projection.basis;
  return `${projection.method} projection on ${elapsed} of ${total} ${unit}s`;
}
