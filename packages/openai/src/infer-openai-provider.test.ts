import { expect, test } from 'vitest';
import { inferOpenAIProvider } from './infer-openai-provider';

test.each([
  ['https://api.openai.com/v1', 'openai'],
  ['https://dashscope-intl.aliyuncs.com/compatible-mode/v1', 'qwen'],
  ['https://dashscope.aliyuncs.com/compatible-mode/v1', 'qwen'],
  ['http://localhost:11434/v1', 'ollama'],
  ['http://127.0.0.1:11434/v1/', 'ollama'],
  ['http://gpu-box.internal:11434', 'ollama'],
  // Loopback hosts on another port are a local emulator, test server or proxy in front of OpenAI.
  ['http://127.0.0.1:8787/v1', 'openai'],
  ['http://localhost:4000', 'openai'],
  ['http://[::1]:8080/v1', 'openai'],
  ['https://api.groq.com/openai/v1', 'groq'],
  ['https://api.together.xyz/v1', 'together'],
  ['https://api.deepseek.com', 'deepseek'],
  ['https://openrouter.ai/api/v1', 'openrouter'],
  ['https://api.x.ai/v1', 'x-ai'],
  ['https://api.fireworks.ai/inference/v1', 'fireworks'],
  ['https://api.perplexity.ai', 'perplexity'],
  ['https://api.mistral.ai/v1', 'mistral'],
  ['https://generativelanguage.googleapis.com/v1beta/openai/', 'google'],
  ['https://my-resource.openai.azure.com/openai', 'azure'],
  // Any other host is its own provider, never OpenAI.
  ['https://llm.example.com/v1', 'llm.example.com'],
  ['https://LLM.Example.com/v1', 'llm.example.com'],
  ['http://vllm.internal:8000/v1', 'vllm.internal'],
  ['not a url', 'openai'],
  [undefined, 'openai'],
  [null, 'openai'],
] as const)('%s is %s', (baseURL, provider) => {
  expect(inferOpenAIProvider(baseURL)).toBe(provider);
});
