import type { ApplicableCounter } from '../budget/budget-counters';
import type { CallContext } from '../budget/call-context';
import { validateId, validatePlainObject } from '../errors/validation';
import type { Estimate } from '../estimate/estimate-cost';
import type { NanoUsd } from '../money/money';
import type { SettledCall } from '../settlement/settled-call';
import type { Settlement } from '../settlement/settlement';
import type { BoundedStore } from '../store/bounded-store';
import { toUsage, type Usage } from '../usage';
import type { Admission } from './admission';

export interface AdmittedCall {
  requestId: string;
  reservationId: string;
  estimate: Estimate;
  reserved: NanoUsd;
  counters: readonly ApplicableCounter[];
  context: CallContext;
  clamped: boolean;
  failOpen?: boolean;
}

/** The admission the gate hands out: settle once (idempotent), or release the hold. */
export function createAdmission(
  input: AdmittedCall,
  parts: { settlement: Settlement; store: BoundedStore; clock: () => number },
): Admission {
  let settled: Promise<SettledCall> | undefined;
  let released: Promise<void> | undefined;
  const { estimate } = input;
  return {
    requestId: input.requestId,
    reservationId: input.reservationId,
    estimate,
    reserved: input.reserved,
    clamped: input.clamped,
    failOpen: input.failOpen === true,
    context: input.context,
    ...(input.clamped ? { maxOutputTokens: estimate.outputTokens } : {}),
    settle: (settleInput) => {
      if (settled) return settled;
      // Checked before anything is committed: a refused settle leaves the admission open to settle or release.
      let checked: { model: string; usage: Usage; requestId: string };
      try {
        validatePlainObject(settleInput, 'input');
        checked = {
          model: settleInput.model === undefined ? estimate.model : validateId(settleInput.model, 'model'),
          usage: toUsage(settleInput.usage, 'usage', { usageOnly: true }),
          requestId:
            settleInput.requestId === undefined
              ? input.requestId
              : validateId(settleInput.requestId, 'requestId'),
        };
      } catch (error) {
        return Promise.reject(error);
      }
      settled = parts.settlement.commit({
        provider: estimate.provider,
        model: checked.model,
        service: estimate.serviceType,
        usage: checked.usage,
        estimated: settleInput.estimated === true,
        requestId: checked.requestId,
        context: input.context,
        counters: input.counters,
        reserved: input.reserved,
        reservationId: input.reservationId,
        ...(estimate.resolved && (settleInput.model === undefined || settleInput.model === estimate.model)
          ? { resolved: estimate.resolved }
          : {}),
        now: parts.clock(),
      });
      return settled;
    },
    release: () => {
      if (settled || input.reserved === 0) return Promise.resolve();
      released ??= parts.store.release(input.reservationId, parts.clock());
      return released;
    },
  };
}
