import { createUsage, type Usage } from '@tollgate/core';

/**
 * The usage object of a Mistral response as the 2.x SDK hands it over: the fields it
 * knows in camelCase, anything else (cached-token counts, details) passed through in
 * the API's snake_case. Both spellings are read.
 */
export type MistralUsageLike = Readonly<Record<string, unknown>>;

/**
 * Converts a Mistral usage object into tollgate's normalized usage.
 *
 * - `prompt_tokens` includes cached tokens (like OpenAI's), so the uncached input is
 *   prompt minus cached; cached tokens are reported in `prompt_tokens_details.cached_tokens`
 *   or `num_cached_tokens` depending on the endpoint.
 * - `completion_tokens` includes reasoning tokens.
 * - `prompt_audio_seconds` is the length of the audio input (transcriptions, audio chat).
 *
 * Returns undefined when the object reports nothing usable (absent, or all zero: the
 * SDK fills missing counts with 0), so the caller reconstructs the usage instead of
 * recording a free call.
 */
export function convertMistralUsage(usage: unknown): Usage | undefined {
  if (!isRecord(usage)) return undefined;
  const promptTokens = count(usage, 'promptTokens', 'prompt_tokens') ?? 0;
  const completionTokens = count(usage, 'completionTokens', 'completion_tokens') ?? 0;
  const audioSeconds = quantity(usage, 'promptAudioSeconds', 'prompt_audio_seconds') ?? 0;
  if (promptTokens === 0 && completionTokens === 0 && audioSeconds === 0) return undefined;

  const promptDetails = detailsOf(
    usage,
    'promptTokensDetails',
    'prompt_tokens_details',
    'promptTokenDetails',
    'prompt_token_details',
  );
  const completionDetails = detailsOf(usage, 'completionTokensDetails', 'completion_tokens_details');
  const cached = Math.min(
    promptTokens,
    (promptDetails && count(promptDetails, 'cachedTokens', 'cached_tokens')) ??
      count(usage, 'numCachedTokens', 'num_cached_tokens') ??
      0,
  );
  const uncached = promptTokens - cached;
  const audioTokens = Math.min(
    uncached,
    (promptDetails && count(promptDetails, 'audioTokens', 'audio_tokens')) ?? 0,
  );
  const reasoning = Math.min(
    completionTokens,
    (completionDetails && count(completionDetails, 'reasoningTokens', 'reasoning_tokens')) ?? 0,
  );
  return createUsage({
    inputTokens: uncached,
    cacheReadTokens: cached,
    inputAudioTokens: audioTokens,
    outputTokens: completionTokens,
    reasoningTokens: reasoning,
    audioSeconds,
    raw: usage,
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function detailsOf(usage: Record<string, unknown>, ...keys: string[]): Record<string, unknown> | undefined {
  for (const key of keys) {
    const value = usage[key];
    if (isRecord(value)) return value;
  }
  return undefined;
}

/** A whole count under either spelling; anything that is not a finite non-negative number counts as absent. */
function count(source: Record<string, unknown>, camel: string, snake: string): number | undefined {
  const value = quantity(source, camel, snake);
  return value === undefined ? undefined : Math.round(value);
}

function quantity(source: Record<string, unknown>, camel: string, snake: string): number | undefined {
  for (const key of [camel, snake]) {
    const value = source[key];
    if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value;
  }
  return undefined;
}
