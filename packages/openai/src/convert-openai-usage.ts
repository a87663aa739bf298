import { createUsage, type Usage, type UsageInput } from '@tollgate/core';

/**
 * Chat Completions usage (also Qwen's and Ollama's OpenAI-compatible endpoints).
 * `prompt_tokens` INCLUDES the cached tokens (and the tokens written to the cache),
 * so the uncached input is what is left after taking them out; `completion_tokens`
 * includes the reasoning and audio output tokens.
 */
export interface OpenAIChatUsageFields {
  prompt_tokens?: number | null;
  completion_tokens?: number | null;
  prompt_tokens_details?: {
    cached_tokens?: number | null;
    cache_write_tokens?: number | null;
    audio_tokens?: number | null;
  } | null;
  completion_tokens_details?: { reasoning_tokens?: number | null; audio_tokens?: number | null } | null;
}

/** Responses API usage: `input_tokens` includes cached and cache-written tokens, `output_tokens` includes reasoning. */
export interface OpenAIResponsesUsageFields {
  input_tokens?: number | null;
  output_tokens?: number | null;
  input_tokens_details?: { cached_tokens?: number | null; cache_write_tokens?: number | null } | null;
  output_tokens_details?: { reasoning_tokens?: number | null } | null;
}

/** `audio.transcriptions` usage: by duration (whisper) or by tokens (gpt-4o-transcribe and later). */
export type OpenAITranscriptionUsageFields =
  | { type: 'duration'; seconds?: number | null }
  | {
      type: 'tokens';
      input_tokens?: number | null;
      output_tokens?: number | null;
      input_token_details?: { audio_tokens?: number | null; text_tokens?: number | null } | null;
    };

/** `images.generate` usage of the gpt-image models: text input tokens and image output tokens. */
export interface OpenAIImageUsageFields {
  input_tokens?: number | null;
  output_tokens?: number | null;
}

/** A count from a provider: a non-negative whole number, anything else (null, NaN, negative) counts as 0. */
function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.floor(value) : 0;
}

function quantity(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : 0;
}

/**
 * The uncached part of an input total that includes its cached parts. A provider that reports
 * more cached than total tokens is trusted on the total: the parts are cut to fit.
 */
function inputParts(total: number, cached: number, cacheWrite: number): UsageInput {
  const cacheReadTokens = Math.min(cached, total);
  const cacheWriteTokens = Math.min(cacheWrite, total - cacheReadTokens);
  return { inputTokens: total - cacheReadTokens - cacheWriteTokens, cacheReadTokens, cacheWriteTokens };
}

// The usages below are built field by field: an object spread costs microseconds on every call.

export function convertOpenAIChatUsage(usage: OpenAIChatUsageFields, raw: unknown = usage): Usage {
  const input = inputParts(
    count(usage.prompt_tokens),
    count(usage.prompt_tokens_details?.cached_tokens),
    count(usage.prompt_tokens_details?.cache_write_tokens),
  );
  const outputTokens = count(usage.completion_tokens);
  const reasoningTokens = Math.min(count(usage.completion_tokens_details?.reasoning_tokens), outputTokens);
  input.inputAudioTokens = Math.min(count(usage.prompt_tokens_details?.audio_tokens), input.inputTokens ?? 0);
  input.outputTokens = outputTokens;
  input.reasoningTokens = reasoningTokens;
  input.outputAudioTokens = Math.min(
    count(usage.completion_tokens_details?.audio_tokens),
    outputTokens - reasoningTokens,
  );
  input.raw = raw;
  return createUsage(input);
}

export function convertOpenAIResponsesUsage(
  usage: OpenAIResponsesUsageFields,
  extra: { webSearches?: number } = {},
  raw: unknown = usage,
): Usage {
  const input = inputParts(
    count(usage.input_tokens),
    count(usage.input_tokens_details?.cached_tokens),
    count(usage.input_tokens_details?.cache_write_tokens),
  );
  const outputTokens = count(usage.output_tokens);
  input.outputTokens = outputTokens;
  input.reasoningTokens = Math.min(count(usage.output_tokens_details?.reasoning_tokens), outputTokens);
  input.webSearches = count(extra.webSearches);
  input.raw = raw;
  return createUsage(input);
}

export function convertOpenAIEmbeddingUsage(
  usage: { prompt_tokens?: number | null },
  raw: unknown = usage,
): Usage {
  return createUsage({ inputTokens: count(usage.prompt_tokens), raw });
}

/**
 * Transcription usage. Token usage: `input_tokens` is audio plus prompt text tokens,
 * `input_token_details.audio_tokens` the audio part (priced at the audio rate).
 * Duration usage, or a `verbose_json` `duration` when there is no usage: seconds of audio.
 */
export function convertOpenAITranscriptionUsage(
  usage: OpenAITranscriptionUsageFields | null | undefined,
  durationSeconds?: number,
  raw: unknown = usage,
): Usage | undefined {
  if (usage?.type === 'tokens') {
    const inputTokens = count(usage.input_tokens);
    return createUsage({
      inputTokens,
      inputAudioTokens: Math.min(count(usage.input_token_details?.audio_tokens), inputTokens),
      outputTokens: count(usage.output_tokens),
      raw,
    });
  }
  if (usage?.type === 'duration') return createUsage({ audioSeconds: quantity(usage.seconds), raw });
  if (durationSeconds !== undefined && quantity(durationSeconds) > 0) {
    return createUsage({ audioSeconds: quantity(durationSeconds), raw: { duration: durationSeconds } });
  }
  return undefined;
}

/**
 * Image generation usage. The catalog prices dall-e per image and gpt-image-1 per
 * image plus text input tokens; token counts are kept only for the rates the
 * model's price has, so that a per-image price is not charged twice.
 */
export function convertOpenAIImageUsage(
  images: number,
  usage: OpenAIImageUsageFields | null | undefined,
  priced: { inputTokens: boolean; outputTokens: boolean },
  raw: unknown = usage,
): Usage {
  return createUsage({
    images: count(images),
    inputTokens: priced.inputTokens ? count(usage?.input_tokens) : 0,
    outputTokens: priced.outputTokens ? count(usage?.output_tokens) : 0,
    ...(raw === undefined || raw === null ? {} : { raw }),
  });
}

/** Text-to-speech usage from the speech SSE stream's `speech.audio.done` event (output tokens are audio). */
export function convertOpenAISpeechUsage(
  usage: { input_tokens?: number | null; output_tokens?: number | null },
  raw: unknown = usage,
): Usage {
  const outputTokens = count(usage.output_tokens);
  return createUsage({
    inputTokens: count(usage.input_tokens),
    outputTokens,
    outputAudioTokens: outputTokens,
    raw,
  });
}
