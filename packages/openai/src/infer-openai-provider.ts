import { providerOfApiUrl } from '@tollgate/core';

/** Ollama's default port; its OpenAI-compatible API lives under `/v1` there. */
export const OLLAMA_PORT = '11434';

/** Hosts of this machine: a local test server, emulator or proxy that speaks OpenAI's API. */
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '0.0.0.0']);

/**
 * The provider an OpenAI SDK client talks to, from its base URL, as the price catalog names it:
 *
 * - no base URL, or one that is not a URL: `openai` (the SDK's default, api.openai.com);
 * - a host containing `dashscope`: `qwen` (Alibaba Cloud Model Studio, OpenAI-compatible mode);
 * - port 11434, on any host: `ollama`;
 * - a loopback host (`localhost`, `127.0.0.1`, `[::1]`) on any other port: `openai`, for a local
 *   emulator, test server or proxy in front of OpenAI;
 * - a host the bundled price data knows by its API base URL (`@pydantic/genai-prices`'
 *   `api_pattern`): that provider — `groq`, `together`, `deepseek`, `openrouter`, `x-ai`,
 *   `fireworks`, `perplexity`, `mistral`, `google` (Gemini's OpenAI-compatible endpoint),
 *   `azure`, `openai`…;
 * - any other host: its host name (`llm.example.com`), a provider the catalog does not price: its
 *   calls are charged at a fallback price and warned about, never recorded as OpenAI's nor at $0.
 *
 * Pass `provider` to `wrapOpenAI` to name it yourself.
 */
export function inferOpenAIProvider(baseURL: string | undefined | null): string {
  if (!baseURL) return 'openai';
  let url: URL;
  try {
    url = new URL(baseURL);
  } catch {
    return 'openai';
  }
  const host = url.hostname.toLowerCase();
  if (host.includes('dashscope')) return 'qwen';
  if (url.port === OLLAMA_PORT) return 'ollama';
  if (LOOPBACK_HOSTS.has(host) || host.endsWith('.localhost')) return 'openai';
  if (host === 'api.openai.com') return 'openai';
  return providerOfApiUrl(url.href) ?? host;
}
