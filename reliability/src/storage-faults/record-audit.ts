import type { StoredLedger } from './stored-ledger';

export interface RecordAudit {
  /** Settled by the app, but no record in the store. */
  readonly lost: readonly string[];
  /** A record in the store that no settled call accounts for. */
  readonly unexpected: readonly string[];
  /** Recorded with a cost other than the one the settle returned. */
  readonly wrongCost: readonly string[];
  /** Sum of the counters' committed spend minus the sum of the records: > 0 is double counting, < 0 an uncharged record. */
  readonly committedMinusRecorded: number;
}

/**
 * Compares the calls an app settled (request id → cost) with what the store holds: every
 * settled call recorded exactly once, and the counter charged exactly the sum of the records.
 */
export function auditRecords(
  settled: ReadonlyMap<string, number>,
  ledger: StoredLedger,
  counterId: string,
): RecordAudit {
  const lost = [...settled.keys()].filter((requestId) => !ledger.records.has(requestId));
  const unexpected = [...ledger.records.keys()].filter((requestId) => !settled.has(requestId));
  const wrongCost = [...settled].filter(
    ([requestId, cost]) => ledger.records.has(requestId) && ledger.records.get(requestId) !== cost,
  );
  const committed = ledger.counters.find((counter) => counter.id === counterId)?.committed ?? 0;
  return {
    lost,
    unexpected,
    wrongCost: wrongCost.map(([requestId]) => requestId),
    committedMinusRecorded: committed - ledger.recordedCost,
  };
}
