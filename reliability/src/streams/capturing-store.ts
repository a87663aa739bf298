import { type CommitRequest, type CommitResult, MemoryStore } from '@tollgate/core';

/** A MemoryStore that keeps every commit and release it receives, in order, for the checks to read. */
export class CapturingStore extends MemoryStore {
  readonly commits: { request: CommitRequest; recorded: boolean }[] = [];
  readonly releases: string[] = [];

  override async commit(request: CommitRequest): Promise<CommitResult> {
    const result = await super.commit(request);
    this.commits.push({ request, recorded: result.recorded });
    return result;
  }

  override async release(reservationId: string): Promise<void> {
    this.releases.push(reservationId);
    return super.release(reservationId);
  }
}
