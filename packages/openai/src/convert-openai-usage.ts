import { createUsage, type Usage } from '@tollgate/core';
import { readUsageBlock, type UsageBlockReader, type UsageLimits } from '@tollgate/core/adapter';

/**
 * Chat Completions usage (also Qwen's and Ollama's OpenAI-compatible endpoints).
 * `prompt_tokens` INCLUDES the cached tokens (and the tokens written to the cache),
 * so the uncached input is what is left after taking them out; `completion_tokens`
 * includes the reasoning and audio output tokens.
 */
export interface OpenAIChatUsageFields {
  prompt_tokens?: number | null;
  completion_tokens?: number | null;
  total_tokens?: number | null;
  prompt_tokens_details?: {
    cached_tokens?: number | null;
    cache_write_tokens?: number | null;
    audio_tokens?: number | null;
  } | null;
  completion_tokens_details?: {
    reasoning_tokens?: number | null;
    audio_tokens?: number | null;
    accepted_prediction_tokens?: number | null;
    rejected_prediction_tokens?: number | null;
  } | null;
}

/** Responses API usage: `input_tokens` includes cached and cache-written tokens, `output_tokens` includes reasoning. */
export interface OpenAIResponsesUsageFields {
  input_tokens?: number | null;
  output_tokens?: number | null;
  total_tokens?: number | null;
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
      total_tokens?: number | null;
      input_token_details?: { audio_tokens?: number | null; text_tokens?: number | null } | null;
    };

/** `images.generate` usage of the gpt-image models: text input tokens and image output tokens. */
export interface OpenAIImageUsageFields {
  input_tokens?: number | null;
  output_tokens?: number | null;
}

const REQUIRED = { required: true };

/**
 * The input side of a total that includes its cached parts: the cache reads and writes must
 * fit in the total, and the audio tokens are part of it (kept to the uncached part, where the
 * audio rate applies).
 */
function inputOf(
  read: UsageBlockReader,
  total: number,
  totalField: string,
  details: Readonly<Record<string, unknown>>,
  detailsField: string,
) {
  const cacheReadTokens = read.count(details.cached_tokens, `${detailsField}.cached_tokens`);
  const cacheWriteTokens = read.count(details.cache_write_tokens, `${detailsField}.cache_write_tokens`);
  read.partOf(
    cacheReadTokens + cacheWriteTokens,
    `${detailsField} cached and cache-write tokens`,
    total,
    totalField,
  );
  const inputTokens = Math.max(0, total - cacheReadTokens - cacheWriteTokens);
  const audio = read.count(details.audio_tokens, `${detailsField}.audio_tokens`);
  read.partOf(audio, `${detailsField}.audio_tokens`, total, totalField);
  return { inputTokens, cacheReadTokens, cacheWriteTokens, inputAudioTokens: Math.min(audio, inputTokens) };
}

// The usages below are built field by field: an object spread costs microseconds on every call.

/**
 * Chat Completions usage under the kit's rule (`readUsageBlock`): throws `UntrustedUsageError`
 * for a block that is not an object, lacks `prompt_tokens` or `completion_tokens`, holds a count
 * that is not a whole non-negative number within `limits`, or reports cached, reasoning or audio
 * tokens above their total.
 */
export function convertOpenAIChatUsage(usage: OpenAIChatUsageFields | unknown, limits?: UsageLimits): Usage {
  return readUsageBlock(usage, limits, (fields, read) => {
    const prompt = read.count(fields.prompt_tokens, 'prompt_tokens', REQUIRED);
    const promptDetails = read.details(fields.prompt_tokens_details, 'prompt_tokens_details');
    const input = inputOf(read, prompt, 'prompt_tokens', promptDetails, 'prompt_tokens_details');
    const outputTokens = read.count(fields.completion_tokens, 'completion_tokens', REQUIRED);
    const completion = read.details(fields.completion_tokens_details, 'completion_tokens_details');
    const reasoningTokens = read.count(
      completion.reasoning_tokens,
      'completion_tokens_details.reasoning_tokens',
    );
    const outputAudioTokens = read.count(completion.audio_tokens, 'completion_tokens_details.audio_tokens');
    read.partOf(
      reasoningTokens + outputAudioTokens,
      'reasoning and audio tokens',
      outputTokens,
      'completion_tokens',
    );
    read.count(completion.accepted_prediction_tokens, 'completion_tokens_details.accepted_prediction_tokens');
    read.count(completion.rejected_prediction_tokens, 'completion_tokens_details.rejected_prediction_tokens');
    read.count(fields.total_tokens, 'total_tokens');
    return {
      inputTokens: input.inputTokens,
      cacheReadTokens: input.cacheReadTokens,
      cacheWriteTokens: input.cacheWriteTokens,
      inputAudioTokens: input.inputAudioTokens,
      outputTokens,
      reasoningTokens,
      outputAudioTokens,
    };
  });
}

/** Responses API usage under the kit's rule; `extra.webSearches` are the response's web search calls. */
export function convertOpenAIResponsesUsage(
  usage: OpenAIResponsesUsageFields | unknown,
  extra: { webSearches?: number } = {},
  limits?: UsageLimits,
): Usage {
  return readUsageBlock(usage, limits, (fields, read) => {
    const total = read.count(fields.input_tokens, 'input_tokens', REQUIRED);
    const inputDetails = read.details(fields.input_tokens_details, 'input_tokens_details');
    const input = inputOf(read, total, 'input_tokens', inputDetails, 'input_tokens_details');
    const outputTokens = read.count(fields.output_tokens, 'output_tokens', REQUIRED);
    const outputDetails = read.details(fields.output_tokens_details, 'output_tokens_details');
    const reasoningTokens = read.count(
      outputDetails.reasoning_tokens,
      'output_tokens_details.reasoning_tokens',
    );
    read.partOf(reasoningTokens, 'output_tokens_details.reasoning_tokens', outputTokens, 'output_tokens');
    read.count(fields.total_tokens, 'total_tokens');
    return {
      inputTokens: input.inputTokens,
      cacheReadTokens: input.cacheReadTokens,
      cacheWriteTokens: input.cacheWriteTokens,
      outputTokens,
      reasoningTokens,
      webSearches: extra.webSearches ?? 0,
    };
  });
}

/** Embeddings usage under the kit's rule: `prompt_tokens`. */
export function convertOpenAIEmbeddingUsage(
  usage: { prompt_tokens?: number | null } | unknown,
  limits?: UsageLimits,
): Usage {
  return readUsageBlock(usage, limits, (fields, read) => {
    read.count(fields.total_tokens, 'total_tokens');
    return { inputTokens: read.count(fields.prompt_tokens, 'prompt_tokens', REQUIRED) };
  });
}

/**
 * Transcription usage under the kit's rule. Token usage: `input_tokens` is audio plus prompt
 * text tokens, `input_token_details.audio_tokens` the audio part (priced at the audio rate).
 * Duration usage, or a `verbose_json` `duration` when there is no usage: seconds of audio.
 * Undefined when there is neither (plain-text formats).
 */
export function convertOpenAITranscriptionUsage(
  usage: OpenAITranscriptionUsageFields | null | undefined | unknown,
  durationSeconds?: number,
  limits?: UsageLimits,
): Usage | undefined {
  if (usage === undefined || usage === null) {
    if (typeof durationSeconds !== 'number' || !(durationSeconds > 0) || !Number.isFinite(durationSeconds))
      return undefined;
    return createUsage({ audioSeconds: durationSeconds, raw: { duration: durationSeconds } });
  }
  return readUsageBlock(usage, limits, (fields, read) => {
    if (fields.type === 'duration')
      return { audioSeconds: read.quantity(fields.seconds, 'seconds', REQUIRED) };
    if (fields.type !== 'tokens') read.refuse('type is neither duration nor tokens');
    const inputTokens = read.count(fields.input_tokens, 'input_tokens', REQUIRED);
    const details = read.details(fields.input_token_details, 'input_token_details');
    const inputAudioTokens = read.count(details.audio_tokens, 'input_token_details.audio_tokens');
    read.partOf(inputAudioTokens, 'input_token_details.audio_tokens', inputTokens, 'input_tokens');
    read.count(details.text_tokens, 'input_token_details.text_tokens');
    read.count(fields.total_tokens, 'total_tokens');
    return {
      inputTokens,
      inputAudioTokens,
      outputTokens: read.count(fields.output_tokens, 'output_tokens', REQUIRED),
    };
  });
}

/**
 * Image generation usage. The catalog prices dall-e per image and gpt-image-1 per image plus
 * text input tokens; token counts are kept only for the rates the model's price has, so that a
 * per-image price is not charged twice. A usage the response carries is read under the kit's
 * rule; dall-e's responses carry none.
 */
export function convertOpenAIImageUsage(
  images: number,
  usage: OpenAIImageUsageFields | null | undefined | unknown,
  priced: { inputTokens: boolean; outputTokens: boolean },
  limits?: UsageLimits,
): Usage {
  const count = Number.isSafeInteger(images) && images > 0 ? images : 0;
  if (usage === undefined || usage === null) return createUsage({ images: count });
  return readUsageBlock(usage, limits, (fields, read) => {
    const inputTokens = read.count(fields.input_tokens, 'input_tokens', REQUIRED);
    const outputTokens = read.count(fields.output_tokens, 'output_tokens', REQUIRED);
    return {
      images: count,
      inputTokens: priced.inputTokens ? inputTokens : 0,
      outputTokens: priced.outputTokens ? outputTokens : 0,
    };
  });
}

/** Text-to-speech usage from the speech SSE stream's `speech.audio.done` event (output tokens are audio), under the kit's rule. */
export function convertOpenAISpeechUsage(
  usage: { input_tokens?: number | null; output_tokens?: number | null } | unknown,
  limits?: UsageLimits,
): Usage {
  return readUsageBlock(usage, limits, (fields, read) => {
    const outputTokens = read.count(fields.output_tokens, 'output_tokens', REQUIRED);
    read.count(fields.total_tokens, 'total_tokens');
    return {
      inputTokens: read.count(fields.input_tokens, 'input_tokens', REQUIRED),
      outputTokens,
      outputAudioTokens: outputTokens,
    };
  });
}
