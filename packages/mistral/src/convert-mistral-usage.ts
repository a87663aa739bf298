import type { Usage } from '@tollgate/core';
import { readUsageBlock, type UsageBlockReader, type UsageLimits } from '@tollgate/core/adapter';

/**
 * The usage object of a Mistral response as the 2.x SDK hands it over: the fields it
 * knows in camelCase, anything else (cached-token counts, details) passed through in
 * the API's snake_case. Both spellings are read.
 */
export type MistralUsageLike = Readonly<Record<string, unknown>>;

type Fields = Readonly<Record<string, unknown>>;

/** The value of a field under the first of its spellings that is present, with its snake_case name. */
function field(fields: Fields, camel: string, snake: string): [unknown, string] {
  const value = fields[camel];
  return [value === undefined || value === null ? fields[snake] : value, snake];
}

/** The first details object present under any of its spellings (empty when none is). */
function details(read: UsageBlockReader, fields: Fields, ...spellings: string[]): Fields {
  for (const name of spellings) {
    const value = fields[name];
    if (value !== undefined && value !== null) return read.details(value, name);
  }
  return {};
}

/**
 * Converts a Mistral usage object into tollgate's normalized usage, under the kit's rule
 * (`readUsageBlock`: throws `UntrustedUsageError` for a block it cannot trust).
 *
 * - `prompt_tokens` includes cached tokens (like OpenAI's), so the uncached input is
 *   prompt minus cached; cached tokens are reported in `prompt_tokens_details.cached_tokens`
 *   or `num_cached_tokens` depending on the endpoint, and must fit in the prompt.
 * - `completion_tokens` includes reasoning tokens.
 * - `prompt_audio_seconds` is the length of the audio input (transcriptions, audio chat).
 *
 * The SDK fills missing counts with 0: a usage of all zeros converts, and the kit does not
 * trust it for a call that was sent (nothing used).
 */
export function convertMistralUsage(usage: MistralUsageLike | unknown, limits?: UsageLimits): Usage {
  return readUsageBlock(usage, limits, (fields, read) => {
    const promptTokens = read.count(...field(fields, 'promptTokens', 'prompt_tokens'));
    const completionTokens = read.count(...field(fields, 'completionTokens', 'completion_tokens'));
    const audioSeconds = read.quantity(...field(fields, 'promptAudioSeconds', 'prompt_audio_seconds'));
    read.count(...field(fields, 'totalTokens', 'total_tokens'));

    const prompt = details(
      read,
      fields,
      'promptTokensDetails',
      'prompt_tokens_details',
      'promptTokenDetails',
      'prompt_token_details',
    );
    const [detailedCache] = field(prompt, 'cachedTokens', 'cached_tokens');
    const cached =
      detailedCache === undefined || detailedCache === null
        ? read.count(...field(fields, 'numCachedTokens', 'num_cached_tokens'))
        : read.count(detailedCache, 'prompt_tokens_details.cached_tokens');
    read.partOf(cached, 'cached tokens', promptTokens, 'prompt_tokens');
    const uncached = Math.max(0, promptTokens - cached);
    const audioTokens = read.count(
      field(prompt, 'audioTokens', 'audio_tokens')[0],
      'prompt_tokens_details.audio_tokens',
    );
    read.partOf(audioTokens, 'prompt_tokens_details.audio_tokens', promptTokens, 'prompt_tokens');

    const completion = details(read, fields, 'completionTokensDetails', 'completion_tokens_details');
    const reasoning = read.count(
      field(completion, 'reasoningTokens', 'reasoning_tokens')[0],
      'completion_tokens_details.reasoning_tokens',
    );
    read.partOf(
      reasoning,
      'completion_tokens_details.reasoning_tokens',
      completionTokens,
      'completion_tokens',
    );
    return {
      inputTokens: uncached,
      cacheReadTokens: cached,
      inputAudioTokens: Math.min(audioTokens, uncached),
      outputTokens: completionTokens,
      reasoningTokens: reasoning,
      audioSeconds,
    };
  });
}
