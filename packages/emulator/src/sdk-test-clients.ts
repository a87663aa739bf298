import Anthropic from '@anthropic-ai/sdk';
import { Mistral } from '@mistralai/mistralai';
import OpenAI from 'openai';
import type { Emulator } from './emulator.js';

/** SDK clients pointed at an emulator, without retries, as the tests use them. */
export function openaiClient(emulator: Emulator, defaultHeaders?: Record<string, string>): OpenAI {
  return new OpenAI({
    apiKey: 'sk-test-key',
    baseURL: emulator.openaiBaseURL,
    maxRetries: 0,
    defaultHeaders,
  });
}

export function anthropicClient(emulator: Emulator, defaultHeaders?: Record<string, string>): Anthropic {
  return new Anthropic({
    apiKey: 'sk-ant-test-key',
    baseURL: emulator.anthropicBaseURL,
    maxRetries: 0,
    defaultHeaders,
  });
}

export function mistralClient(emulator: Emulator): Mistral {
  return new Mistral({
    apiKey: 'mistral-test-key',
    serverURL: emulator.mistralServerURL,
    retryConfig: { strategy: 'none' },
  });
}

/** Collects every item of an async iterable. */
export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}
