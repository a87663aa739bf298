import { expect, it } from 'vitest';
import { priceDataModels, providerOfApiUrl } from './genai-prices-source';

it.each([
  ['https://api.openai.com/v1', 'openai'],
  ['https://api.groq.com/openai/v1', 'groq'],
  ['https://api.together.xyz/v1', 'together'],
  ['https://api.deepseek.com', 'deepseek'],
  ['https://api.deepseek.com/v1', 'deepseek'],
  ['https://openrouter.ai/api/v1', 'openrouter'],
  ['https://api.x.ai/v1', 'x-ai'],
  ['https://api.fireworks.ai/inference/v1', 'fireworks'],
  ['https://api.perplexity.ai', 'perplexity'],
  ['https://api.mistral.ai/v1', 'mistral'],
  ['https://generativelanguage.googleapis.com/v1beta/openai/', 'google'],
  ['https://my-resource.openai.azure.com/openai', 'azure'],
  ['https://my-resource.cognitiveservices.azure.com/openai', 'azure'],
  // Host names are case-insensitive; the data's patterns are not.
  ['https://API.Groq.com/openai/v1', 'groq'],
] as const)('%s is %s in the bundled data', (baseURL, provider) => {
  expect(providerOfApiUrl(baseURL)).toBe(provider);
});

it.each([
  'https://llm.example.com/v1',
  'http://127.0.0.1:8787/v1',
  'https://dashscope-intl.aliyuncs.com/compatible-mode/v1',
  // A provider's host inside another URL is not that provider.
  'https://proxy.example.com/https://api.groq.com/openai/v1',
  'not a url',
  '',
])('%s is no provider of the bundled data', (baseURL) => {
  expect(providerOfApiUrl(baseURL)).toBeUndefined();
});

it('lists the models of a provider in the data in use, with the deprecated ones marked', () => {
  const models = priceDataModels('openai');
  expect(models).toContainEqual({ id: 'gpt-4o-mini', deprecated: false });
  expect(priceDataModels('avian')).toContainEqual({ id: 'Meta-Llama-3.1-8B-Instruct', deprecated: true });
  expect(priceDataModels('no-such-provider')).toEqual([]);
});
