import type { BudgetCounters } from '../budget/budget-counters';
import { type CallContext, resolveContext } from '../budget/call-context';
import { validateCount, validateId, validateOneOf, validatePlainObject } from '../errors/validation';
import { newRequestId } from '../new-request-id';
import { SERVICE_TYPES, type ServiceType, type Usage, type UsageInput, toUsage } from '../usage';
import type { SettledCall } from './settled-call';
import type { Settlement } from './settlement';
import { RECORD_USAGE_INPUT_KEYS } from './record-usage-keys';
import type { CallWarnings } from '../warnings/call-warnings';
import { rejectUnknownKeys } from '../errors/reject-unknown-keys';
import { MISPLACED_CONTEXT_KEYS } from '../budget/misplaced-context-keys';

/** A call made without the gate, to record after the fact. */
export interface RecordUsageInput {
  provider: string;
  /** The model as called. */
  model: string;
  /** The model the provider says served the call, when it names another one: it is what is priced. */
  servedModel?: string;
  service?: ServiceType;
  usage: Usage | UsageInput;
  requestId?: string;
  context?: CallContext;
  estimated?: boolean;
  /** ms since epoch; default now. */
  timestamp?: number;
}

/** Records a call that was not gated (the original `recordUsage`): no hold to end, idempotent by request id. */
export async function recordUsage(
  parts: {
    settlement: Settlement;
    counters: BudgetCounters;
    clock: () => number;
    callWarnings: CallWarnings;
    /** Called once the input is checked; the first use of the store waits for what it returns. */
    useStore: () => Promise<void> | undefined;
  },
  input: RecordUsageInput,
): Promise<SettledCall> {
  validatePlainObject(input, 'input');
  rejectUnknownKeys(input, RECORD_USAGE_INPUT_KEYS, 'input', MISPLACED_CONTEXT_KEYS);
  const context = resolveContext(input.context);
  const usage = toUsage(input.usage, 'usage');
  const now =
    input.timestamp === undefined ? parts.clock() : validateCount(input.timestamp, 'timestamp', 8.64e15);
  const provider = validateId(input.provider, 'provider');
  const model = validateId(input.model, 'model');
  const servedModel =
    input.servedModel === undefined ? undefined : validateId(input.servedModel, 'servedModel');
  const service =
    input.service === undefined ? undefined : validateOneOf(input.service, 'service', SERVICE_TYPES);
  const requestId = input.requestId === undefined ? newRequestId() : validateId(input.requestId, 'requestId');
  const counters = parts.counters.forCall(context, now);
  // Before anything is written: a strict budget throws these.
  parts.callWarnings.checkRecordedModel(provider, servedModel ?? model, now);
  parts.callWarnings.checkContext(context);
  await parts.useStore();
  return parts.settlement.commit({
    provider,
    model,
    ...(servedModel === undefined || servedModel === model ? {} : { servedModel }),
    service,
    usage,
    estimated: input.estimated === true,
    requestId,
    context,
    counters,
    reserved: 0,
    now,
  });
}
