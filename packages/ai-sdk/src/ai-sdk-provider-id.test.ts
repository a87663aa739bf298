import { describe, expect, it } from 'vitest';
import { aiSdkProviderId, UNKNOWN_AI_SDK_PROVIDER } from './ai-sdk-provider-id';

describe('aiSdkProviderId', () => {
  it.each([
    ['openai.chat', 'openai'],
    ['openai.responses', 'openai'],
    ['openai.embedding', 'openai'],
    ['anthropic.messages', 'anthropic'],
    ['google.generative-ai', 'google'],
    ['google.vertex.chat', 'google'],
    ['mistral.chat', 'mistral'],
    ['groq.chat', 'groq'],
    ['deepseek.chat', 'deepseek'],
    ['xai.chat', 'x-ai'],
    ['togetherai.chat', 'together'],
    ['amazon-bedrock', 'aws'],
    ['azure.chat', 'azure'],
    ['acme-llm.chat', 'acme-llm'],
    ['Ollama', 'ollama'],
  ])('names %s %s', (reported, expected) => {
    expect(aiSdkProviderId(reported)).toBe(expected);
  });

  it.each([[undefined], [''], ['.chat'], [42]])('names %j as the unknown provider', (reported) => {
    expect(aiSdkProviderId(reported)).toBe(UNKNOWN_AI_SDK_PROVIDER);
  });
});
