// The @tollgate/ai-sdk part of the consumers, apart because its types come from the `ai` the app
// has: AI SDK 6 (which npm picks on Node 20) ships CommonJS and ESM types and is checked as .cts
// under node16 too; AI SDK 7's are ESM only, which a node16 CommonJS file cannot import (TS1479).
import { createOpenAI } from '@ai-sdk/openai';
import { tollgateEmbeddingMiddleware, tollgateMiddleware } from '@tollgate/ai-sdk';
import { createBudget } from '@tollgate/core';
import { embed, generateText, wrapEmbeddingModel, wrapLanguageModel } from 'ai';

export async function callThroughAiSdk(baseURL: string): Promise<string> {
  const budget = createBudget({ budgets: [{ id: 'app', limitUsd: 30, period: 'month' }] });
  const openai = createOpenAI({ apiKey: 'test', baseURL });
  const model = wrapLanguageModel({
    model: openai.chat('gpt-4o-mini'),
    middleware: tollgateMiddleware(budget, { requestType: 'chat', onInsufficientBudget: 'clamp' }),
  });
  const { text } = await generateText({ model, prompt: 'Hello', maxOutputTokens: 16 });
  const embeddings = wrapEmbeddingModel({
    model: openai.embedding('text-embedding-3-small'),
    middleware: tollgateEmbeddingMiddleware(budget),
  });
  const { embedding } = await embed({ model: embeddings, value: text });
  // @ts-expect-error: a wrong option is an error, so the declarations were found and are not `any`.
  tollgateMiddleware(budget, { onInsufficientBudget: 'sometimes' });
  return `${text} ${embedding.length}`;
}
