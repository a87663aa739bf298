import type { AdmittedCall } from './admitted-call';
import { serverSentEvents } from './server-sent-events';
import { type StreamEnding, StreamSettlement } from './stream-observer';

/**
 * Settles a call whose caller took the raw `Response` and reads the body itself. `copy` is a
 * `response.clone()` taken before the caller got the response: the plan's own reader reads
 * it, or else it is read here as server-sent events (a stream), JSON or text.
 */
export async function settleFromRawResponse(copy: Response, call: AdmittedCall): Promise<unknown> {
  const { plan } = call;
  if (plan.settleRaw) return plan.settleRaw(copy, call);
  const type = copy.headers.get('content-type') ?? '';
  if (plan.stream && type.includes('text/event-stream')) {
    const settlement = new StreamSettlement(plan.stream(call), call.runtime.options.onSettleError);
    let ending: StreamEnding = 'completed';
    try {
      for await (const event of serverSentEvents(copy)) settlement.observe(event);
    } catch {
      // The connection dropped or the caller cancelled: settled from what arrived.
      ending = 'failed';
    }
    return settlement.finish(ending);
  }
  if (!plan.settle) return undefined;
  let result: unknown;
  try {
    result = type.includes('json') ? await copy.json() : type.startsWith('text/') ? await copy.text() : copy;
  } catch {
    // Billed, but the body cannot be read.
    return call.settleFromOutput({ text: '' });
  }
  return plan.settle(result, call);
}
