import {
  type CommitRequest,
  type CommitResult,
  ForwardingStore,
  type ReserveRequest,
  type ReserveResult,
} from '@tollgate/core';

type Write =
  | { readonly kind: 'reserve'; readonly reservationId: string; readonly ok: boolean }
  | { readonly kind: 'commit'; readonly requestId: string }
  | { readonly kind: 'release'; readonly reservationId: string };

/**
 * A store that passes every call to another store and notes each write that reaches it.
 * Everything that changes a store's state goes through `reserve`, `commit` or `release`,
 * so "no partial write" after a refusal is: no commit, and every reservation taken was
 * given back. Budget definitions are no spend: a refused call may find them saved, as any first
 * use of the store does.
 */
export class StoreJournal extends ForwardingStore {
  private writes: Write[] = [];

  /** Forgets what was noted so far; the next `problems()` covers only what follows. */
  mark(): void {
    this.writes = [];
  }

  /** Writes (reservations taken or refused, commits, releases) that reached the store since `mark()`. */
  get writeCount(): number {
    return this.writes.length;
  }

  /** Why the writes since `mark()` are not "nothing happened", or undefined when they are. */
  problems(): string | undefined {
    const commits = this.writes.filter((write) => write.kind === 'commit');
    if (commits.length > 0) return `${commits.length} commit(s) reached the store`;
    const released = new Set(
      this.writes.flatMap((write) => (write.kind === 'release' ? [write.reservationId] : [])),
    );
    const held = this.writes.filter(
      (write) => write.kind === 'reserve' && write.ok && !released.has(write.reservationId),
    );
    return held.length > 0 ? `${held.length} reservation(s) left held` : undefined;
  }

  override async reserve(request: ReserveRequest): Promise<ReserveResult> {
    const result = await this.store.reserve(request);
    this.writes.push({ kind: 'reserve', reservationId: request.reservationId, ok: result.ok });
    return result;
  }

  override async commit(request: CommitRequest): Promise<CommitResult> {
    this.writes.push({ kind: 'commit', requestId: String(request.record?.requestId) });
    return this.store.commit(request);
  }

  override async release(reservationId: string, now: number): Promise<void> {
    this.writes.push({ kind: 'release', reservationId });
    return this.store.release(reservationId, now);
  }
}
