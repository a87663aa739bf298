import type { SettledCall } from '@tollgate/core';
import type { AnthropicSettlement } from './anthropic-settlement';
import { AnthropicStreamUsage } from './anthropic-stream-usage';

/**
 * Settles a call whose caller took the raw `Response` (`.asResponse()`) and reads the
 * body itself: `copy` is a `response.clone()` taken before the caller got the response,
 * read here as JSON or as server-sent events.
 */
export async function settleFromRawResponse(
  copy: Response,
  settlement: AnthropicSettlement,
  streaming: boolean,
  provider: string,
  model: string,
): Promise<SettledCall> {
  if (!streaming) {
    let message: unknown;
    try {
      message = await copy.json();
    } catch {
      return settlement.withoutUsage();
    }
    return settlement.message(message as Parameters<AnthropicSettlement['message']>[0]);
  }
  const usage = new AnthropicStreamUsage(provider, model);
  try {
    for await (const event of serverSentEvents(copy)) usage.observe(event);
  } catch {
    // The connection dropped or was cancelled: settle from what arrived.
  }
  return settlement.stream(
    usage.settlement(
      settlement.admission.estimate.likelyInputTokens,
      settlement.admission.estimate.outputTokens,
    ),
  );
}

async function* serverSentEvents(response: Response): AsyncGenerator<unknown> {
  if (!response.body) return;
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    let newline = buffer.indexOf('\n');
    while (newline >= 0) {
      const line = buffer.slice(0, newline).replace(/\r$/, '');
      buffer = buffer.slice(newline + 1);
      if (line.startsWith('data:')) {
        const parsed = parseJson(line.slice(5).trim());
        if (parsed !== undefined) yield parsed;
      }
      newline = buffer.indexOf('\n');
    }
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
