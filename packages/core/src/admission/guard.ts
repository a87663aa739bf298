import { rejectUnknownKeys } from '../errors/reject-unknown-keys';
import { validateFunction, validateId, validatePlainObject } from '../errors/validation';
import type { SettleInput } from '../settlement/settled-call';
import { toUsage, type Usage, type UsageInput } from '../usage';
import type { Admission } from './admission';
import type { GateRequest } from './gate';

export interface GuardDescriptor extends GateRequest {}

/** What `guard` hands its function: the admission, and a way to report the call's usage. */
export interface GuardReport {
  /** The gate's admission (`clamped`, `reservedNano`, `estimate`…). */
  readonly admission: Admission;
  /**
   * The output limit the call must send: the one the gate clamped it to (`onInsufficientBudget:
   * 'clamp'`), or the descriptor's. A call that sends more can cost more than was held.
   */
  readonly maxOutputTokens: number | undefined;
  /** The usage the call reported; the estimate is recorded when `fn` reports nothing. */
  reportUsage(usage: Usage | UsageInput, options?: { requestId?: string; estimated?: boolean }): void;
}

/**
 * Gate → run → settle for any async call without an adapter: hands `fn` its admission (with the
 * clamped output limit), settles from the usage `fn` reports (or from the estimate when it
 * reports none), releases the hold when `fn` throws.
 */
export async function guardCall<T>(
  gate: (request: GateRequest) => Promise<Admission>,
  descriptor: GuardDescriptor,
  fn: (report: GuardReport) => Promise<T>,
): Promise<T> {
  validateFunction(fn, 'fn');
  const admission = await gate(descriptor);
  let reported: SettleInput | undefined;
  const report: GuardReport = {
    admission,
    maxOutputTokens: admission.maxOutputTokens ?? descriptor.maxOutputTokens,
    // Checked here, so that bad usage fails inside `fn` (and the hold is given back), not after it.
    reportUsage: (usage, options = {}) => {
      validatePlainObject(options, 'options');
      rejectUnknownKeys(options, ['requestId', 'estimated'], 'options');
      reported = {
        usage: toUsage(usage, 'usage'),
        ...(options.requestId === undefined
          ? {}
          : { requestId: validateId(options.requestId, 'options.requestId') }),
        ...(options.estimated ? { estimated: true } : {}),
      };
    },
  };
  let result: T;
  try {
    result = await fn(report);
  } catch (error) {
    // The hold ends with its lease if the store is down: the caller needs its own error, not the store's.
    await admission.release().catch(() => {});
    throw error;
  }
  await admission.settle(reported ?? { usage: admission.estimate.usage, estimated: true });
  return result;
}
