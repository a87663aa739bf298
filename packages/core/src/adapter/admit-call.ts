import { type AdapterRuntime, callContext } from './adapter-runtime';
import { AdmittedCall } from './admitted-call';
import type { CallPlanner } from './call-plan';
import { gatePlan } from './gate-plan';
import { requestWith } from './request-with';

/**
 * Plans a call, moves it to a cheaper model when `downgrade` is on and the cost strategy
 * picks one (the call is planned again for that model), and gates it (`gatePlan`: with the
 * exact prompt count when the plan has one and the bound would not do). Undefined when the
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
  const admission = await gatePlan(runtime, plan, context);
  return new AdmittedCall(admission, plan, runtime, request);
}
