/** Ollama's default port; its OpenAI-compatible API lives under `/v1` there. */
export const OLLAMA_PORT = '11434';

/**
 * The provider an OpenAI SDK client talks to, from its base URL: a host containing
 * `dashscope` is Qwen (Alibaba Cloud Model Studio, OpenAI-compatible mode), port
 * 11434 is a local Ollama, anything else is OpenAI. Pass `provider` to `wrapOpenAI`
 * for any other OpenAI-compatible server.
 */
export function inferOpenAIProvider(baseURL: string | undefined | null): 'openai' | 'qwen' | 'ollama' {
  if (!baseURL) return 'openai';
  let url: URL;
  try {
    url = new URL(baseURL);
  } catch {
    return 'openai';
  }
  if (url.hostname.toLowerCase().includes('dashscope')) return 'qwen';
  if (url.port === OLLAMA_PORT) return 'ollama';
  return 'openai';
}
