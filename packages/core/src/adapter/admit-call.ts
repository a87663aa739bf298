import type { CallContext, GateRequest } from '../index';
import { type AdapterRuntime, callContext } from './adapter-runtime';
import { AdmittedCall } from './admitted-call';
import type { CallPlan, CallPlanner } from './call-plan';
import { requestWith } from './request-with';

// The output a choice may use when the catalog knows no maximum for the model (core's own default).
const DEFAULT_MAX_OUTPUT_TOKENS = 8_192;

/**
 * Plans a call, moves it to a cheaper model when `downgrade` is on and the cost strategy
 * picks one (the call is planned again for that model), and gates it. Undefined when the
 * planner lets the call through ungated. Throws the gate's `BudgetExceededError` or
 * `StorageUnavailableError` before anything is sent.
 */
export async function admitCall<Runtime extends AdapterRuntime>(
  runtime: Runtime,
  planner: CallPlanner<Runtime>,
  request: object,
  requestOptions: unknown,
  resource: object,
): Promise<AdmittedCall | undefined> {
  const planned = planner(request, runtime, requestOptions, resource);
  // Most planners are synchronous: no extra turn of the event loop for them.
  let plan = planned instanceof Promise ? await planned : planned;
  if (plan === undefined) return undefined;
  const context = callContext(runtime);
  if (plan.downgradable && runtime.options.downgrade) {
    const { provider } = runtime.options;
    const { model, service } = plan.gate;
    const choice = await runtime.budget.downgradeFor({
      provider,
      service,
      model,
      ...(context === undefined ? {} : { context }),
    });
    if (choice !== undefined && choice.model !== model) {
      const downgraded = requestWith(request, { model: choice.model });
      const replanned = await planner(downgraded, runtime, requestOptions, resource);
      if (replanned !== undefined) {
        plan = replanned;
        request = downgraded;
      }
    }
  }
  const admission = await runtime.budget.gate(gateRequest(runtime, plan, context));
  return new AdmittedCall(admission, plan, runtime, request);
}

/**
 * The gate request, built field by field: an object spread here costs microseconds on every
 * call. Every field of a gate request is named, so that one core adds fails to compile here.
 */
function gateRequest(runtime: AdapterRuntime, plan: CallPlan, context: CallContext | undefined): GateRequest {
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
  return {
    provider: options.provider,
    model: gate.model,
    service: gate.service,
    inputTokens: gate.inputTokens,
    text: gate.text,
    overheadTokens: gate.overheadTokens,
    maxOutputTokens,
    audioSeconds: gate.audioSeconds,
    audioBytes: gate.audioBytes,
    assumedAudioKbps: gate.assumedAudioKbps,
    characters: gate.characters,
    images: gate.images,
    pages: gate.pages,
    at: gate.at,
    context,
    onInsufficientBudget: options.onInsufficientBudget,
    minOutputTokens: gate.minOutputTokens ?? options.minOutputTokens,
  } satisfies Record<Exclude<keyof GateRequest, 'requestId'>, unknown>;
}
