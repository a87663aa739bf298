import { type Admission, BudgetExceededError, type CallContext, type GateRequest } from '../index';
import type { AdapterRuntime } from './adapter-runtime';
import type { CallPlan } from './call-plan';
import { countPromptWithin } from './count-prompt-exactly';

// The output a choice may use when the catalog knows no maximum for the model (core's own default).
const DEFAULT_MAX_OUTPUT_TOKENS = 8_192;

/**
 * Gates a planned call. With a plan that can count its prompt exactly (`countPromptExactly`)
 * and the runtime's `promptCounting`:
 * - `bound` (or no counting): the plan's local count, the gate's upper bound;
 * - `countTokens`: the exact count first, the bound when it fails or times out;
 * - `auto`: the bound, in `throw` mode; when that is refused (remaining too small, or a per-call
 *   cap) and a smaller prompt could fit, the exact count, and the gate decides again in the
 *   caller's mode. A count that fails leaves the bound's decision. A refused reservation holds
 *   nothing (the store's reservation is all or nothing), so nothing is held while the count
 *   runs, and only a call near the limit pays the round trip.
 */
export async function gatePlan(
  runtime: AdapterRuntime,
  plan: CallPlan,
  context: CallContext | undefined,
): Promise<Admission> {
  const { budget, promptCounting } = runtime;
  const count = plan.countPromptExactly;
  const mode = runtime.options.onInsufficientBudget;
  if (count === undefined || promptCounting === undefined || promptCounting.estimateWith === 'bound')
    return budget.gate(gateRequest(runtime, plan, context, mode));
  if (promptCounting.estimateWith === 'countTokens') {
    const exact = await countPromptWithin(count.bind(plan), promptCounting.countTimeoutMs);
    return budget.gate(gateRequest(runtime, plan, context, mode, exact));
  }
  let refusal: unknown;
  const request = gateRequest(runtime, plan, context, 'throw');
  try {
    return await budget.gate(request);
  } catch (error) {
    if (!exactCountMayHelp(error, runtime, plan, request)) {
      // The gate decides again in clamp mode, for its refusal to say what the smallest output costs.
      if (mode === 'clamp' && BudgetExceededError.isInstance(error))
        return budget.gate(gateRequest(runtime, plan, context, mode));
      throw error;
    }
    refusal = error;
  }
  const exact = await countPromptWithin(count.bind(plan), promptCounting.countTimeoutMs);
  if (exact === undefined && mode === 'throw') throw refusal;
  return budget.gate(gateRequest(runtime, plan, context, mode, exact));
}

/**
 * Whether a smaller prompt count could turn the bound's refusal: not a store failure, not a
 * budget with nothing left, and the call would fit with no prompt at all (its whole output limit,
 * or in clamp mode its smallest one). Otherwise the count is not worth its round trip.
 */
function exactCountMayHelp(
  error: unknown,
  runtime: AdapterRuntime,
  plan: CallPlan,
  request: GateRequest,
): boolean {
  if (!BudgetExceededError.isInstance(error)) return false;
  let room: number;
  if (error.reason === 'insufficient-remaining') room = error.availableNano;
  else if (error.reason === 'per-call-cap' && error.perCallCapNano !== undefined)
    room = Math.min(error.availableNano, error.perCallCapNano - 1);
  else return false;
  const { options } = runtime;
  const fewestOutputTokens =
    options.onInsufficientBudget === 'clamp'
      ? Math.min(request.maxOutputTokens ?? 1, plan.gate.minOutputTokens ?? options.minOutputTokens ?? 1)
      : request.maxOutputTokens;
  const withoutPrompt = runtime.budget.estimate({
    provider: request.provider,
    model: request.model,
    service: request.service,
    inputTokens: 0,
    maxOutputTokens: fewestOutputTokens,
  });
  return withoutPrompt.costNano <= room;
}

/**
 * The gate request, built field by field: an object spread here costs microseconds on every
 * call. Every field of a gate request is named, so that one core adds fails to compile here.
 * With `exactPromptTokens`, the prompt is that count instead of the plan's local one.
 */
function gateRequest(
  runtime: AdapterRuntime,
  plan: CallPlan,
  context: CallContext | undefined,
  onInsufficientBudget: 'throw' | 'clamp',
  exactPromptTokens?: number,
): GateRequest {
  const { gate } = plan;
  const { options } = runtime;
  const choices = plan.choices ?? 1;
  let maxOutputTokens = gate.maxOutputTokens;
  if (choices > 1) {
    const perChoice =
      maxOutputTokens ??
      runtime.budget.catalog.resolve(options.provider, gate.model)?.maxOutputTokens ??
      DEFAULT_MAX_OUTPUT_TOKENS;
    maxOutputTokens = perChoice * choices;
  }
  const exact = exactPromptTokens !== undefined;
  return {
    provider: options.provider,
    model: gate.model,
    service: gate.service,
    inputTokens: exact ? exactPromptTokens : gate.inputTokens,
    text: exact ? undefined : gate.text,
    overheadTokens: exact ? undefined : gate.overheadTokens,
    maxOutputTokens,
    audioSeconds: gate.audioSeconds,
    audioBytes: gate.audioBytes,
    assumedAudioKbps: gate.assumedAudioKbps,
    characters: gate.characters,
    images: gate.images,
    pages: gate.pages,
    at: gate.at,
    context,
    onInsufficientBudget,
    minOutputTokens: gate.minOutputTokens ?? options.minOutputTokens,
  } satisfies Record<Exclude<keyof GateRequest, 'requestId'>, unknown>;
}
