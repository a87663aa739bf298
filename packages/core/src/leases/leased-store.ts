import type { NanoUsd } from '../money/money';
import { commitsInBatches } from '../settlement/commit-in-batches';
import { UsageBuffer } from '../settlement/usage-buffer';
import { newRequestId } from '../new-request-id';
import { ForwardingStore } from '../store/forwarding-store';
import type {
  BudgetStore,
  CommitRequest,
  CommitResult,
  CounterKey,
  CounterLimit,
  CounterState,
  ReserveRequest,
  ReserveResult,
} from '../store/store-contract';
import { addTo, counterSetOf, keyOf } from './counter-ids';
import { KnownSpend } from './known-spend';
import { instancesLeasing } from './lease-holds';
import type { LeaseSettings } from './lease-options';
import { leaseSize } from './lease-size';
import { LEASE_ID_PREFIX, type LocalLease, QuotaLease } from './quota-lease';

/** Records written in one `commitMany` once this many wait, without waiting for the next flush. */
const WRITE_AT = 1_000;
/** After a lease could not be taken (too little left unleased), calls reserve their own holds this long before another is tried. */
const RETRY_LEASE_AFTER_MS = 1_000;

/**
 * A store that admits calls from quota leases. For a call whose budgets all lease, it holds a
 * chunk of each counter in the store (one ordinary reservation, `lease~<instance>~<token>-<n>`) and
 * admits calls against it here, with no round trip; their records are written behind, in
 * batches, through a usage buffer (and its spill file). Any other call goes to the store as it
 * would without leases.
 *
 * Never an under-count: a lease's hold stays in the store, whole, until every call admitted from
 * it is settled and its record written; only then is it given back. Until then the store counts
 * what those calls cost twice (in the hold and in the records written), which only refuses early.
 */
export class LeasedStore extends ForwardingStore {
  /** The lease that admits calls, by counter set. */
  private readonly active = new Map<string, QuotaLease>();
  /** Leases that admit no more, given back once drained. */
  private readonly retired = new Set<QuotaLease>();
  private readonly counterKeys = new Map<string, readonly CounterKey[]>();
  /** The calls admitted from a lease and not settled, by their reservation id. */
  private readonly calls = new Map<string, { lease: QuotaLease; amount: NanoUsd }>();
  /** The lease of each record that waits to be written, and its call's own id, by request id. */
  private readonly unwritten = new Map<
    string,
    { lease: QuotaLease; cost: NanoUsd; counters: readonly CounterKey[]; ownId?: string }
  >();
  private readonly known = new KnownSpend();
  private readonly taking = new Map<string, Promise<QuotaLease | undefined>>();
  /** Counter sets where no lease could be taken, until when. */
  private readonly perCallUntil = new Map<string, number>();
  /** The amount of the last lease taken, by counter set: the next one is at most twice as large… */
  private readonly lastAmount = new Map<string, NanoUsd>();
  /** …or what the calls waiting for it need, by counter set. */
  private readonly waiting = new Map<string, NanoUsd>();
  private readonly givingBack = new Set<Promise<void>>();
  /** How many leases this instance has given back (or is giving back). */
  private leasesGivenBack = 0;
  private readonly writer: UsageBuffer;
  private timer: NodeJS.Timeout | undefined;
  private sequence = 0;
  /**
   * `lease~<instance id>~<token>-`: the token is this store's own, so that two processes given the
   * same instance id (one host's workers) never take the same reservation, which the store would
   * answer as already held.
   */
  private readonly leaseIdPrefix: string;
  private closed = false;

  constructor(
    store: BudgetStore,
    readonly settings: LeaseSettings,
    private readonly clock: () => number = Date.now,
    /** A record's response id was another call's: it was written under the call's own id. */
    private readonly onRepeatedResponseId: (
      provider: string,
      responseId: string,
      ownId: string,
    ) => void = () => {},
  ) {
    super(store);
    this.leaseIdPrefix = `${LEASE_ID_PREFIX}${settings.instanceId}~${newRequestId().slice(0, 8)}-`;
    this.writer = new UsageBuffer(
      {
        commit: (request) => store.commit(request),
        ...(commitsInBatches(store) ? { commitMany: (requests) => store.commitMany(requests) } : {}),
      },
      {
        path: settings.path,
        maxEntries: settings.maxPendingRecords,
        retryIntervalMs: settings.flushIntervalMs,
      },
      (request, recorded, _result, firstTry) => this.written(request, recorded || !firstTry),
    );
  }

  /** This instance's id in its leases' reservation ids. */
  get instanceId(): string {
    return this.settings.instanceId;
  }

  /** Records of settled calls not written to the store yet. */
  get pendingRecords(): number {
    return this.writer.size;
  }

  override async reserve(request: ReserveRequest): Promise<ReserveResult> {
    if (!this.leases(request.counters)) return this.store.reserve(request);
    if (this.calls.has(request.reservationId))
      return this.admittedResult(request, this.calls.get(request.reservationId)!.lease);
    const set = counterSetOf(request.counters);
    const lease = this.active.get(set);
    if (lease?.admit(request.amount, request.now)) return this.admitted(request, lease, set);
    if ((this.perCallUntil.get(set) ?? 0) <= request.now) {
      const taken = await this.take(set, request, true);
      if (taken?.admit(request.amount, request.now)) return this.admitted(request, taken, set);
    }
    const spare = this.spareLease(set, request);
    if (spare) return this.admitted(request, spare, set);
    const own = await this.store.reserve(request);
    if (own.ok || !(await this.giveBackUnused(set))) return own;
    return this.store.reserve(request);
  }

  override async commit(request: CommitRequest): Promise<CommitResult> {
    const call = request.reservationId === undefined ? undefined : this.calls.get(request.reservationId);
    if (!call) return this.store.commit(request);
    this.calls.delete(request.reservationId!);
    const { lease, amount } = call;
    const { record } = request;
    if (this.unwritten.has(record.requestId)) {
      lease.giveBack(amount);
      this.giveBackIfDrained(lease);
      return { recorded: false, counters: this.known.statesOf(request.counters) };
    }
    lease.settle(amount, record.cost);
    // The call's own hold is the lease: the record is written without a reservation.
    const write: CommitRequest = { record, counters: request.counters, now: request.now };
    if (this.writer.size >= this.settings.maxPendingRecords) {
      // Written now, as without a lease. If that fails, the lease stays held until it passes.
      const result = await this.store.commit(write);
      this.known.learn(result.counters);
      lease.recordsUnwritten--;
      this.giveBackIfDrained(lease);
      return result;
    }
    const ownId = request.reservationId;
    this.unwritten.set(record.requestId, { lease, cost: record.cost, counters: request.counters, ownId });
    this.writer.add(write);
    if (this.writer.size >= WRITE_AT || lease.callsInFlight === 0) this.writeSoon(lease);
    return { recorded: true, counters: this.known.waits(request.counters, record.cost) };
  }

  override async release(reservationId: string, now: number): Promise<void> {
    const call = this.calls.get(reservationId);
    if (!call) return this.store.release(reservationId, now);
    this.calls.delete(reservationId);
    call.lease.giveBack(call.amount);
    this.giveBackIfDrained(call.lease);
  }

  /** The store's counters, with this instance's records not written yet added to `committed`. */
  override readCounters(keys: readonly CounterKey[], now: number): Promise<CounterState[]> {
    // Read between writes: a record being written could be counted both in the store and here.
    return this.writer.whileNotWriting(async () =>
      this.known.withWaiting(await this.store.readCounters(keys, now)),
    );
  }

  /** This instance's leases, the active ones first. */
  localLeases(): LocalLease[] {
    return [...this.active.values(), ...this.retired].map((lease) =>
      lease.describe(this.counterKeys.get(lease.counterSet) ?? []),
    );
  }

  /** Retires the leases past `maxAgeMs` or idle for `idleMs`; runs on a timer while there are leases. */
  retireStale(now = this.clock()): void {
    for (const lease of [...this.active.values()])
      if (now >= lease.admitsUntil || now - lease.lastUsedAt >= this.settings.idleMs) this.retire(lease);
    if (this.active.size === 0 && this.retired.size === 0) this.stopTimer();
  }

  /** Writes the records that wait and gives back the leases that are drained; how many records still wait. */
  async flush(): Promise<number> {
    const waiting = await this.writer.flush();
    await Promise.all(this.givingBack);
    return waiting;
  }

  /**
   * Retires every lease, writes what waits and gives back each lease whose calls are settled.
   * A lease with a call still in flight stays held until its lease passes in the store. Does
   * not close the store underneath.
   */
  override async close(): Promise<void> {
    this.closed = true;
    // A lease being taken is waited for, so that it is retired with the others.
    await Promise.all(this.taking.values());
    for (const lease of [...this.active.values()]) this.retire(lease);
    await this.flush();
    this.writer.stop();
    this.stopTimer();
  }

  private leases(counters: readonly CounterLimit[]): boolean {
    const { budgets } = this.settings;
    if (counters.length === 0) return false;
    if (!budgets) return true;
    for (const counter of counters) if (!budgets.has(counter.budgetId)) return false;
    return true;
  }

  private admitted(request: ReserveRequest, lease: QuotaLease, set: string): ReserveResult {
    this.calls.set(request.reservationId, { lease, amount: request.amount });
    // Below half: the next lease is taken now, in the background, so no call waits for it.
    if (!lease.retired && lease.free < lease.amount / 2 && !this.taking.has(set))
      void this.take(set, request, false);
    return this.admittedResult(request, lease);
  }

  private admittedResult(request: ReserveRequest, lease: QuotaLease): ReserveResult {
    return { ok: true, expiresAt: lease.expiresAt, counters: this.known.statesOf(request.counters) };
  }

  /**
   * One lease taken at a time per counter set: calls that need it meanwhile wait for the same one
   * (`waits`), and it is taken large enough for all of them.
   */
  private take(set: string, request: ReserveRequest, waits: boolean): Promise<QuotaLease | undefined> {
    if (this.closed) return Promise.resolve(undefined);
    if (waits) addTo(this.waiting, set, request.amount);
    let taking = this.taking.get(set);
    if (!taking) {
      taking = this.takeLease(set, request)
        .catch(() => undefined)
        .finally(() => {
          this.taking.delete(set);
          this.waiting.delete(set);
        });
      this.taking.set(set, taking);
    }
    return taking;
  }

  private async takeLease(set: string, request: ReserveRequest): Promise<QuotaLease | undefined> {
    const { counters, now } = request;
    const [states, instances] = await Promise.all([
      this.store.readCounters(counters, now),
      instancesLeasing(this.store, this.settings.instanceId, counters, now),
    ]);
    this.known.learn(states);
    let unleased = Number.MAX_SAFE_INTEGER;
    for (const [index, limit] of counters.entries()) {
      const state = states[index]!;
      unleased = Math.min(unleased, limit.capacity - state.committed - state.reserved);
    }
    const amount = leaseSize(this.settings, unleased, instances, request.amount, {
      previous: this.lastAmount.get(set) ?? 0,
      waiting: this.waiting.get(set) ?? 0,
    });
    if (amount === 0) return this.noLease(set, now);
    const reservationId = `${this.leaseIdPrefix}${++this.sequence}`;
    // Every call it admits is backed as long as its own reservation would be.
    const result = await this.store.reserve({
      reservationId,
      amount,
      counters,
      leaseMs: request.leaseMs + this.settings.maxAgeMs,
      now,
    });
    if (!result.ok) return this.noLease(set, now);
    this.perCallUntil.delete(set);
    this.known.learn(result.counters);
    this.lastAmount.set(set, amount);
    const lease = new QuotaLease(
      reservationId,
      set,
      amount,
      now,
      result.expiresAt,
      now + this.settings.maxAgeMs,
    );
    const previous = this.active.get(set);
    if (previous) this.retire(previous);
    this.active.set(set, lease);
    this.counterKeys.set(set, counters.map(keyOf));
    this.startTimer();
    return lease;
  }

  private noLease(set: string, now: number): undefined {
    this.perCallUntil.set(set, now + RETRY_LEASE_AFTER_MS);
    return undefined;
  }

  /**
   * A lease retired while calls it admitted are still in flight keeps its whole hold until they
   * end: when no new lease can be taken, a call that fits in what it has free is admitted from it
   * rather than reserving its own hold (which the store may refuse while this instance holds
   * the budget). Not once the store is closing.
   */
  private spareLease(set: string, request: ReserveRequest): QuotaLease | undefined {
    if (this.closed) return undefined;
    for (const lease of this.retired)
      if (lease.counterSet === set && lease.admitFromRoom(request.amount, request.now)) return lease;
    return undefined;
  }

  /**
   * Before a call is refused: this instance's lease on its counters retires, what waits is written,
   * and the leases that can go back do. True when a lease went back meanwhile (one still being
   * given back when the call was refused counts): only then is the call's reservation tried again.
   */
  private async giveBackUnused(set: string): Promise<boolean> {
    const givenBefore = this.leasesGivenBack - this.givingBack.size;
    const lease = this.active.get(set);
    if (lease) this.retire(lease);
    if (this.givingBack.size === 0 && this.retired.size === 0) return false;
    await this.flush();
    return this.leasesGivenBack > givenBefore;
  }

  private retire(lease: QuotaLease): void {
    lease.retired = true;
    if (this.active.get(lease.counterSet) === lease) this.active.delete(lease.counterSet);
    this.retired.add(lease);
    this.giveBackIfDrained(lease);
    if (lease.callsInFlight === 0) this.writeSoon(lease);
  }

  /**
   * A retired lease whose calls have all ended waits only for its records to be written before it
   * goes back: they are written now rather than at the next flush, so that the budget it holds
   * (and the spend it counts twice once written) returns at once. So do a thousand waiting records.
   */
  private writeSoon(lease: QuotaLease): void {
    if (this.writer.size >= WRITE_AT || (lease.retired && lease.recordsUnwritten > 0))
      void this.writer.flush();
  }

  private giveBackIfDrained(lease: QuotaLease): void {
    if (!lease.drained || !this.retired.delete(lease)) return;
    this.leasesGivenBack++;
    const givingBack = this.store
      .release(lease.reservationId, this.clock())
      // A hold that cannot be given back now goes when its lease passes in the store.
      .catch(() => {})
      .finally(() => this.givingBack.delete(givingBack));
    this.givingBack.add(givingBack);
    if (this.active.size === 0 && this.retired.size === 0) this.stopTimer();
  }

  private written(request: CommitRequest, recorded: boolean): void {
    const { requestId } = request.record;
    const waiting = this.unwritten.get(requestId);
    // A record replayed from the spill file of an earlier process has no lease here.
    if (!waiting) return;
    this.unwritten.delete(requestId);
    const { ownId } = waiting;
    if (!recorded && ownId !== undefined && ownId !== requestId) {
      this.unwritten.set(ownId, { ...waiting, ownId: undefined });
      this.writer.add({ ...request, record: { ...request.record, requestId: ownId } });
      this.onRepeatedResponseId(request.record.provider, requestId, ownId);
      return;
    }
    this.known.written(waiting.counters, waiting.cost);
    waiting.lease.recordsUnwritten--;
    this.giveBackIfDrained(waiting.lease);
  }

  private startTimer(): void {
    if (this.timer) return;
    const every = Math.min(this.settings.flushIntervalMs, this.settings.idleMs);
    this.timer = setInterval(() => this.retireStale(), every);
    this.timer.unref();
  }

  private stopTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
