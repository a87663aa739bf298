import { optionKeys, rejectUnknownKeys } from '../errors/reject-unknown-keys';
import {
  orDefault,
  validateArray,
  validateCount,
  validateId,
  validatePlainObject,
  validateQuantity,
} from '../errors/validation';
import { ValidationError } from '../errors/validation-error';
import { type NanoUsd, usdToNano } from '../money/money';
import { newRequestId } from '../new-request-id';

/**
 * Quota leases: an instance holds a chunk of a budget in the store and admits calls against it
 * locally, with no round trip; what its calls cost is written behind, in batches.
 */
export interface LeaseOptions {
  /** Names this instance's leases in the store, so status can show them per instance (a host's name, say: processes that share it each take their own leases, shown together). Default: random per process. */
  instanceId?: string;
  /** Only calls whose every budget is listed take their budget from a lease; others reserve their own. Default: every budget. */
  budgets?: string[];
  /** The share of what is still unleased on a budget that the instances active on it take, together, at a time. Default 0.25. An instance's leases grow with its use, up to that share: each is at most twice its last (the first covers `minCalls` calls) or what the calls waiting for it need. */
  share?: number;
  /** A lease is taken only when it covers at least this many calls like the one asking for it; below that, each call holds its own reservation. Default 4. */
  minCalls?: number;
  /** The largest lease, in USD. Default: no cap but `share`. */
  maxUsd?: number;
  /** A lease admits calls for this long, then another is taken. Default 60 s. */
  maxAgeMs?: number;
  /** How often recorded calls are written to the store, in batches. Default 200 ms. */
  flushIntervalMs?: number;
  /** A lease no call used for this long is given back. Default 5 s. */
  idleMs?: number;
  /** A file that keeps the records not written yet, replayed by the next process that opens it (as `usageBuffer.path`). */
  path?: string;
  /** At most this many records wait to be written; beyond it a call's record is written before its settle returns. Default 10,000. */
  maxPendingRecords?: number;
}

/** The options of leases, checked, with every default filled in. */
export interface LeaseSettings {
  readonly instanceId: string;
  readonly budgets: ReadonlySet<string> | undefined;
  readonly share: number;
  readonly minCalls: number;
  readonly maxNano: NanoUsd;
  readonly maxAgeMs: number;
  readonly flushIntervalMs: number;
  readonly idleMs: number;
  readonly path: string | undefined;
  readonly maxPendingRecords: number;
}

const LEASE_OPTION_KEYS = optionKeys<LeaseOptions>({
  instanceId: true,
  budgets: true,
  share: true,
  minCalls: true,
  maxUsd: true,
  maxAgeMs: true,
  flushIntervalMs: true,
  idleMs: true,
  path: true,
  maxPendingRecords: true,
});

/** `true` takes every default. */
export function resolveLeaseSettings(value: unknown, field = 'leases'): LeaseSettings {
  if (value !== true && (value === null || typeof value !== 'object' || Array.isArray(value)))
    throw new ValidationError({ field, message: 'must be true or an object of lease options' });
  const given = value === true ? {} : validatePlainObject(value, field);
  rejectUnknownKeys(given, LEASE_OPTION_KEYS, field);
  const instanceId = validateId(orDefault(given.instanceId, newRequestId()), `${field}.instanceId`);
  if (instanceId.includes('~'))
    throw new ValidationError({ field: `${field}.instanceId`, message: 'must not contain "~"' });
  const budgets =
    given.budgets === undefined
      ? undefined
      : new Set(
          validateArray(given.budgets, `${field}.budgets`).map((id, index) =>
            validateId(id, `${field}.budgets[${index}]`),
          ),
        );
  const share = validateQuantity(orDefault(given.share, 0.25), `${field}.share`, Number.MAX_SAFE_INTEGER);
  if (share === 0 || share > 1)
    throw new ValidationError({
      field: `${field}.share`,
      message: `must be a fraction above 0 and at most 1 (0.25 is a quarter), got ${share}`,
    });
  const atLeastOne = (name: keyof LeaseOptions, fallback: number) => {
    const checked = validateCount(orDefault(given[name], fallback), `${field}.${name}`);
    if (checked < 1) throw new ValidationError({ field: `${field}.${name}`, message: 'must be at least 1' });
    return checked;
  };
  const path = given.path;
  if (path !== undefined && (typeof path !== 'string' || path.length === 0 || path.includes('\u0000')))
    throw new ValidationError({ field: `${field}.path`, message: 'must be a file path' });
  return {
    instanceId,
    budgets,
    share,
    minCalls: atLeastOne('minCalls', 4),
    maxNano:
      given.maxUsd === undefined
        ? Number.MAX_SAFE_INTEGER
        : usdToNano(validateQuantity(given.maxUsd, `${field}.maxUsd`, 1_000_000)),
    maxAgeMs: atLeastOne('maxAgeMs', 60_000),
    flushIntervalMs: atLeastOne('flushIntervalMs', 200),
    idleMs: atLeastOne('idleMs', 5_000),
    path,
    maxPendingRecords: atLeastOne('maxPendingRecords', 10_000),
  };
}
