// An ESM app as a user writes it: one call through each adapter, the real SDK clients against the
// emulator, spend kept in the SqliteStore file given as argument. Prints what it recorded as JSON.
import { createOpenAI } from '@ai-sdk/openai';
import Anthropic from '@anthropic-ai/sdk';
import { GoogleGenAI } from '@google/genai';
import { Mistral } from '@mistralai/mistralai';
import { tollgateMiddleware } from '@tollgate/ai-sdk';
import { wrapAnthropic } from '@tollgate/anthropic';
import { createBudget } from '@tollgate/core';
import { startEmulator } from '@tollgate/emulator';
import { wrapGoogleGenAI } from '@tollgate/google';
import { wrapMistral } from '@tollgate/mistral';
import { wrapOpenAI } from '@tollgate/openai';
import { SqliteStore } from '@tollgate/sqlite';
import { generateText, wrapLanguageModel } from 'ai';
import OpenAI from 'openai';

const databasePath = process.argv[2];
// The test's "now", so that the app, the read-back and the CLI see the same month and days.
const now = Date.parse(process.env.TOLLGATE_NOW);
const messages = [{ role: 'user', content: 'Say hello to the budget.' }];

const emulator = await startEmulator();
// The default budget ($30 a month): the one the CLI reads without a config file.
const budget = createBudget({ store: new SqliteStore({ path: databasePath }), clock: () => now });
try {
  const openai = wrapOpenAI(
    new OpenAI({ apiKey: 'test', baseURL: emulator.openaiBaseURL, maxRetries: 0 }),
    budget,
  );
  const anthropic = wrapAnthropic(
    new Anthropic({ apiKey: 'test', baseURL: emulator.anthropicBaseURL, maxRetries: 0 }),
    budget,
  );
  const mistral = wrapMistral(
    new Mistral({ apiKey: 'test', serverURL: emulator.mistralServerURL, retryConfig: { strategy: 'none' } }),
    budget,
  );
  await openai.chat.completions.create({ model: 'gpt-4o-mini', max_tokens: 16, messages });
  await anthropic.messages.create({ model: 'claude-sonnet-4-6', max_tokens: 16, messages });
  await mistral.chat.complete({ model: 'mistral-small-latest', maxTokens: 16, messages });
  const gemini = wrapGoogleGenAI(
    new GoogleGenAI({ apiKey: 'test', httpOptions: { baseUrl: emulator.geminiBaseURL } }),
    budget,
  );
  await gemini.models.generateContent({
    model: 'gemini-2.5-flash',
    contents: messages[0].content,
    config: { maxOutputTokens: 16 },
  });
  // A chat on the wrapped client sends through the gated models: a second google call.
  await gemini.chats.create({ model: 'gemini-2.5-flash' }).sendMessage({ message: messages[0].content });
  // The AI SDK's OpenAI provider through the middleware: a second openai call.
  const aiSdkModel = wrapLanguageModel({
    model: createOpenAI({ apiKey: 'test', baseURL: emulator.openaiBaseURL }).chat('gpt-4o-mini'),
    middleware: tollgateMiddleware(budget),
  });
  await generateText({ model: aiSdkModel, prompt: messages[0].content, maxOutputTokens: 16, maxRetries: 0 });

  const { groups } = await budget.breakdown({ by: ['provider'] });
  const recorded = groups.map((group) => ({
    provider: group.key.provider,
    cost: group.costNano,
    requests: group.measures.requests,
  }));
  console.log(JSON.stringify(recorded));
} finally {
  await budget.close();
  await emulator.close();
}
