import { TollgateError, ValidationError } from '@tollgate/core';
import fc from 'fast-check';
import { describeValue, type HostileKind, hostileValues } from './hostile-values';

/** One place of an entry point where a caller's value lands: a parameter, or a field inside one. */
export interface Position {
  /** `gate.request.context.userId`, `new MongoStore.options.dbName`. */
  readonly field: string;
  /** The hostile values for this place; or `values` when they are particular to it. */
  readonly kind?: HostileKind;
  readonly values?: fc.Arbitrary<unknown>;
  /** Values of `kind` that are legitimate here after all (`false` where an object or `false` is accepted). */
  readonly allowed?: (value: unknown) => boolean;
  /** A legitimate value for this place: with it the call must succeed, which proves the place is live. */
  readonly legit: unknown;
  /** Calls the entry point with `value` at this place and everything else legitimate. */
  call(value: unknown): unknown;
  /**
   * What counts as a refusal. `validation` (the default): a `ValidationError`; `typed`: any
   * `TollgateError` (a path the operating system refuses); `false`: resolves to `false` (`trackUsage`).
   */
  readonly refusal?: 'validation' | 'typed' | 'false';
}

/** A place whose hostile values are those of `kind`. */
export function position(
  field: string,
  kind: HostileKind,
  legit: unknown,
  call: (value: unknown) => unknown,
  extra: Partial<Position> = {},
): Position {
  return { field, kind, legit, call, ...extra };
}

export interface EntryPoint {
  readonly name: string;
  readonly positions: readonly Position[];
  /** State outside the store that a refused call must leave as it was (a catalog's prices). */
  readonly state?: () => unknown;
}

export type Verdict = 'rejected' | 'accepted' | 'untyped';

export interface Outcome {
  readonly entryPoint: string;
  readonly field: string;
  readonly value: string;
  readonly verdict: Verdict;
  readonly detail: string;
}

export interface Sample {
  readonly position: Position;
  readonly value: unknown;
}

const LONGEST_ERROR_MESSAGE = 1_000;

/** `runs` hostile inputs spread over the entry point's places, reproducible from `seed`. */
export function samplesOf(entryPoint: EntryPoint, runs: number, seed: number): Sample[] {
  const arbitraries = entryPoint.positions.map((position) => {
    const values = position.values ?? hostileValues(position.kind!);
    const hostile = position.allowed ? values.filter((value) => !position.allowed!(value)) : values;
    return hostile.map((value) => ({ position, value }));
  });
  return fc.sample(fc.oneof(...arbitraries), { numRuns: runs, seed: seedOf(entryPoint.name, seed) });
}

/** A seed per entry point, so that adding one entry point does not change the others' inputs. */
function seedOf(name: string, seed: number): number {
  let hash = seed | 0;
  for (let index = 0; index < name.length; index++) hash = (Math.imul(hash, 31) + name.charCodeAt(index)) | 0;
  return hash;
}

export const BASE_SEED = Number(process.env.RELIABILITY_SEED ?? 10);

/** Calls the entry point with one hostile value and classifies what happened. */
export async function attempt(entryPoint: EntryPoint, sample: Sample): Promise<Outcome> {
  const { position, value } = sample;
  const refusal = position.refusal ?? 'validation';
  const base = { entryPoint: entryPoint.name, field: position.field, value: describeValue(value) };
  try {
    const result = await position.call(value);
    if (refusal === 'false' && result === false) return { ...base, verdict: 'rejected', detail: 'false' };
    return { ...base, verdict: 'accepted', detail: describeValue(result) };
  } catch (error) {
    const typed = refusal === 'typed' ? TollgateError.isInstance(error) : ValidationError.isInstance(error);
    const message = error instanceof Error ? error.message : String(error);
    const detail = `${error instanceof Error ? error.name : typeof error}: ${message.slice(0, 160)}`;
    if (refusal === 'false' || !typed) return { ...base, verdict: 'untyped', detail };
    if (message.length > LONGEST_ERROR_MESSAGE)
      return { ...base, verdict: 'untyped', detail: `message of ${message.length} characters echoes input` };
    return { ...base, verdict: 'rejected', detail };
  }
}

/** Calls every place with its legitimate value; returns the places where that failed. */
export async function deadPositions(entryPoint: EntryPoint): Promise<string[]> {
  const dead: string[] = [];
  for (const position of entryPoint.positions) {
    try {
      const result = await position.call(position.legit);
      if (position.refusal === 'false' && result !== true) dead.push(`${position.field}: returned ${result}`);
    } catch (error) {
      dead.push(`${position.field}: ${error instanceof Error ? `${error.name}: ${error.message}` : error}`);
    }
  }
  return dead;
}

/** A copy of `base` with `value` at `path`, copying only along the path; `__proto__` becomes an own key. */
export function withValue<T>(base: T, path: string, value: unknown): T {
  return setAt(base, path.split('.'), value) as T;
}

function setAt(base: unknown, [head, ...rest]: string[], value: unknown): unknown {
  const source = base !== null && typeof base === 'object' ? base : /^\d+$/.test(head!) ? [] : {};
  const copy: Record<string, unknown> = Array.isArray(source)
    ? ([...source] as unknown as Record<string, unknown>)
    : { ...source };
  const next = rest.length === 0 ? value : setAt((source as Record<string, unknown>)[head!], rest, value);
  Object.defineProperty(copy, head!, { value: next, enumerable: true, writable: true, configurable: true });
  return copy;
}

/** An object whose only own key is `key` (string keys only: a symbol key is invisible to `Object.entries`). */
export function objectWithKey(key: string, value: unknown): Record<string, unknown> {
  const object: Record<string, unknown> = {};
  Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
  return object;
}

/** Per entry point: how many inputs, how many refused as they must be, and the first few that were not. */
export interface Tally {
  readonly entryPoint: string;
  inputs: number;
  rejected: number;
  readonly failures: string[];
}

export function tally(entryPoint: string): Tally {
  return { entryPoint, inputs: 0, rejected: 0, failures: [] };
}

export function count(tallied: Tally, outcome: Outcome, extraProblem?: string): void {
  tallied.inputs += 1;
  if (outcome.verdict === 'rejected' && extraProblem === undefined) tallied.rejected += 1;
  else if (tallied.failures.length < 8)
    tallied.failures.push(
      `${outcome.field} = ${outcome.value}: ${extraProblem ?? `${outcome.verdict} (${outcome.detail})`}`,
    );
}

export function summaryLine(tallies: readonly Tally[]): string {
  const inputs = tallies.reduce((sum, entry) => sum + entry.inputs, 0);
  const rejected = tallies.reduce((sum, entry) => sum + entry.rejected, 0);
  const smallest = Math.min(...tallies.map((entry) => entry.inputs));
  return `${tallies.length} entry points, ${inputs} hostile inputs (at least ${smallest} each), ${rejected} rejected (${((100 * rejected) / inputs).toFixed(2)}%)`;
}
