// The CommonJS twin of record-spend.mjs: the same calls, loaded with require().
const { createOpenAI } = require('@ai-sdk/openai');
const { default: Anthropic } = require('@anthropic-ai/sdk');
const { GoogleGenAI } = require('@google/genai');
const { Mistral } = require('@mistralai/mistralai');
const { tollgateMiddleware } = require('@tollgate/ai-sdk');
const { wrapAnthropic } = require('@tollgate/anthropic');
const { createBudget } = require('@tollgate/core');
const { startEmulator } = require('@tollgate/emulator');
const { wrapGoogleGenAI } = require('@tollgate/google');
const { wrapMistral } = require('@tollgate/mistral');
const { wrapOpenAI } = require('@tollgate/openai');
const { SqliteStore } = require('@tollgate/sqlite');
const { generateText, wrapLanguageModel } = require('ai');
const { default: OpenAI } = require('openai');

async function main() {
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
      new Mistral({
        apiKey: 'test',
        serverURL: emulator.mistralServerURL,
        retryConfig: { strategy: 'none' },
      }),
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
    await generateText({
      model: aiSdkModel,
      prompt: messages[0].content,
      maxOutputTokens: 16,
      maxRetries: 0,
    });

    const { groups } = await budget.breakdown({ by: ['provider'] });
    const recorded = groups.map((group) => ({
      provider: group.key.provider,
      cost: group.cost,
      requests: group.measures.requests,
    }));
    console.log(JSON.stringify(recorded));
  } finally {
    await budget.close();
    await emulator.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
