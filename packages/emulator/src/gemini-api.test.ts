import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { embeddingVector } from './embedding-vectors.js';
import { type Emulator, startEmulator } from './emulator.js';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ ids: 'sequential' });
});
afterAll(() => emulator.close());
beforeEach(() => emulator.reset());

const CONTENTS = [{ role: 'user', parts: [{ text: 'Say hello to the whole team.' }] }];

function post(method: string, body: unknown, headers: Record<string, string> = {}, query = '') {
  return fetch(`${emulator.geminiBaseURL}/v1beta/models/gemini-2.5-flash:${method}${query}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

/** The `data:` payloads of an SSE body. */
function events(text: string): any[] {
  return text
    .split('\n\n')
    .filter((block) => block.startsWith('data: '))
    .map((block) => JSON.parse(block.slice('data: '.length)));
}

describe('Gemini API', () => {
  it('generateContent: one candidate, usageMetadata with the prompt including cached tokens and thoughts beside the candidates', async () => {
    const response = await post(
      'generateContent',
      {
        contents: CONTENTS,
        systemInstruction: { parts: [{ text: 'Be brief.' }] },
        generationConfig: { maxOutputTokens: 5 },
      },
      { 'x-emulator-cached-tokens': '10', 'x-emulator-reasoning-tokens': '7' },
    );
    const body = (await response.json()) as any;
    // ceil((28 + 9) / 4) + 4 × 2 messages = 18 uncached, plus 10 cached.
    expect(body.usageMetadata).toMatchObject({
      promptTokenCount: 28,
      cachedContentTokenCount: 10,
      candidatesTokenCount: 5,
      thoughtsTokenCount: 7,
      totalTokenCount: 40,
    });
    expect(body.candidates[0].finishReason).toBe('MAX_TOKENS');
    expect(body.candidates[0].content.parts[0].text.split(' ')).toHaveLength(5);
    expect(body.modelVersion).toBe('gemini-2.5-flash');
    expect(body.responseId).toBe('gemini-emulator000001');
    expect(emulator.requests[0]).toMatchObject({
      provider: 'google',
      endpoint: 'models.generateContent',
      status: 200,
    });
  });

  it('streamGenerateContent: a chunk per token, the usage on the last chunk only', async () => {
    const response = await post(
      'streamGenerateContent',
      { contents: CONTENTS },
      { 'x-emulator-output-tokens': '3' },
      '?alt=sse',
    );
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const chunks = events(await response.text());
    expect(chunks).toHaveLength(4);
    expect(chunks.slice(0, 3).every((chunk) => chunk.usageMetadata === undefined)).toBe(true);
    expect(chunks[3]).toMatchObject({
      candidates: [{ finishReason: 'STOP' }],
      usageMetadata: { candidatesTokenCount: 3 },
    });
    expect(emulator.requests[0]?.endpoint).toBe('models.streamGenerateContent');
  });

  it('sends a supplied usage as it is, and cuts a stream before its usage', async () => {
    const plain = await post(
      'generateContent',
      { contents: CONTENTS },
      { 'x-emulator-usage-json': '{"promptTokenCount":-5}' },
    );
    expect(await plain.text()).toContain('"usageMetadata":{"promptTokenCount":-5}');
    const cut = await post(
      'streamGenerateContent',
      { contents: CONTENTS },
      { 'x-emulator-drop-after-chunks': '2' },
      '?alt=sse',
    );
    await expect(cut.text()).rejects.toThrow();
  });

  it('countTokens counts the contents by the same formula', async () => {
    const response = await post('countTokens', { contents: CONTENTS });
    expect(((await response.json()) as any).totalTokens).toBe(7 + 4);
  });

  it('batchEmbedContents and embedContent: deterministic vectors and usageMetadata', async () => {
    const batch = await post('batchEmbedContents', {
      requests: [
        { model: 'models/gemini-embedding-001', content: { parts: [{ text: 'first input' }] } },
        {
          model: 'models/gemini-embedding-001',
          content: { parts: [{ text: 'second' }] },
          outputDimensionality: 8,
        },
      ],
    });
    const body = (await batch.json()) as any;
    expect(body.embeddings[0].values).toEqual(embeddingVector('first input', 768));
    expect(body.embeddings[1].values).toHaveLength(8);
    expect(body.usageMetadata).toEqual({ promptTokenCount: 5, totalTokenCount: 5 });
    const single = await post('embedContent', { content: { parts: [{ text: 'abcd' }] } });
    expect(((await single.json()) as any).usageMetadata.promptTokenCount).toBe(1);
  });

  it("answers errors in Google's shape, and knows only the Gemini methods it serves", async () => {
    const failed = await post(
      'generateContent',
      { contents: CONTENTS },
      { 'x-emulator-error-status': '429' },
    );
    expect(failed.status).toBe(429);
    expect(await failed.json()).toMatchObject({ error: { code: 429, status: 'RESOURCE_EXHAUSTED' } });
    const unknown = await post('predict', {});
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as any).error.status).toBe('NOT_FOUND');
  });
});
