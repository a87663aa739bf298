import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PriceCatalog } from '../catalog/price-catalog';
import { ValidationError } from '../errors/validation-error';
import { createUsage, SERVICE_TYPES, type ServiceType } from '../usage';
import { priceUsage } from './price-usage';

const catalog = new PriceCatalog();
const at = new Date('2026-11-01T00:00:00Z');

describe('priceUsage', () => {
  it("uses the model's own price first", () => {
    const cost = priceUsage(catalog, {
      provider: 'openai',
      model: 'gpt-4o-mini',
      usage: createUsage({ inputTokens: 10_000, cacheReadTokens: 2_000, outputTokens: 1_000 }),
      at,
    });
    // 10,000 × $0.15/M + 2,000 × $0.075/M + 1,000 × $0.60/M
    expect(cost.total).toBe(1_500_000 + 150_000 + 600_000);
    expect(cost).toMatchObject({
      provider: 'openai',
      model: 'gpt-4o-mini',
      source: 'genai-prices',
      unpriced: [],
    });
  });

  it('falls back to the generic price of the service for an unknown model', () => {
    const llm = priceUsage(catalog, {
      provider: 'acme',
      model: 'acme-chat',
      usage: createUsage({ inputTokens: 1_000, outputTokens: 100 }),
      at,
    });
    // The generic LLM price is a flagship's: $3 / $15 per million.
    expect(llm.total).toBe(3_000_000 + 1_500_000);
    expect(llm.source).toBe('service-fallback');
    expect(llm).toMatchObject({ provider: 'acme', model: 'acme-chat' });

    const stt = priceUsage(catalog, {
      provider: 'acme',
      model: 'acme-listen',
      service: 'stt',
      usage: createUsage({ audioSeconds: 60 }),
      at,
    });
    expect(stt).toMatchObject({ total: 6_000_000, source: 'service-fallback' });
    const tts = priceUsage(catalog, {
      provider: 'acme',
      model: 'acme-speak',
      service: 'tts',
      usage: createUsage({ characters: 1_000 }),
      at,
    });
    expect(tts).toMatchObject({ total: 30_000_000, source: 'service-fallback' });
    const ocr = priceUsage(catalog, {
      provider: 'acme',
      model: 'acme-read',
      service: 'ocr',
      usage: createUsage({ pages: 10 }),
      at,
    });
    expect(ocr).toMatchObject({ total: 30_000_000, source: 'service-fallback' });
  });

  it('falls back when a known model does not price what the usage reports', () => {
    // whisper-1 is priced per minute; a usage in tokens only is priced by the generic speech-to-text price.
    const cost = priceUsage(catalog, {
      provider: 'openai',
      model: 'whisper-1',
      usage: createUsage({ inputTokens: 1_000, outputTokens: 100 }),
      at,
    });
    expect(cost.source).toBe('service-fallback');
    expect(cost.total).toBe(2_500_000 + 1_000_000);
  });

  it('charges the minimal $0.01 when nothing else can price the call', () => {
    const cost = priceUsage(catalog, { provider: 'acme', model: 'acme-chat', usage: createUsage(), at });
    expect(cost).toEqual({
      total: 10_000_000,
      lines: [{ component: 'request', units: 1, rate: { nanoUsd: 10_000_000, per: 1 }, cost: 10_000_000 }],
      provider: 'acme',
      model: 'acme-chat',
      service: 'llm',
      source: 'minimal-fallback',
      unpriced: [],
    });
    // A usage the generic price does not charge either (web searches of an unknown embedding model).
    const searches = priceUsage(catalog, {
      provider: 'acme',
      model: 'acme-embed',
      service: 'embedding',
      usage: createUsage({ webSearches: 4 }),
      at,
    });
    expect(searches).toMatchObject({ total: 10_000_000, source: 'minimal-fallback' });
  });

  it('never prices an unknown non-local model at $0', () => {
    const count = fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 2_000_000 }));
    const usage = fc
      .record({
        inputTokens: count,
        outputTokens: count,
        cacheReadTokens: count,
        audioSeconds: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 10_000, noNaN: true })),
        characters: count,
        images: fc.integer({ min: 0, max: 5 }),
        pages: fc.integer({ min: 0, max: 500 }),
        webSearches: fc.integer({ min: 0, max: 5 }),
      })
      .map((input) => createUsage(input));
    const id = fc.stringMatching(/^[a-z][a-z0-9-]{0,30}$/);
    fc.assert(
      fc.property(
        id,
        id,
        fc.option(fc.constantFrom(...SERVICE_TYPES), { nil: undefined }),
        usage,
        (provider, model, service, used) => {
          if (provider === 'ollama' || catalog.resolve(provider, model, at)) return;
          const cost = priceUsage(catalog, {
            provider,
            model,
            usage: used,
            at,
            ...(service ? { service } : {}),
          });
          expect(cost.total).toBeGreaterThan(0);
          expect(['service-fallback', 'minimal-fallback']).toContain(cost.source);
        },
      ),
      { numRuns: 500, seed: 17 },
    );
  });

  it('prices a local model at $0, however much it used', () => {
    const cost = priceUsage(catalog, {
      provider: 'ollama',
      model: 'llama3.2',
      usage: createUsage({ inputTokens: 1_000_000, outputTokens: 500_000 }),
      at,
    });
    expect(cost).toMatchObject({ total: 0, lines: [], unpriced: [], source: 'tollgate' });
    expect(
      priceUsage(catalog, { provider: 'ollama', model: 'llama3.2', usage: createUsage(), at }).total,
    ).toBe(0);
  });

  it('prices a known model with nothing used at $0', () => {
    const cost = priceUsage(catalog, {
      provider: 'anthropic',
      model: 'claude-haiku-4-5',
      usage: createUsage(),
      at,
    });
    expect(cost).toMatchObject({ total: 0, source: 'genai-prices', lines: [], unpriced: [] });
  });

  it('keeps the model price and lists the units it does not charge', () => {
    const cost = priceUsage(catalog, {
      provider: 'openai',
      model: 'gpt-4o',
      usage: createUsage({ inputTokens: 1_000, images: 2 }),
      at,
    });
    expect(cost.source).toBe('genai-prices');
    expect(cost.total).toBe(2_500_000);
    expect(cost.unpriced).toEqual(['images']);
  });

  it('prices by the price in effect at the time of the call', () => {
    const usage = createUsage({ inputTokens: 1_000_000 });
    expect(
      priceUsage(catalog, { provider: 'openai', model: 'o3', usage, at: new Date('2025-05-01T00:00:00Z') })
        .total,
    ).toBe(10_000_000_000);
    expect(priceUsage(catalog, { provider: 'openai', model: 'o3', usage, at }).total).toBe(2_000_000_000);
  });

  it('rejects bad ids and an unknown service with a ValidationError naming the field', () => {
    const usage = createUsage({ inputTokens: 10 });
    const fieldOf = (call: () => unknown) => {
      try {
        call();
      } catch (error) {
        expect(ValidationError.isInstance(error)).toBe(true);
        return (error as ValidationError).field;
      }
      throw new Error('expected a ValidationError');
    };
    expect(fieldOf(() => priceUsage(catalog, { provider: '', model: 'gpt-4o', usage }))).toBe('provider');
    expect(fieldOf(() => priceUsage(catalog, { provider: 'openai', model: '', usage }))).toBe('model');
    expect(
      fieldOf(() =>
        priceUsage(catalog, { provider: 'acme', model: 'x', service: 'video' as ServiceType, usage }),
      ),
    ).toBe('service');
    expect(
      fieldOf(() =>
        priceUsage(catalog, { provider: 'openai', model: 'gpt-4o', service: 'video' as ServiceType, usage }),
      ),
    ).toBe('service');
  });
});
