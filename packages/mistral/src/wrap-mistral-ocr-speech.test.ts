import { MistralError } from '@mistralai/mistralai/models/errors';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FixtureServer, startFixtureServer } from './mistral-fixture-server';
import { collect, ledger, metered } from './mistral-test-harness';

// The emulator serves neither OCR nor speech, so these run the real SDK against a
// local server answering with recorded-shape fixtures.
let fixtures: FixtureServer;
beforeAll(async () => {
  fixtures = await startFixtureServer();
});
afterAll(async () => {
  await fixtures.close();
});

const pdf = { type: 'document_url' as const, documentUrl: 'https://example.com/report.pdf' };
// Mistral's price page, as in core's catalog: mistral-ocr-2505 at $1 per 1,000 pages.
const perThousandPages = (pages: number) => pages * 1_000_000;

describe('ocr.process', () => {
  it('records usage_info.pages_processed at $1 per 1,000 pages', async () => {
    const { client, store, budget } = metered(fixtures.serverURL);
    const response = await client.ocr.process({ model: 'mistral-ocr-2505', document: pdf, pages: [0, 1, 2] });

    expect(response.usageInfo.pagesProcessed).toBe(3);
    const record = store.committed[0]!;
    expect(record).toMatchObject({ service: 'ocr', pages: 3, estimated: false });
    expect(record.model).toBe(budget.catalog.resolve('mistral', 'mistral-ocr-2505')!.model);
    expect(record.cost).toBe(perThousandPages(3));
    expect(record.reserved).toBe(perThousandPages(3));
    expect(await ledger(budget)).toEqual({ reserved: 0, used: perThousandPages(3) });
  });

  it('reserves assumedPages for a whole document', async () => {
    const { client, store } = metered(fixtures.serverURL, { assumedPages: 50 });
    await client.ocr.process({ model: 'mistral-ocr-2505', document: pdf });
    expect(store.committed[0]!.reserved).toBe(perThousandPages(50));
    expect(store.committed[0]!.cost).toBe(perThousandPages(3));
  });

  it('gates a request without a model as mistral-ocr-latest and records the model that served it', async () => {
    const { client, store } = metered(fixtures.serverURL);
    await client.ocr.process({ model: null, document: pdf });
    expect(fixtures.requests.at(-1)!.body.model).toBeNull();
    expect(store.committed[0]).toMatchObject({
      model: 'mistral-ocr-latest',
      servedModel: 'mistral-ocr-2505',
      pages: 3,
    });
    expect(store.committed[0]!.cost).toBe(perThousandPages(3));
  });

  it('releases the reservation when OCR fails', async () => {
    const { client, store, budget } = metered(fixtures.serverURL);
    await expect(
      client.ocr.process(
        { model: 'mistral-ocr-2505', document: pdf },
        { headers: { 'x-fixture-error-status': '500' } },
      ),
    ).rejects.toBeInstanceOf(MistralError);
    expect(store.committed).toHaveLength(0);
    expect(await ledger(budget)).toEqual({ reserved: 0, used: 0 });
  });
});

describe('audio.speech.complete', () => {
  const input = 'Your order shipped this morning.';
  // An app-supplied price: core's catalog has no Mistral speech price yet.
  const speechPrice = [
    {
      provider: 'mistral',
      model: 'voxtral-mini-tts-2603',
      service: 'tts' as const,
      prices: { perMillionCharacters: 16 },
    },
  ];
  const perMillionCharacters = (characters: number, usd: number) => Math.round(characters * usd * 1_000);
  const budgets = [{ id: 'app', limitUsd: 100, period: 'month' as const }];

  it('records the characters of the input', async () => {
    const { client, store } = metered(fixtures.serverURL, {}, budgets, speechPrice);
    const response = await client.audio.speech.complete({
      model: 'voxtral-mini-tts-2603',
      input,
      voiceId: 'voice_478',
    });

    expect(response.audioData.length).toBeGreaterThan(0);
    expect(store.committed[0]).toMatchObject({ service: 'tts', characters: input.length, estimated: false });
    expect(store.committed[0]!.cost).toBe(perMillionCharacters(input.length, 16));
  });

  it('records a speech stream when it ends, and as estimated when it ends without its done event', async () => {
    const { client, store } = metered(fixtures.serverURL, {}, budgets, speechPrice);
    const events = await collect(
      await client.audio.speech.complete({ model: 'voxtral-mini-tts-2603', input, stream: true }),
    );
    const partial = await collect(
      await client.audio.speech.complete(
        { model: 'voxtral-mini-tts-2603', input, stream: true },
        { headers: { 'x-fixture-events': '2' } },
      ),
    );

    expect(events.map((event) => event.data.type)).toEqual([
      'speech.audio.delta',
      'speech.audio.delta',
      'speech.audio.delta',
      'speech.audio.done',
    ]);
    expect(partial).toHaveLength(2);
    expect(store.committed.map((record) => record.estimated)).toEqual([false, true]);
    expect(store.committed[0]!.cost).toBe(perMillionCharacters(input.length, 16));
  });

  it('records a model the catalog does not price at the fallback price, flagged, never free', async () => {
    const { client, store } = metered(fixtures.serverURL);
    await client.audio.speech.complete({ input });
    const record = store.committed[0]!;
    expect(record.model).toBe('voxtral-mini-tts-2603');
    expect(record.priceSource).toBe('service-fallback');
    expect(record.cost).toBeGreaterThan(0);
    expect(fixtures.requests.at(-1)!.body.model).toBeUndefined();
  });
});
