import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embeddingVector } from './embedding-vectors.js';
import { type Emulator, startEmulator } from './emulator.js';
import { mistralClient } from './sdk-test-clients.js';

describe('Mistral embeddings', () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator();
  });
  afterAll(() => emulator.close());

  it('returns deterministic 1024-dimension vectors and usage', async () => {
    const result = await mistralClient(emulator).embeddings.create({
      model: 'mistral-embed',
      inputs: ['first input', 'second'],
    });
    expect(result.data.map((item) => item.index)).toEqual([0, 1]);
    expect(result.data[0]?.embedding).toEqual(embeddingVector('first input', 1024));
    expect(result.usage).toEqual({ promptTokens: 3 + 2, completionTokens: 0, totalTokens: 5 });
  });

  it('honours output_dimension', async () => {
    const result = await mistralClient(emulator).embeddings.create({
      model: 'codestral-embed',
      inputs: 'code',
      outputDimension: 16,
    });
    expect(result.data[0]?.embedding).toHaveLength(16);
  });
});
