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
 * - `auto`: the bound, in `throw` mode; when that is refused with budget left (remaining too
 *   small, or a per-call cap), the exact count, and the gate decides again in the caller's mode.
 *   A count that fails leaves the bound's decision. A refusal holds nothing (the store's
 *   reservation is all or nothing), so only a call near the limit pays the round trip.
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
  try {
    return await budget.gate(gateRequest(runtime, plan, context, 'throw'));
  } catch (error) {
    if (!exactCountMayHelp(error)) throw error;
    refusal = error;
  }
  const exact = await countPromptWithin(count.bind(plan), promptCounting.countTimeoutMs);
  if (exact === undefined && mode === 'throw') throw refusal;
  return budget.gate(gateRequest(runtime, plan, context, mode, exact));
}

/** A refusal of the bound that a smaller prompt count could turn: not a store failure, not a budget with nothing left. */
function exactCountMayHelp(error: unknown): boolean {
  return (
    BudgetExceededError.isInstance(error) &&
    (error.reason === 'insufficient-remaining' || error.reason === 'per-call-cap')
  );
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
