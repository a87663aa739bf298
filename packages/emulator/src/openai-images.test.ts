import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from './emulator.js';
import { openaiClient } from './sdk-test-clients.js';

describe('OpenAI image generations', () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator();
  });
  afterAll(() => emulator.close());

  it('returns b64_json images and the published output tokens for gpt-image models', async () => {
    const result = await openaiClient(emulator).images.generate({
      model: 'gpt-image-1',
      prompt: 'A lighthouse at dusk',
      n: 2,
      size: '1024x1536',
      quality: 'high',
    });
    expect(result.data).toHaveLength(2);
    expect(
      Buffer.from(result.data?.[0]?.b64_json ?? '', 'base64')
        .subarray(1, 4)
        .toString('ascii'),
    ).toBe('PNG');
    expect(result.usage).toEqual({
      input_tokens: 5,
      input_tokens_details: { text_tokens: 5, image_tokens: 0 },
      output_tokens: 2 * 6240,
      output_tokens_details: { image_tokens: 2 * 6240, text_tokens: 0 },
      total_tokens: 5 + 2 * 6240,
    });
  });

  it('returns no usage for dall-e models', async () => {
    const result = await openaiClient(emulator).images.generate({
      model: 'dall-e-3',
      prompt: 'A lighthouse',
      response_format: 'b64_json',
    });
    expect(result.data?.[0]?.b64_json).toBeTruthy();
    expect(result.data?.[0]?.revised_prompt).toBe('A lighthouse');
    expect(result.usage).toBeUndefined();
  });
});
