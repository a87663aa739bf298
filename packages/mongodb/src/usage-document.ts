import type { CommitRequest, CounterCharge, ServiceType, UsageRecord } from '@tollgate/core';
import { numberOf } from './bson-number';
import { holdOf } from './counter-document';
import type { HeldCounters } from './reservation-document';

/**
 * A usage record stored under its request id, written before any of its effects: a second
 * delivery is a duplicate key, and finds here what the first one was to charge.
 */
export interface UsageDocument extends Omit<UsageRecord, 'requestId' | 'tags'> {
  _id: string;
  tags: string[];
  /** The reservation the commit settles, if any (indexed: a reclaimer looks a hold's usage up by it). */
  reservationId?: string;
  /** The counters the commit charges, with the day each charge lands on (daily spend). */
  counters: CounterCharge[];
  /**
   * The counters charged under the reservation's hold (each charge removes the hold in the same
   * update), with that hold. On them a hold that is gone means the charge was made.
   */
  held?: { hold: { id: string; amount: number; expiresAt: number }; counterIds: string[] };
  /**
   * false from the insert until every effect (counters, daily spend, rollup) is applied.
   * Documents written before this field existed have none and count as complete.
   */
  complete: boolean;
}

export function usageDocumentOf(request: CommitRequest, held?: HeldCounters): UsageDocument {
  const { requestId, tags, ...fields } = request.record;
  return {
    _id: requestId,
    ...fields,
    tags: [...tags],
    ...(request.reservationId === undefined ? {} : { reservationId: request.reservationId }),
    counters: request.counters.map(({ budgetId, scope, period, day }) => ({ budgetId, scope, period, day })),
    ...(held ? { held: { hold: { ...held.hold }, counterIds: [...held.counterIds] } } : {}),
    complete: false,
  };
}

/** The hold and counters as stored, reading only strings and numbers from them. */
export function heldOf(document: Pick<UsageDocument, 'held'>): HeldCounters | undefined {
  const { held } = document;
  if (!held || typeof held.hold?.id !== 'string' || !Array.isArray(held.counterIds)) return undefined;
  return {
    hold: holdOf(held.hold.id, numberOf(held.hold.amount), numberOf(held.hold.expiresAt)),
    counterIds: held.counterIds.filter((id): id is string => typeof id === 'string'),
  };
}

export function isComplete(document: Pick<UsageDocument, 'complete'>): boolean {
  return document.complete !== false;
}

/** The charges as stored, reading only strings from them. */
export function chargesOf(document: Pick<UsageDocument, 'counters'>): CounterCharge[] {
  if (!Array.isArray(document.counters)) return [];
  return document.counters.flatMap((charge) =>
    charge !== null &&
    typeof charge === 'object' &&
    typeof charge.budgetId === 'string' &&
    typeof charge.scope === 'string' &&
    typeof charge.period === 'string' &&
    typeof charge.day === 'string'
      ? [{ budgetId: charge.budgetId, scope: charge.scope, period: charge.period, day: charge.day }]
      : [],
  );
}

export function usageRecordOf(document: UsageDocument): UsageRecord {
  const count = (value: unknown) => numberOf(value);
  return {
    requestId: document._id,
    timestamp: count(document.timestamp),
    day: document.day,
    provider: document.provider,
    model: document.model,
    ...(typeof document.servedModel === 'string' ? { servedModel: document.servedModel } : {}),
    // A usage recorded before v2 has the catalog id as its model.
    catalogModel: typeof document.catalogModel === 'string' ? document.catalogModel : document.model,
    service: document.service as ServiceType,
    requestType: document.requestType,
    ...(typeof document.userId === 'string' ? { userId: document.userId } : {}),
    ...(typeof document.projectId === 'string' ? { projectId: document.projectId } : {}),
    tags: Array.isArray(document.tags) ? [...document.tags] : [],
    cost: count(document.cost),
    reserved: count(document.reserved),
    overrun: count(document.overrun),
    estimated: document.estimated === true,
    priceSource: document.priceSource,
    inputTokens: count(document.inputTokens),
    cacheReadTokens: count(document.cacheReadTokens),
    cacheWriteTokens: count(document.cacheWriteTokens),
    outputTokens: count(document.outputTokens),
    reasoningTokens: count(document.reasoningTokens),
    audioMilliseconds: count(document.audioMilliseconds),
    characters: count(document.characters),
    images: count(document.images),
    pages: count(document.pages),
    ...(typeof document.rawUsage === 'string' ? { rawUsage: document.rawUsage } : {}),
  };
}
