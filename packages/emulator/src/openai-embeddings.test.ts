import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embeddingVector } from './embedding-vectors.js';
import { type Emulator, startEmulator } from './emulator.js';
import { openaiClient } from './sdk-test-clients.js';

describe('OpenAI embeddings', () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator();
  });
  afterAll(() => emulator.close());

  it('answers the SDK default (base64 on the wire) with decoded float vectors', async () => {
    const client = openaiClient(emulator);
    const result = await client.embeddings.create({
      model: 'text-embedding-3-small',
      input: ['budget', 'tokens!'],
    });
    expect(emulator.requests.at(-1)?.body).toMatchObject({ encoding_format: 'base64' });
    expect(result.data).toHaveLength(2);
    expect(result.data[0]?.embedding).toHaveLength(1536);
    expect(result.data[0]?.embedding).toEqual(embeddingVector('budget', 1536));
    expect(result.usage).toEqual({ prompt_tokens: 2 + 2, total_tokens: 4 });
  });

  it('returns float arrays when asked and honours dimensions', async () => {
    const client = openaiClient(emulator);
    const first = await client.embeddings.create({
      model: 'text-embedding-3-large',
      input: 'same text',
      encoding_format: 'float',
      dimensions: 8,
    });
    const second = await client.embeddings.create({
      model: 'text-embedding-3-large',
      input: 'same text',
      encoding_format: 'float',
      dimensions: 8,
    });
    const vector = first.data[0]!.embedding;
    expect(vector).toHaveLength(8);
    expect(second.data[0]?.embedding).toEqual(vector);
    expect(Math.hypot(...vector)).toBeCloseTo(1, 5);
  });

  it('returns base64 strings when asked explicitly', async () => {
    const result = await openaiClient(emulator).embeddings.create({
      model: 'text-embedding-3-small',
      input: 'abc',
      encoding_format: 'base64',
    });
    const embedding = result.data[0]?.embedding as unknown as string;
    expect(typeof embedding).toBe('string');
    expect(Buffer.from(embedding, 'base64').length).toBe(1536 * 4);
  });

  it('counts token-array inputs by their length', async () => {
    const result = await openaiClient(emulator).embeddings.create({
      model: 'text-embedding-3-small',
      input: [[1, 2, 3], [4]],
    });
    expect(result.usage.prompt_tokens).toBe(4);
  });
});
