import { handleAnthropicCountTokens } from './anthropic-count-tokens.js';
import { handleAnthropicMessages } from './anthropic-messages.js';
import type { EndpointHandler } from './endpoint-context.js';
import { handleGeminiCountTokens } from './gemini-count-tokens.js';
import { handleGeminiBatchEmbedContents, handleGeminiEmbedContent } from './gemini-embed-content.js';
import { handleGeminiGenerateContent, handleGeminiStreamGenerateContent } from './gemini-generate-content.js';
import { handleMistralAudioTranscriptions } from './mistral-audio-transcriptions.js';
import { handleMistralChat } from './mistral-chat.js';
import { handleMistralEmbeddings } from './mistral-embeddings.js';
import { handleMistralFim } from './mistral-fim.js';
import { handleOpenaiAudioSpeech } from './openai-audio-speech.js';
import { handleOpenaiAudioTranscriptions } from './openai-audio-transcriptions.js';
import { handleOpenaiChatCompletions } from './openai-chat-completions.js';
import { handleOpenaiEmbeddings } from './openai-embeddings.js';
import { handleOpenaiImages } from './openai-images.js';
import { handleOpenaiResponses } from './openai-responses.js';
import { PROVIDER_PREFIXES, type Provider } from './provider.js';

export interface Route {
  provider: Provider;
  endpoint: string;
  /** Full path, provider prefix included. */
  path: string;
  body: 'json' | 'multipart';
  handler: EndpointHandler;
  /** The model named in the path (Gemini: `/v1beta/models/{model}:generateContent`). */
  model?: string;
}

function route(
  provider: Provider,
  path: string,
  endpoint: string,
  handler: EndpointHandler,
  body: Route['body'] = 'json',
): Route {
  return { provider, endpoint, path: PROVIDER_PREFIXES[provider] + path, body, handler };
}

/** Every emulated endpoint; all are POST. */
export const ROUTES: readonly Route[] = [
  route('openai', '/v1/chat/completions', 'chat.completions', handleOpenaiChatCompletions),
  route('openai', '/v1/responses', 'responses', handleOpenaiResponses),
  route('openai', '/v1/embeddings', 'embeddings', handleOpenaiEmbeddings),
  route(
    'openai',
    '/v1/audio/transcriptions',
    'audio.transcriptions',
    handleOpenaiAudioTranscriptions,
    'multipart',
  ),
  route('openai', '/v1/audio/speech', 'audio.speech', handleOpenaiAudioSpeech),
  route('openai', '/v1/images/generations', 'images.generations', handleOpenaiImages),
  route('anthropic', '/v1/messages', 'messages', handleAnthropicMessages),
  route('anthropic', '/v1/messages/count_tokens', 'messages.count_tokens', handleAnthropicCountTokens),
  route('mistral', '/v1/chat/completions', 'chat.completions', handleMistralChat),
  route('mistral', '/v1/fim/completions', 'fim.completions', handleMistralFim),
  route('mistral', '/v1/embeddings', 'embeddings', handleMistralEmbeddings),
  route(
    'mistral',
    '/v1/audio/transcriptions',
    'audio.transcriptions',
    handleMistralAudioTranscriptions,
    'multipart',
  ),
];

/** The Gemini API's model methods, each served under `/gemini/{v1,v1beta}/models/{model}:{method}`. */
const GEMINI_METHODS: Readonly<Record<string, EndpointHandler>> = {
  generateContent: handleGeminiGenerateContent,
  streamGenerateContent: handleGeminiStreamGenerateContent,
  countTokens: handleGeminiCountTokens,
  embedContent: handleGeminiEmbedContent,
  batchEmbedContents: handleGeminiBatchEmbedContents,
};

/** The Gemini routes as the emulator lists them, with `{model}` in the path. */
export const GEMINI_ROUTES: readonly Route[] = Object.entries(GEMINI_METHODS).map(([method, handler]) =>
  route('google', `/v1beta/models/{model}:${method}`, `models.${method}`, handler),
);

const GEMINI_PATH = /^\/gemini\/(?:v1|v1beta|v1alpha)\/models\/([^/:]+):([A-Za-z]+)$/;

const ROUTES_BY_PATH = new Map(ROUTES.map((entry) => [entry.path, entry]));

export function findRoute(path: string): Route | undefined {
  const trimmed = path.length > 1 ? path.replace(/\/+$/, '') : path;
  const gemini = GEMINI_PATH.exec(trimmed);
  if (gemini !== null) {
    const [, model, method] = gemini as unknown as [string, string, string];
    const handler = Object.hasOwn(GEMINI_METHODS, method) ? GEMINI_METHODS[method] : undefined;
    if (handler === undefined) return undefined;
    return {
      provider: 'google',
      endpoint: `models.${method}`,
      path: trimmed,
      body: 'json',
      handler,
      model: decodeURIComponent(model),
    };
  }
  return ROUTES_BY_PATH.get(trimmed);
}

/** The provider a path belongs to by its prefix, for error shapes of unknown paths. */
export function providerOfPath(path: string): Provider | null {
  if (path.startsWith(`${PROVIDER_PREFIXES.anthropic}/`)) return 'anthropic';
  if (path.startsWith(`${PROVIDER_PREFIXES.mistral}/`)) return 'mistral';
  if (path.startsWith(`${PROVIDER_PREFIXES.google}/`)) return 'google';
  if (path.startsWith('/v1/')) return 'openai';
  return null;
}
