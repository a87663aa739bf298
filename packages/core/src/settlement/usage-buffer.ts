import { StorageUnavailableError } from '../errors/storage-unavailable-error';
import { validateCount, validateId, validatePlainObject } from '../errors/validation';
import { loadOnFirstUse } from '../load-on-first-use';
import type { BudgetStore, CommitRequest, CommitResult } from '../store/store-contract';
import { type CommitsInBatches, commitInBatches } from './commit-in-batches';

/** Where records wait while the store is unreachable: how many, how often writing is retried, and an optional spill file. */
export interface UsageBufferOptions {
  /**
   * A local file the buffer appends to before acknowledging, so a process exit does
   * not lose the usage of admitted calls. Without it the buffer lives in memory only.
   */
  path?: string;
  /** At most this many commits wait; beyond it recording fails loudly. Default 10,000. */
  maxEntries?: number;
  /** How often a non-empty buffer retries the store. Default 1 s. */
  retryIntervalMs?: number;
}

/** Commits sent in one `commitMany` when the store has it. */
const BATCH_SIZE = 1_000;

/**
 * Holds the commits of calls that were admitted and ran while the store was
 * unreachable, and writes them once it is back. Commits are idempotent by request
 * id, so a replay — after a retry or a restart — never charges twice.
 */
export class UsageBuffer {
  private readonly pending = new Map<string, CommitRequest>();
  /** Records a write was tried for and failed: the store may hold them already, from that write. */
  private readonly triedBefore = new Set<string>();
  private readonly maxEntries: number;
  private readonly retryIntervalMs: number;
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<number> | undefined;
  /** Reads under way that no write may overlap (`whileNotWriting`), and the writes waiting for them. */
  private reads = 0;
  private readonly writesWaiting: (() => void)[] = [];

  constructor(
    private readonly store: Pick<BudgetStore, 'commit'> & Partial<CommitsInBatches>,
    private readonly options: UsageBufferOptions,
    /** `firstTry`: no write of this record was tried before, so one not recorded is another call's. */
    private readonly onCommitted: (
      request: CommitRequest,
      recorded: boolean,
      result: CommitResult | undefined,
      firstTry: boolean,
    ) => void,
  ) {
    this.maxEntries = options.maxEntries ?? 10_000;
    this.retryIntervalMs = options.retryIntervalMs ?? 1_000;
    this.loadSpilled();
  }

  get size(): number {
    return this.pending.size;
  }

  /** `triedBefore`: a write of it was tried and failed, so the store may hold it already. */
  add(request: CommitRequest, triedBefore = false): void {
    if (this.pending.has(request.record.requestId)) return;
    if (this.pending.size >= this.maxEntries) {
      throw new StorageUnavailableError(
        `The budget store is unreachable and ${this.maxEntries} usage records already wait to be written.`,
      );
    }
    if (this.options.path) {
      const { appendFileSync, mkdirSync } = fileSystem();
      const { dirname } = loadOnFirstUse<typeof import('node:path')>('node:path');
      mkdirSync(dirname(this.options.path), { recursive: true });
      appendFileSync(this.options.path, `${JSON.stringify(request)}\n`);
    }
    this.pending.set(request.record.requestId, request);
    if (triedBefore) this.triedBefore.add(request.record.requestId);
    this.schedule();
  }

  /** Writes what waits; returns how many remain. Concurrent calls share one pass. */
  flush(): Promise<number> {
    this.flushing ??= (
      this.reads === 0 ? this.flushPending() : this.afterReads().then(() => this.flushPending())
    ).finally(() => {
      this.flushing = undefined;
    });
    return this.flushing;
  }

  /**
   * Runs `read` when no write is under way, and starts none before it ends: what it reads from the
   * store then holds every record written so far and none of those still waiting here.
   */
  async whileNotWriting<T>(read: () => Promise<T>): Promise<T> {
    while (this.flushing) await this.flushing;
    this.reads++;
    try {
      return await read();
    } finally {
      if (--this.reads === 0) for (const write of this.writesWaiting.splice(0)) write();
    }
  }

  private afterReads(): Promise<void> {
    return new Promise((resolve) => this.writesWaiting.push(resolve));
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private async flushPending(): Promise<number> {
    if (this.store.commitMany) await this.flushInBatches(this.store as CommitsInBatches);
    else await this.flushOneByOne();
    this.rewriteSpill();
    if (this.pending.size === 0) this.stop();
    return this.pending.size;
  }

  private async flushOneByOne(): Promise<void> {
    for (const [requestId, request] of this.pending) {
      let result: CommitResult;
      try {
        result = await this.store.commit(request);
      } catch {
        this.triedBefore.add(requestId);
        return;
      }
      this.pending.delete(requestId);
      this.onCommitted(request, result.recorded, result, !this.triedBefore.delete(requestId));
    }
  }

  private async flushInBatches(store: CommitsInBatches): Promise<void> {
    while (this.pending.size > 0) {
      const batch: CommitRequest[] = [];
      for (const request of this.pending.values()) {
        batch.push(request);
        if (batch.length === BATCH_SIZE) break;
      }
      let recorded: readonly boolean[];
      try {
        recorded = await commitInBatches(store, batch);
      } catch {
        for (const request of batch) this.triedBefore.add(request.record.requestId);
        return;
      }
      for (const [index, request] of batch.entries()) {
        const { requestId } = request.record;
        this.pending.delete(requestId);
        this.onCommitted(request, recorded[index] ?? false, undefined, !this.triedBefore.delete(requestId));
      }
    }
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.flush(), this.retryIntervalMs);
    this.timer.unref();
  }

  private loadSpilled(): void {
    const { path } = this.options;
    if (!path || !fileSystem().existsSync(path)) return;
    for (const line of fileSystem().readFileSync(path, 'utf8').split('\n')) {
      if (line.trim() === '') continue;
      try {
        const request = validateCommitRequest(JSON.parse(line));
        this.pending.set(request.record.requestId, request);
        // Written before the earlier process stopped, maybe.
        this.triedBefore.add(request.record.requestId);
      } catch {
        // A line cut short by a crash mid-write (its call was never acknowledged), or
        // one that is not a commit tollgate wrote: neither may reach the store.
      }
    }
    if (this.pending.size > 0) this.schedule();
  }

  private rewriteSpill(): void {
    const { path } = this.options;
    if (!path) return;
    const { existsSync, renameSync, writeFileSync } = fileSystem();
    if (!existsSync(path)) return;
    const temporary = `${path}.tmp`;
    writeFileSync(
      temporary,
      [...this.pending.values()].map((request) => `${JSON.stringify(request)}\n`).join(''),
    );
    renameSync(temporary, path);
  }
}

/** node:fs, loaded when a buffer first has a spill file: most budgets never have one. */
function fileSystem(): typeof import('node:fs') {
  return loadOnFirstUse<typeof import('node:fs')>('node:fs');
}

const RECORD_IDS = [
  'requestId',
  'day',
  'provider',
  'model',
  'service',
  'requestType',
  'priceSource',
] as const;
const RECORD_COUNTS = [
  'timestamp',
  'cost',
  'reserved',
  'overrun',
  'inputTokens',
  'cacheReadTokens',
  'cacheWriteTokens',
  'outputTokens',
  'reasoningTokens',
  'audioMilliseconds',
  'characters',
  'images',
  'pages',
] as const;

/** A spilled line is data from disk: it is checked like any input before it reaches a store. */
function validateCommitRequest(value: unknown): CommitRequest {
  const request = validatePlainObject(value, 'commit');
  const record = validatePlainObject(request.record, 'commit.record');
  for (const field of RECORD_IDS) validateId(record[field], `commit.record.${field}`);
  for (const field of RECORD_COUNTS)
    validateCount(record[field], `commit.record.${field}`, Number.MAX_SAFE_INTEGER);
  for (const field of ['userId', 'projectId'] as const) {
    if (record[field] !== undefined) validateId(record[field], `commit.record.${field}`);
  }
  if (!Array.isArray(record.tags)) throw new TypeError('commit.record.tags');
  for (const [index, tag] of record.tags.entries())
    validateId(tag, `commit.record.tags[${index}]`, { key: true });
  if (typeof record.estimated !== 'boolean') throw new TypeError('commit.record.estimated');
  if (request.reservationId !== undefined) validateId(request.reservationId, 'commit.reservationId');
  validateCount(request.now, 'commit.now', Number.MAX_SAFE_INTEGER);
  if (!Array.isArray(request.counters)) throw new TypeError('commit.counters');
  for (const counter of request.counters) {
    const checked = validatePlainObject(counter, 'commit.counters[]');
    validateId(checked.budgetId, 'commit.counters[].budgetId', { key: true });
    for (const field of ['scope', 'period', 'day'] as const)
      validateId(checked[field], `commit.counters[].${field}`);
  }
  return request as unknown as CommitRequest;
}
