import type { GateRequest } from '../index';
import { type AdapterRuntime, callContext } from './adapter-runtime';
import { AdmittedCall } from './admitted-call';
import type { CallPlanner, PlannedGate } from './call-plan';

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
  let plan = await planner(request, runtime, requestOptions, resource);
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
      const downgraded = { ...request, model: choice.model };
      const replanned = await planner(downgraded, runtime, requestOptions, resource);
      if (replanned !== undefined) {
        plan = replanned;
        request = downgraded;
      }
    }
  }
  const admission = await runtime.budget.gate(gateRequest(runtime, plan.gate, context));
  return new AdmittedCall(admission, plan, runtime, request);
}

function gateRequest(
  runtime: AdapterRuntime,
  planned: PlannedGate,
  context: GateRequest['context'],
): GateRequest {
  const { choices = 1, ...gate } = planned;
  const { options } = runtime;
  const request: GateRequest = { ...gate, provider: options.provider };
  if (choices > 1) {
    const perChoice =
      gate.maxOutputTokens ??
      runtime.budget.catalog.resolve(options.provider, gate.model)?.maxOutputTokens ??
      DEFAULT_MAX_OUTPUT_TOKENS;
    request.maxOutputTokens = perChoice * choices;
  }
  if (context !== undefined) request.context = context;
  request.onInsufficientBudget = options.onInsufficientBudget;
  if (request.minOutputTokens === undefined && options.minOutputTokens !== undefined)
    request.minOutputTokens = options.minOutputTokens;
  return request;
}
