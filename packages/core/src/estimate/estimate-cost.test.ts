import * as cl100k from 'gpt-tokenizer/encoding/cl100k_base';
import * as o200k from 'gpt-tokenizer/encoding/o200k_base';
import { describe, expect, it } from 'vitest';
import { PriceCatalog } from '../catalog/price-catalog';
import { ValidationError } from '../errors/validation-error';
import { CONFIDENCE, type EstimateRequest, estimateWithCatalog } from './estimate-cost';
import { countTokens } from './token-counter';

const catalog = new PriceCatalog();
const at = new Date('2026-11-01T00:00:00Z');
const estimate = (request: Omit<EstimateRequest, 'at'>) => estimateWithCatalog(catalog, { at, ...request });

const PROMPT = 'Summarise the attached quarterly report in three bullet points for the board. '.repeat(12);

describe('estimateWithCatalog', () => {
  it("returns the original system's fields: cost, provider, service type, tokens estimated, confidence", () => {
    const result = estimate({
      provider: 'openai',
      model: 'gpt-4o-2024-08-06',
      inputTokens: 1_000,
      maxOutputTokens: 500,
    });
    // 1,000 × $2.50/M + 500 × $10/M
    expect(result).toMatchObject({
      costNano: 7_500_000,
      costUsd: 0.0075,
      provider: 'openai',
      model: 'gpt-4o-2024-08-06',
      catalogModel: 'gpt-4o',
      serviceType: 'llm',
      tokensEstimated: 1_500,
      inputTokens: 1_000,
      outputTokens: 500,
      confidence: 0.9,
      layer: 'model-price',
      tokenCount: 'given',
      local: false,
    });
    expect(result.breakdown.total).toBe(result.costNano);
    expect(result.usage.output.total).toBe(500);
  });

  it('has three confidence layers: model price 0.9, service price 0.5, minimal $0.01 0.1', () => {
    expect(CONFIDENCE).toEqual({ 'model-price': 0.9, 'service-fallback': 0.5, 'minimal-fallback': 0.1 });

    const known = estimate({
      provider: 'anthropic',
      model: 'claude-haiku-4-5',
      inputTokens: 2_000,
      maxOutputTokens: 100,
    });
    expect(known).toMatchObject({ layer: 'model-price', confidence: 0.9, costNano: 2_000_000 + 500_000 });

    const unknown = estimate({
      provider: 'acme',
      model: 'acme-chat',
      inputTokens: 1_000,
      maxOutputTokens: 100,
    });
    expect(unknown).toMatchObject({
      layer: 'service-fallback',
      confidence: 0.5,
      costNano: 3_000_000 + 1_500_000,
      provider: 'acme',
      model: 'acme-chat',
    });

    const unknownSpeech = estimate({
      provider: 'acme',
      model: 'acme-listen',
      service: 'stt',
      audioSeconds: 60,
    });
    expect(unknownSpeech).toMatchObject({
      layer: 'service-fallback',
      confidence: 0.5,
      costNano: 6_000_000,
      serviceType: 'stt',
    });

    const nothing = estimate({ provider: 'acme', model: 'acme-chat', inputTokens: 0, maxOutputTokens: 0 });
    expect(nothing).toMatchObject({
      layer: 'minimal-fallback',
      confidence: 0.1,
      costNano: 10_000_000,
      costUsd: 0.01,
    });
  });

  it('estimates an LLM call with no tokens at all at $0 with low confidence', () => {
    for (const request of [
      { provider: 'openai', model: 'gpt-4o', inputTokens: 0, maxOutputTokens: 0 },
      { provider: 'anthropic', model: 'claude-sonnet-4-5', text: '', maxOutputTokens: 0 },
      { provider: 'mistral', model: 'mistral-large-latest', text: [], maxOutputTokens: 0 },
    ]) {
      const result = estimate(request);
      expect(result.costNano).toBe(0);
      expect(result.tokensEstimated).toBe(0);
      expect(result.confidence).toBe(CONFIDENCE['minimal-fallback']);
    }
  });

  it("reserves the worst case: maxOutputTokens, else the model's maximum output", () => {
    const gpt4o = estimate({ provider: 'openai', model: 'gpt-4o', inputTokens: 1_000 });
    expect(gpt4o.outputTokens).toBe(16_384);
    expect(gpt4o.costNano).toBe(2_500_000 + 16_384 * 10_000);
    const sonnet = estimate({ provider: 'anthropic', model: 'claude-sonnet-4-5', inputTokens: 1_000 });
    expect(sonnet.outputTokens).toBe(64_000);
    expect(sonnet.costNano).toBe(3_000_000 + 64_000 * 15_000);
    expect(estimate({ provider: 'openai', model: 'o3', inputTokens: 10 }).outputTokens).toBe(100_000);
    expect(estimate({ provider: 'acme', model: 'acme-chat', inputTokens: 10 }).outputTokens).toBe(8_192);
    expect(
      estimate({ provider: 'openai', model: 'gpt-4o', inputTokens: 1_000, maxOutputTokens: 256 })
        .outputTokens,
    ).toBe(256);

    const custom = new PriceCatalog({
      prices: [
        {
          provider: 'acme',
          model: 'acme-chat',
          prices: { inputPerMTok: 1, outputPerMTok: 2 },
          maxOutputTokens: 2_048,
        },
      ],
    });
    expect(
      estimateWithCatalog(custom, { provider: 'acme', model: 'acme-chat', inputTokens: 0, at }).outputTokens,
    ).toBe(2_048);
  });

  it('counts OpenAI prompts exactly with gpt-tokenizer', () => {
    const result = estimate({ provider: 'openai', model: 'gpt-4o', text: PROMPT, maxOutputTokens: 0 });
    expect(result.inputTokens).toBe(o200k.encode(PROMPT).length);
    expect(result.tokenCount).toBe('exact');
    expect(result.costNano).toBe(result.inputTokens * 2_500);

    const gpt4 = estimate({ provider: 'openai', model: 'gpt-4-turbo', text: PROMPT, maxOutputTokens: 0 });
    expect(gpt4.inputTokens).toBe(cl100k.encode(PROMPT).length);

    const messages = ['You are terse.', PROMPT, 'Thanks!'];
    const several = estimate({
      provider: 'openai',
      model: 'gpt-4o-mini',
      text: messages,
      overheadTokens: 11,
      maxOutputTokens: 0,
    });
    expect(several.inputTokens).toBe(
      messages.reduce((total, text) => total + o200k.encode(text).length, 0) + 11,
    );
  });

  it('prices Anthropic prompts at their upper bound, with the heuristic count beside it, and Mistral prompts exactly', () => {
    const claude = estimate({
      provider: 'anthropic',
      model: 'claude-sonnet-4-5',
      text: PROMPT,
      maxOutputTokens: 100,
    });
    const counted = countTokens(PROMPT, 'anthropic', 'claude-sonnet-4-5');
    expect(claude.tokenCount).toBe('heuristic');
    expect(claude.inputTokens).toBe(counted.upperBound);
    expect(claude.likelyInputTokens).toBe(counted.tokens);
    expect(claude.likelyInputTokens).toBeLessThan(claude.inputTokens);
    expect(claude.costNano).toBe(claude.inputTokens * 3_000 + 100 * 15_000);

    const likely = estimateWithCatalog(
      catalog,
      {
        at,
        provider: 'anthropic',
        model: 'claude-sonnet-4-5',
        text: PROMPT,
        maxOutputTokens: 100,
        overheadTokens: 5,
      },
      undefined,
      'likely',
    );
    expect(likely).toMatchObject({ inputTokens: counted.tokens + 5, likelyInputTokens: counted.tokens + 5 });
    expect(likely.costNano).toBe((counted.tokens + 5) * 3_000 + 100 * 15_000);

    const mistral = estimate({
      provider: 'mistral',
      model: 'mistral-large-latest',
      text: PROMPT,
      maxOutputTokens: 100,
    });
    // Counted exactly (Tekken), so the hold is the count itself.
    expect(mistral.tokenCount).toBe('exact');
    expect(mistral.inputTokens).toBe(countTokens(PROMPT, 'mistral', 'mistral-large-latest').tokens);
    expect(mistral.inputTokens).toBeLessThan(Buffer.byteLength(PROMPT) / 3);
    expect(mistral.likelyInputTokens).toBe(mistral.inputTokens);

    // Exact counts are the same either way.
    const gpt = estimate({ provider: 'openai', model: 'gpt-4o', text: PROMPT, maxOutputTokens: 100 });
    expect(gpt.likelyInputTokens).toBe(gpt.inputTokens);

    // Tokens given by the caller win over the text.
    expect(
      estimate({
        provider: 'anthropic',
        model: 'claude-sonnet-4-5',
        text: PROMPT,
        inputTokens: 7,
        maxOutputTokens: 0,
      }),
    ).toMatchObject({
      inputTokens: 7,
      tokenCount: 'given',
    });
  });

  it('estimates speech to text from the duration', () => {
    expect(estimate({ provider: 'openai', model: 'whisper-1', audioSeconds: 90 })).toMatchObject({
      costNano: 9_000_000,
      serviceType: 'stt',
      confidence: 0.9,
    });
    expect(estimate({ provider: 'mistral', model: 'voxtral-mini-2507', audioSeconds: 600 }).costNano).toBe(
      10_000_000,
    );
    expect(estimate({ provider: 'ibm_watson', model: 'speech-to-text', audioSeconds: 60 }).costNano).toBe(
      20_000_000,
    );
    // Token-priced transcription models are estimated in audio and transcript tokens.
    const tokens = estimate({ provider: 'openai', model: 'gpt-4o-transcribe', audioSeconds: 60 });
    expect(tokens.serviceType).toBe('stt');
    expect(tokens.usage.input.audio).toBeGreaterThan(0);
    expect(tokens.usage.output.total).toBeGreaterThan(0);
    expect(tokens.costNano).toBe(tokens.usage.input.audio * 6_000 + tokens.usage.output.total * 10_000);
  });

  it('estimates speech to text from the file size at 64 kbps unless told otherwise', () => {
    // 960,000 bytes at 64 kbps (8,000 bytes a second) are 120 s: $0.012 on whisper-1.
    const fromSize = estimate({ provider: 'openai', model: 'whisper-1', audioBytes: 960_000 });
    expect(fromSize.usage.audioSeconds).toBe(120);
    expect(fromSize.costNano).toBe(12_000_000);
    const at128 = estimate({
      provider: 'openai',
      model: 'whisper-1',
      audioBytes: 960_000,
      assumedAudioKbps: 128,
    });
    expect(at128.usage.audioSeconds).toBe(60);
    expect(at128.costNano).toBe(6_000_000);
    // A known duration wins over the size.
    expect(
      estimate({ provider: 'openai', model: 'whisper-1', audioBytes: 960_000, audioSeconds: 30 }).costNano,
    ).toBe(3_000_000);
  });

  it('estimates text to speech from the characters', () => {
    const text = 'x'.repeat(1_000);
    expect(estimate({ provider: 'openai', model: 'tts-1', text })).toMatchObject({
      costNano: 15_000_000,
      serviceType: 'tts',
    });
    expect(estimate({ provider: 'openai', model: 'tts-1-hd', text }).costNano).toBe(30_000_000);
    expect(estimate({ provider: 'openai', model: 'tts-1', characters: 2_000 }).costNano).toBe(30_000_000);
    expect(estimate({ provider: 'ibm_watson', model: 'text-to-speech', text }).costNano).toBe(20_000_000);
    expect(
      estimate({ provider: 'ibm_watson', model: 'en-US_AllisonV3Voice', characters: 500 }).costNano,
    ).toBe(10_000_000);
    // gpt-4o-mini-tts bills text tokens in and audio tokens out.
    const tokens = estimate({
      provider: 'openai',
      model: 'gpt-4o-mini-tts',
      text: 'Hello there, how are you today?',
    });
    expect(tokens.usage.output.audio).toBeGreaterThan(0);
    expect(tokens.usage.input.total).toBe(o200k.encode('Hello there, how are you today?').length);
    expect(tokens.costNano).toBe(tokens.usage.input.total * 600 + tokens.usage.output.audio * 12_000);
  });

  it('estimates embeddings from the input alone', () => {
    const result = estimate({ provider: 'openai', model: 'text-embedding-3-small', text: PROMPT });
    expect(result.serviceType).toBe('embedding');
    expect(result.outputTokens).toBe(0);
    expect(result.inputTokens).toBe(cl100k.encode(PROMPT).length);
    expect(result.costNano).toBe(result.inputTokens * 20);
    expect(estimate({ provider: 'mistral', model: 'mistral-embed', inputTokens: 10_000 }).costNano).toBe(
      1_000_000,
    );
  });

  it('estimates images and pages', () => {
    expect(estimate({ provider: 'openai', model: 'dall-e-3', images: 2 })).toMatchObject({
      costNano: 80_000_000,
      serviceType: 'image',
    });
    expect(estimate({ provider: 'openai', model: 'dall-e-3' }).costNano).toBe(40_000_000);
    expect(estimate({ provider: 'mistral', model: 'mistral-ocr-2505', pages: 10 })).toMatchObject({
      costNano: 10_000_000,
      serviceType: 'ocr',
    });
  });

  it('estimates a local model at $0 with the confidence of a known price', () => {
    const result = estimate({ provider: 'ollama', model: 'llama3.2', text: PROMPT });
    expect(result).toMatchObject({
      costNano: 0,
      local: true,
      confidence: 0.9,
      layer: 'model-price',
      tokenCount: 'heuristic',
    });
    expect(result.outputTokens).toBe(8_192);
  });

  it('estimates with the price in effect at the given time', () => {
    const request = { provider: 'openai', model: 'o3', inputTokens: 1_000_000, maxOutputTokens: 0 };
    expect(estimateWithCatalog(catalog, { ...request, at: new Date('2025-05-01T00:00:00Z') }).costNano).toBe(
      10_000_000_000,
    );
    expect(estimateWithCatalog(catalog, { ...request, at }).costNano).toBe(2_000_000_000);
  });
});

describe('estimateWithCatalog validation', () => {
  const fieldOf = (request: Record<string, unknown>) => {
    try {
      estimate({ provider: 'openai', model: 'gpt-4o', ...request } as EstimateRequest);
    } catch (error) {
      expect(ValidationError.isInstance(error)).toBe(true);
      expect((error as Error).name).toBe('ValidationError');
      return (error as ValidationError).field;
    }
    throw new Error('expected a ValidationError');
  };

  it.each([-1, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1.5, 1e13, '100', null])(
    'rejects %s tokens naming the field',
    (value) => {
      expect(fieldOf({ inputTokens: value })).toBe('inputTokens');
      expect(fieldOf({ inputTokens: 10, maxOutputTokens: value })).toBe('maxOutputTokens');
      expect(fieldOf({ inputTokens: 10, overheadTokens: value })).toBe('overheadTokens');
    },
  );

  it('rejects unknown service types and bad ids', () => {
    expect(fieldOf({ service: 'video' })).toBe('service');
    expect(fieldOf({ service: '' })).toBe('service');
    expect(fieldOf({ provider: '' })).toBe('provider');
    expect(fieldOf({ model: '' })).toBe('model');
    expect(fieldOf({ provider: 'x'.repeat(257) })).toBe('provider');
    expect(fieldOf({ model: '$gt' })).toBe('model');
    expect(fieldOf({ provider: 42 })).toBe('provider');
    expect(fieldOf({ at: new Date('not a date') })).toBe('at');
  });

  it('rejects bad audio, characters, images and pages', () => {
    expect(fieldOf({ model: 'whisper-1', audioSeconds: -1 })).toBe('audioSeconds');
    expect(fieldOf({ model: 'whisper-1', audioSeconds: Number.NaN })).toBe('audioSeconds');
    expect(fieldOf({ model: 'whisper-1', audioSeconds: 1e8 })).toBe('audioSeconds');
    expect(fieldOf({ model: 'whisper-1', audioBytes: 11 * 1024 ** 3 })).toBe('audioBytes');
    expect(fieldOf({ model: 'whisper-1', audioBytes: 1.5 })).toBe('audioBytes');
    expect(fieldOf({ model: 'whisper-1', audioBytes: 1_000, assumedAudioKbps: -64 })).toBe(
      'assumedAudioKbps',
    );
    expect(fieldOf({ model: 'tts-1', characters: -5 })).toBe('characters');
    expect(fieldOf({ model: 'tts-1', characters: 1e13 })).toBe('characters');
    expect(fieldOf({ model: 'dall-e-3', images: 1e13 })).toBe('images');
    expect(fieldOf({ model: 'dall-e-3', images: -1 })).toBe('images');
    expect(fieldOf({ provider: 'mistral', model: 'mistral-ocr-2505', pages: 2.5 })).toBe('pages');
  });

  it('rejects text that is not text, or absurdly long', () => {
    expect(fieldOf({ text: ['fine', 42] })).toBe('text[1]');
    expect(fieldOf({ text: 42 })).toBe('text');
    expect(fieldOf({ text: { content: 'hi' } })).toBe('text');
    expect(fieldOf({ provider: 'anthropic', model: 'claude-sonnet-4-5', text: 'a'.repeat(50_000_001) })).toBe(
      'text.length',
    );
  });
});
