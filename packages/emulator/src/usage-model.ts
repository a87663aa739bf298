import type { IncomingHttpHeaders } from 'node:http';
import { EMULATOR_HEADERS, readCountHeader, readNumberHeader, readTextHeader } from './emulator-headers.js';
import { RawJson, rawJsonOf } from './raw-json.js';

/** Characters per token in the emulator's prompt-token formula. */
export const CHARACTERS_PER_TOKEN = 4;
/** Tokens added for every message (and for a system prompt or instructions). */
export const TOKENS_PER_MESSAGE = 4;
/** Audio tokens per second of audio, for transcription input and speech output. */
export const AUDIO_TOKENS_PER_SECOND = 10;
/** Audio bytes per second assumed when the audio length is not given (128 kbit/s MP3). */
export const AUDIO_BYTES_PER_SECOND = 16_000;
/** Transcript words (tokens) per second of audio. */
export const TRANSCRIPT_TOKENS_PER_SECOND = 2;
/** Speech characters per second of generated audio. */
export const SPEECH_CHARACTERS_PER_SECOND = 15;

/**
 * Usage settings. The counts left undefined are computed from the request; a defined
 * count replaces the computed one (input, output, audio) or adds a usage component
 * (cache reads, cache writes, reasoning, web searches).
 */
export interface UsageSettings {
  /** Visible output tokens when the request sets no lower limit. Default 64. */
  defaultOutputTokens: number;
  /** Reasoning tokens for requests that ask for reasoning without a reasoning count. Default 32. */
  defaultReasoningTokens: number;
  /** Replaces the computed uncached input tokens. */
  inputTokens?: number | undefined;
  /** Exact visible output tokens, ignoring the request's max tokens. */
  outputTokens?: number | undefined;
  /** Cache-read tokens, reported on top of the computed input tokens. */
  cachedTokens?: number | undefined;
  /** Cache-write tokens (Anthropic: 5-minute TTL), on top of the computed input tokens. */
  cacheWriteTokens?: number | undefined;
  /** Cache-write tokens with Anthropic's 1-hour TTL (OpenAI adds them to its cache writes). */
  cacheWrite1hTokens?: number | undefined;
  /** Reasoning (thinking) tokens, billed as output on top of the visible output tokens. */
  reasoningTokens?: number | undefined;
  /** Length of uploaded audio in seconds (rounded up to whole seconds). */
  audioSeconds?: number | undefined;
  /** Anthropic `server_tool_use.web_search_requests`. */
  webSearchRequests?: number | undefined;
  /**
   * A JSON text sent as it is in place of the computed usage of a text generation (chat,
   * responses, messages, FIM): a JSON response's `usage`, a stream's final usage. For tests of
   * what a client does with a usage block it cannot trust (`"abc"`, `[1, 2, 3]`, `-5`, `1e400`).
   */
  usageJson?: string | undefined;
  /** Anthropic streams: a JSON text sent as it is in place of `message_start`'s usage. */
  startUsageJson?: string | undefined;
  /** Streams: a usage (JSON text) sent before the first content chunk as well. */
  earlyUsageJson?: string | undefined;
  /** Streams: a second usage (JSON text) sent after the final one. */
  lateUsageJson?: string | undefined;
}

export function defaultUsageSettings(): UsageSettings {
  return { defaultOutputTokens: 64, defaultReasoningTokens: 32 };
}

/** The emulator's settings with this request's `x-emulator-*` usage headers applied. */
export function resolveUsageSettings(settings: UsageSettings, headers: IncomingHttpHeaders): UsageSettings {
  const resolved: UsageSettings = { ...settings };
  const counts = [
    ['inputTokens', EMULATOR_HEADERS.inputTokens],
    ['outputTokens', EMULATOR_HEADERS.outputTokens],
    ['cachedTokens', EMULATOR_HEADERS.cachedTokens],
    ['cacheWriteTokens', EMULATOR_HEADERS.cacheWriteTokens],
    ['cacheWrite1hTokens', EMULATOR_HEADERS.cacheWrite1hTokens],
    ['reasoningTokens', EMULATOR_HEADERS.reasoningTokens],
    ['webSearchRequests', EMULATOR_HEADERS.webSearchRequests],
  ] as const;
  for (const [key, header] of counts) {
    const value = readCountHeader(headers, header);
    if (value !== undefined) resolved[key] = value;
  }
  const audioSeconds = readNumberHeader(headers, EMULATOR_HEADERS.audioSeconds);
  if (audioSeconds !== undefined) resolved.audioSeconds = audioSeconds;
  const texts = [
    ['usageJson', EMULATOR_HEADERS.usageJson],
    ['startUsageJson', EMULATOR_HEADERS.startUsageJson],
    ['earlyUsageJson', EMULATOR_HEADERS.earlyUsageJson],
    ['lateUsageJson', EMULATOR_HEADERS.lateUsageJson],
  ] as const;
  for (const [key, header] of texts) {
    const value = readTextHeader(headers, header);
    if (value !== undefined) resolved[key] = value;
    const text = resolved[key];
    if (text !== undefined) rawJsonOf(text, `${header} (usage.${key})`);
  }
  return resolved;
}

/** The usage a test supplied (`usageJson`, `startUsageJson`…) to send as it is, or the computed one. */
export function suppliedUsage(text: string | undefined, computed: unknown): unknown {
  return text === undefined ? computed : new RawJson(text);
}

/** ceil(characters / 4); the empty string is 0 tokens. */
export function countTextTokens(text: string): number {
  return Math.ceil(text.length / CHARACTERS_PER_TOKEN);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The text of a message or content value: plain strings, the `text`, `content`,
 * `thinking` and `output` of parts (recursively), tool-call `arguments`, and tool
 * inputs as JSON. Images, audio and files contribute nothing.
 */
export function extractText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(extractText).join('');
  if (!isRecord(value)) return '';
  let text = '';
  for (const key of ['text', 'content', 'thinking', 'output', 'tool_calls', 'function', 'arguments']) {
    const field = value[key];
    if (field !== undefined && field !== null) text += extractText(field);
  }
  const input = value.input;
  if (typeof input === 'string') text += input;
  else if (isRecord(input)) text += JSON.stringify(input);
  return text;
}

/** The parts of a request whose text the emulator counts as prompt tokens. */
export interface PromptParts {
  /** Conversation items; each adds its text and TOKENS_PER_MESSAGE. */
  messages: readonly unknown[];
  /** System prompt or instructions; counted as one more message when not empty. */
  system?: unknown;
  /** Tool definitions; their JSON text is counted, without a per-message overhead. */
  tools?: unknown;
}

/**
 * Prompt tokens of a request:
 * ceil((characters of all message text + characters of the tools' JSON) / 4) + 4 per message,
 * where a non-empty system prompt counts as one message.
 */
export function countPromptTokens(parts: PromptParts): number {
  let characters = 0;
  let messageCount = 0;
  for (const message of parts.messages) {
    characters += extractText(message).length;
    messageCount += 1;
  }
  const system = extractText(parts.system);
  if (system.length > 0) {
    characters += system.length;
    messageCount += 1;
  }
  if (Array.isArray(parts.tools) && parts.tools.length > 0) {
    characters += JSON.stringify(parts.tools).length;
  }
  return Math.ceil(characters / CHARACTERS_PER_TOKEN) + TOKENS_PER_MESSAGE * messageCount;
}

/** Token usage of one generation, before each provider maps it to its own fields. */
export interface TokenUsage {
  /** Uncached input tokens (Anthropic's `input_tokens`). */
  inputTokens: number;
  cachedTokens: number;
  cacheWriteTokens: number;
  cacheWrite1hTokens: number;
  /** Visible output tokens: exactly the number of streamed text chunks. */
  outputTokens: number;
  /** Reasoning tokens, billed as output in addition to `outputTokens`. */
  reasoningTokens: number;
  webSearchRequests: number;
  /** True when the request's max-tokens limit cut the reply short. */
  truncated: boolean;
}

export interface GenerationRequest {
  /** Prompt tokens computed from the request body. */
  promptTokens: number;
  /** The request's max tokens (max_tokens, max_completion_tokens, max_output_tokens). */
  outputLimit?: number | null | undefined;
  /** Whether the request asks for reasoning (thinking, reasoning effort). */
  reasoningRequested?: boolean;
  /** An upper bound for the default reasoning tokens, such as Anthropic's budget_tokens. */
  reasoningLimit?: number | null | undefined;
}

function nonNegativeInteger(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? Math.floor(value) : undefined;
}

/**
 * The usage of a text generation:
 * - input = the computed prompt tokens (or `inputTokens`), cache reads and writes come on top;
 * - output = `outputTokens` if set, else min(request limit, defaultOutputTokens);
 *   `truncated` when the request limit was the smaller one;
 * - reasoning = `reasoningTokens` if set, else defaultReasoningTokens (capped by the
 *   reasoning limit) when the request asks for reasoning, else 0.
 */
export function computeTokenUsage(request: GenerationRequest, settings: UsageSettings): TokenUsage {
  const limit = nonNegativeInteger(request.outputLimit);
  let outputTokens: number;
  let truncated = false;
  if (settings.outputTokens !== undefined) {
    outputTokens = settings.outputTokens;
  } else if (limit !== undefined && limit < settings.defaultOutputTokens) {
    outputTokens = limit;
    truncated = true;
  } else {
    outputTokens = settings.defaultOutputTokens;
  }
  let reasoningTokens = settings.reasoningTokens ?? 0;
  if (settings.reasoningTokens === undefined && request.reasoningRequested) {
    const reasoningLimit = nonNegativeInteger(request.reasoningLimit);
    reasoningTokens =
      reasoningLimit === undefined
        ? settings.defaultReasoningTokens
        : Math.min(settings.defaultReasoningTokens, reasoningLimit);
  }
  return {
    inputTokens: settings.inputTokens ?? request.promptTokens,
    cachedTokens: settings.cachedTokens ?? 0,
    cacheWriteTokens: settings.cacheWriteTokens ?? 0,
    cacheWrite1hTokens: settings.cacheWrite1hTokens ?? 0,
    outputTokens,
    reasoningTokens,
    webSearchRequests: settings.webSearchRequests ?? 0,
    truncated,
  };
}

/** All input tokens, cached and written included (OpenAI's and Mistral's `prompt_tokens`). */
export function totalInputTokens(usage: TokenUsage): number {
  return usage.inputTokens + usage.cachedTokens + usage.cacheWriteTokens + usage.cacheWrite1hTokens;
}

/** Visible plus reasoning tokens (OpenAI's `completion_tokens`, Anthropic's `output_tokens`). */
export function totalOutputTokens(usage: TokenUsage): number {
  return usage.outputTokens + usage.reasoningTokens;
}

/** Tokens of an embeddings input: ceil(characters / 4) per string, or the length of a token array. */
export function countEmbeddingTokens(input: unknown): number {
  if (typeof input === 'string') return countTextTokens(input);
  if (Array.isArray(input)) {
    if (input.every((item) => typeof item === 'number')) return input.length;
    return input.reduce<number>((sum, item) => sum + countEmbeddingTokens(item), 0);
  }
  return 0;
}

/** Whole seconds of audio: `audioSeconds` if set, else the upload size at 16,000 bytes per second; at least 1. */
export function resolveAudioSeconds(byteLength: number, settings: UsageSettings): number {
  const seconds = settings.audioSeconds ?? byteLength / AUDIO_BYTES_PER_SECOND;
  return Math.max(1, Math.ceil(seconds));
}

export function audioTokens(seconds: number): number {
  return Math.ceil(seconds * AUDIO_TOKENS_PER_SECOND);
}

/** Transcript tokens (words): `outputTokens` if set, else 2 per second of audio. */
export function transcriptTokenCount(seconds: number, settings: UsageSettings): number {
  return settings.outputTokens ?? Math.max(1, Math.ceil(seconds * TRANSCRIPT_TOKENS_PER_SECOND));
}

/** Seconds of generated speech: one second per 15 characters of input, at least 1. */
export function speechSeconds(input: string): number {
  return Math.max(1, Math.ceil(input.length / SPEECH_CHARACTERS_PER_SECOND));
}

/** Whether a `reasoning_effort` / `reasoning.effort` value asks for reasoning ('none' does not). */
export function isReasoningEffort(value: unknown): boolean {
  return typeof value === 'string' && value !== 'none';
}
