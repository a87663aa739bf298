import { expect, test } from 'vitest';
import { inferOpenAIProvider } from './infer-openai-provider';

test.each([
  ['https://api.openai.com/v1', 'openai'],
  ['https://dashscope-intl.aliyuncs.com/compatible-mode/v1', 'qwen'],
  ['https://dashscope.aliyuncs.com/compatible-mode/v1', 'qwen'],
  ['http://localhost:11434/v1', 'ollama'],
  ['http://127.0.0.1:11434/v1/', 'ollama'],
  ['http://gpu-box.internal:11434', 'ollama'],
  ['http://127.0.0.1:8787/v1', 'openai'],
  ['https://my-resource.openai.azure.com/openai', 'openai'],
  ['not a url', 'openai'],
  [undefined, 'openai'],
] as const)('%s is %s', (baseURL, provider) => {
  expect(inferOpenAIProvider(baseURL)).toBe(provider);
});
