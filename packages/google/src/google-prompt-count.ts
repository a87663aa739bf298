import { countTokens } from '@tollgate/core';
import type { GooglePrompt } from './google-prompt';

/** The `models` resource's free counting endpoint, as `@google/genai` has it. */
export interface TokenCountingModels {
  countTokens?(params: Record<string, unknown>): PromiseLike<{ totalTokens?: number }>;
}

/**
 * The plan's exact count (`countPromptExactly`): `models.countTokens` for the request's
 * `contents`, with the caller's abort signal and HTTP options, plus the local upper bound of the
 * system instruction and tools, which the Developer API's endpoint does not take (its SDK
 * refuses them), and the tokens held for the system instruction's media parts. Undefined when there is no such endpoint.
 */
export function googleExactCount(
  models: TokenCountingModels,
  request: { model?: unknown; contents?: unknown; config?: unknown },
  prompt: GooglePrompt,
  provider: string,
): ((signal: AbortSignal) => Promise<number>) | undefined {
  if (typeof models.countTokens !== 'function') return undefined;
  return async (signal) => {
    const given = request.config as { abortSignal?: unknown; httpOptions?: unknown } | undefined;
    const config: Record<string, unknown> = {
      abortSignal:
        given?.abortSignal instanceof AbortSignal ? AbortSignal.any([given.abortSignal, signal]) : signal,
    };
    if (given?.httpOptions !== undefined) config.httpOptions = given.httpOptions;
    const result = await models.countTokens!({ model: request.model, contents: request.contents, config });
    const counted = result?.totalTokens;
    if (typeof counted !== 'number' || !Number.isSafeInteger(counted) || counted < 0)
      throw new TypeError('countTokens answered no totalTokens count');
    let tokens = counted + prompt.instructionMediaTokens;
    for (const text of prompt.instructionTexts)
      tokens += countTokens(text, provider, request.model as string).upperBound;
    return tokens;
  };
}
