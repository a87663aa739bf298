import type { AdapterRuntime } from './adapter-runtime';
import { admitCall } from './admit-call';
import type { AdmittedCall } from './admitted-call';
import type { CallPlanner } from './call-plan';
import { isObservableStream, observeStream } from './observe-stream';
import type { MethodWrapper } from './proxy-client';
import { recoverFromSettleError } from './recover-from-settle-error';
import { settleInBackground } from './settle-in-background';

/** An SDK method: the request first, the SDK's per-request options after it. */
export type SdkMethod<Result = unknown> = (this: unknown, ...args: any[]) => Result;

/**
 * Runs one call of an SDK method that returns a plain promise (Mistral, Gemini): plan,
 * downgrade, gate, send the admitted request, then settle from the result or hand over
 * an observed stream. A refusal throws before anything is sent; an SDK error is passed on
 * as the same object, after the hold was given back. A request that is not an object is
 * the SDK's to refuse.
 */
export async function runGatedCall<Runtime extends AdapterRuntime>(
  runtime: Runtime,
  planner: CallPlanner<Runtime>,
  resource: object,
  method: SdkMethod<Promise<unknown>>,
  args: unknown[],
): Promise<unknown> {
  const [request, requestOptions] = args;
  if (request === null || typeof request !== 'object') return method.apply(resource, args);
  const call = await admitCall(runtime, planner, request, requestOptions, resource);
  if (call === undefined) return method.apply(resource, args);
  let result: unknown;
  try {
    result = await method.apply(resource, withRequest(args, call.sentRequest()));
  } catch (error) {
    await endFailedCall(call, error);
    throw error;
  }
  return finishCall(call, result);
}

/** After an SDK error: settled from what the error holds when the provider had answered, else released. */
async function endFailedCall(call: AdmittedCall, error: unknown): Promise<void> {
  const { plan, runtime } = call;
  if (!plan.settleFailure) {
    await call.release().catch(runtime.options.onSettleError);
    return;
  }
  try {
    if (await plan.settleFailure(error, call)) return;
  } catch (failure) {
    await recoverFromSettleError(call, failure, runtime.options.onSettleError);
    return;
  }
  await call.release().catch(runtime.options.onSettleError);
}

/** Gates an SDK method that returns a plain promise: what `proxyClient` puts in its place. */
export function gatedMethod<Runtime extends AdapterRuntime>(
  runtime: Runtime,
  planner: CallPlanner<Runtime>,
): MethodWrapper {
  return (original, resource) =>
    (...args: unknown[]) =>
      runGatedCall(runtime, planner, resource, original as SdkMethod<Promise<unknown>>, args);
}

/**
 * What the caller receives for an admitted call's result: an observed stream for a streamed
 * call, else the result itself once the call is settled from it, or at once with `settle:
 * 'background'` (a settlement failure never takes the result from the caller: see
 * `recoverFromSettleError`).
 */
export async function finishCall(call: AdmittedCall, result: unknown, client?: unknown): Promise<unknown> {
  const { plan, runtime } = call;
  if (plan.stream && isObservableStream(result))
    return observeStream(result, plan.stream(call), {
      onSettleError: runtime.options.onSettleError,
      client,
      call,
    });
  if (plan.settle) {
    // Started now in both modes: the result is read before the caller can change it.
    const settling = settleFromResult(call, result);
    if (runtime.options.settle === 'background') settleInBackground(call, settling);
    else await settling;
  }
  return result;
}

async function settleFromResult(call: AdmittedCall, result: unknown): Promise<void> {
  try {
    await call.plan.settle!(result, call);
  } catch (error) {
    await recoverFromSettleError(call, error, call.runtime.options.onSettleError);
  }
}

/** The call's arguments with the admitted request in place of the caller's. */
export function withRequest(args: unknown[], request: unknown): unknown[] {
  const sent = args.slice();
  sent[0] = request;
  return sent;
}
