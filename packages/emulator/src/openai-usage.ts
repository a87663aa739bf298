import { type TokenUsage, totalInputTokens, totalOutputTokens } from './usage-model.js';

/**
 * Chat Completions usage. `prompt_tokens` includes cached and cache-written tokens;
 * `completion_tokens` includes reasoning tokens. `choices` multiplies the output (`n`).
 */
export function openaiChatUsage(usage: TokenUsage, choices = 1): Record<string, unknown> {
  const promptTokens = totalInputTokens(usage);
  const completionTokens = totalOutputTokens(usage) * choices;
  const cacheWriteTokens = usage.cacheWriteTokens + usage.cacheWrite1hTokens;
  return {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
    prompt_tokens_details: {
      cached_tokens: usage.cachedTokens,
      audio_tokens: 0,
      ...(cacheWriteTokens > 0 ? { cache_write_tokens: cacheWriteTokens } : {}),
    },
    completion_tokens_details: {
      reasoning_tokens: usage.reasoningTokens * choices,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
}

/** Responses API usage: `input_tokens` includes cached tokens, `output_tokens` includes reasoning. */
export function openaiResponsesUsage(usage: TokenUsage): Record<string, unknown> {
  const inputTokens = totalInputTokens(usage);
  const outputTokens = totalOutputTokens(usage);
  return {
    input_tokens: inputTokens,
    input_tokens_details: {
      cached_tokens: usage.cachedTokens,
      cache_write_tokens: usage.cacheWriteTokens + usage.cacheWrite1hTokens,
    },
    output_tokens: outputTokens,
    output_tokens_details: { reasoning_tokens: usage.reasoningTokens },
    total_tokens: inputTokens + outputTokens,
  };
}
