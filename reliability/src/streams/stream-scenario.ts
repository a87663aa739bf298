import fc from 'fast-check';
import { type CorpusPrompt, corpusPrompt, type PromptProvider } from './corpus-prompts';

/** The streaming methods under test, by adapter. */
export const STREAM_APIS = {
  'openai chat.completions.create': 'openai',
  'openai responses.create': 'openai',
  'anthropic messages.create': 'anthropic',
  'anthropic messages.stream': 'anthropic',
  'mistral chat.stream': 'mistral',
} as const satisfies Record<string, PromptProvider>;
export type StreamApi = keyof typeof STREAM_APIS;

/**
 * How the stream ends before its final usage reaches the client:
 * - `break`: the caller leaves its `for await` loop;
 * - `abort`: the caller uses the SDK's own handle (`stream.controller.abort()`, `MessageStream.abort()`,
 *   or `reader.cancel()` on Mistral's `EventStream`, which has no controller);
 * - `signal`: an `AbortSignal` given in the request options is aborted;
 * - `dropped-connection`: the emulator destroys the socket after some content chunks;
 * - `missing-usage`: the stream is read to its end but the provider left the final usage out.
 */
export const END_KINDS = ['break', 'abort', 'signal', 'dropped-connection', 'missing-usage'] as const;
export type EndKind = (typeof END_KINDS)[number];

export const MODELS: Record<PromptProvider, string> = {
  openai: 'gpt-4o-mini',
  anthropic: 'claude-haiku-4-5',
  mistral: 'mistral-small-latest',
};

/** The emulator's reply length when a request sets no lower limit. */
export const EMULATOR_DEFAULT_OUTPUT_TOKENS = 64;

export interface StreamScenario {
  readonly api: StreamApi;
  readonly ending: EndKind;
  readonly prompt: CorpusPrompt;
  /** The request's output limit; absent means the model's maximum is reserved (Anthropic requires one). */
  readonly maxTokens: number | undefined;
  /** Content chunks the caller reads before it stops, or the emulator sends before it drops. */
  readonly stopAfter: number;
  /** Delay before each streamed content chunk: 0 lets the whole reply arrive at once, 1 keeps it in flight. */
  readonly chunkDelayMs: 0 | 1;
}

/** Content chunks the emulator streams for this request: one a token, up to the limit. */
export function replyLength(maxTokens: number | undefined): number {
  return Math.min(maxTokens ?? EMULATOR_DEFAULT_OUTPUT_TOKENS, EMULATOR_DEFAULT_OUTPUT_TOKENS);
}

export const streamScenario: fc.Arbitrary<StreamScenario> = fc
  .record({
    api: fc.constantFrom(...(Object.keys(STREAM_APIS) as StreamApi[])),
    ending: fc.constantFrom(...END_KINDS),
    prompt: corpusPrompt,
    maxTokens: fc.option(fc.integer({ min: 1, max: 200 }), { nil: undefined, freq: 4 }),
    stopSeed: fc.nat(),
    chunkDelayMs: fc.constantFrom(0 as const, 1 as const),
  })
  .map(({ api, ending, prompt, maxTokens, stopSeed, chunkDelayMs }) => {
    const limit = maxTokens ?? (STREAM_APIS[api] === 'anthropic' ? 1_024 : undefined);
    const reply = replyLength(limit);
    // A caller stops strictly inside the reply, so that the stream really is cut short;
    // a drop may also come after the last content chunk (before the finish and usage events).
    const stopAfter = ending === 'dropped-connection' ? stopSeed % (reply + 3) : stopSeed % reply;
    return { api, ending, prompt, maxTokens: limit, stopAfter, chunkDelayMs };
  });
