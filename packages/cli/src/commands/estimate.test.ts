import { describe, expect, it } from 'vitest';
import { runTollgate } from '../testing/run-tollgate';

describe('tollgate estimate', () => {
  it('gives the exact cost, provider, service, tokens, confidence and layer', async () => {
    const run = await runTollgate([
      'estimate',
      '--model',
      'gpt-4o-mini',
      '--input-tokens',
      '1200',
      '--output-tokens',
      '400',
      '--json',
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    // $0.15 and $0.60 per million tokens: 1,200 × 150 + 400 × 600 nano-USD.
    expect(JSON.parse(run.stdout)).toEqual({
      schemaVersion: 1,
      provider: 'openai',
      model: 'gpt-4o-mini',
      service: 'llm',
      costUsd: 0.00042,
      costNano: 420_000,
      cost: { usd: 0.00042, nanoUsd: 420_000 },
      tokens: { input: 1200, likelyInput: 1200, output: 400, total: 1600 },
      tokenCount: 'given',
      confidence: 0.9,
      layer: 'model-price',
      local: false,
      lines: [
        {
          component: 'input',
          units: 1200,
          rate: expect.any(Object),
          costUsd: 0.00018,
          costNano: 180_000,
          cost: { usd: 0.00018, nanoUsd: 180_000 },
        },
        {
          component: 'output',
          units: 400,
          rate: expect.any(Object),
          costUsd: 0.00024,
          costNano: 240_000,
          cost: { usd: 0.00024, nanoUsd: 240_000 },
        },
      ],
    });
  });

  it('prints the same figures as text', async () => {
    const run = await runTollgate([
      'estimate',
      '--model',
      'gpt-4o-mini',
      '--input-tokens',
      '1200',
      '--output-tokens',
      '400',
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('gpt-4o-mini  openai · llm');
    expect(run.stdout).toMatch(/cost\s+\$0\.00042 {2}\(420,000 nano-USD\)/);
    expect(run.stdout).toMatch(/tokens\s+1,200 input \+ 400 output = 1,600/);
    expect(run.stdout).toMatch(/confidence\s+0\.9 \(model-price/);
    expect(run.stdout).not.toContain('--output-tokens');
  });

  it("says when it priced the model's largest output because no --output-tokens was given", async () => {
    const run = await runTollgate(['estimate', '--model', 'gpt-4o-mini', '--text', 'Hello']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/tokens\s+1 input \+ 16,384 output/);
    expect(run.stdout).toContain(
      "Priced at the model's largest output (16,384 tokens), the worst case a gate holds; pass --output-tokens <n> for your call's limit.",
    );
  });

  it('prices an unknown model with the fallback layers, flagged with a lower confidence', async () => {
    const run = await runTollgate([
      'estimate',
      '--model',
      'in-house-model',
      '--provider',
      'acme',
      '--input-tokens',
      '1000',
      '--output-tokens',
      '100',
      '--json',
    ]);
    expect(run.code).toBe(0);
    const estimate = JSON.parse(run.stdout);
    expect(estimate).toMatchObject({ provider: 'acme', layer: 'service-fallback', confidence: 0.5 });
    expect(estimate.costNano).toBeGreaterThan(0);
  });

  it('counts prompt tokens from --text and prices speech by the minute', async () => {
    const text = await runTollgate([
      'estimate',
      '--model',
      'gpt-4o-mini',
      '--text',
      'Hello, world',
      '--output-tokens',
      '10',
      '--json',
    ]);
    expect(JSON.parse(text.stdout)).toMatchObject({ tokenCount: 'exact', tokens: { output: 10 } });
    const speech = await runTollgate([
      'estimate',
      '--model',
      'voxtral-mini-2507',
      '--audio-seconds',
      '90',
      '--json',
    ]);
    expect(JSON.parse(speech.stdout)).toMatchObject({
      provider: 'mistral',
      service: 'stt',
      cost: { nanoUsd: 1_500_000 },
    });
  });

  it('prices a Claude prompt at its upper bound and shows the likely count beside it', async () => {
    const prompt = 'Summarise the quarterly report in three bullet points, please.';
    const args = ['estimate', '--model', 'claude-sonnet-4-5', '--text', prompt, '--output-tokens', '10'];
    const json = await runTollgate([...args, '--json']);
    expect(json.code).toBe(0);
    const estimate = JSON.parse(json.stdout);
    const bound = Math.ceil((Buffer.byteLength(prompt) * 11) / 10) + 2;
    expect(estimate).toMatchObject({ tokenCount: 'heuristic', tokens: { input: bound, output: 10 } });
    expect(estimate.tokens.likelyInput).toBeGreaterThan(0);
    expect(estimate.tokens.likelyInput).toBeLessThan(bound);
    const text = await runTollgate(args);
    expect(text.stdout).toContain(
      `input priced at its upper bound; likely about ${estimate.tokens.likelyInput} tokens`,
    );
  });

  it('suggests the model likely meant when a mistyped id tells no provider', async () => {
    const run = await runTollgate(['estimate', '--model', 'gpt-4o-mnii', '--input-tokens', '10']);
    expect({ code: run.code, stdout: run.stdout, stderr: run.stderr }).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'tollgate: cannot tell which provider serves "gpt-4o-mnii" (did you mean \'gpt-4o-mini\'?): pass --provider\n',
    });
  });

  it('says on stderr when a provider or model is unknown and the figure is a fallback rate, with the likely one', async () => {
    const flags = ['--input-tokens', '1000', '--output-tokens', '10', '--json'];
    const provider = await runTollgate(['estimate', '--model', 'gpt-4o', '--provider', 'opneai', ...flags]);
    expect(provider.code).toBe(0);
    expect(JSON.parse(provider.stdout)).toMatchObject({ provider: 'opneai', layer: 'service-fallback' });
    expect(provider.stderr).toBe(
      `tollgate: no provider "opneai" in the price data (did you mean 'openai'?): priced at a fallback rate; check --provider, or give its price in the config's prices (--config)\n`,
    );
    const model = await runTollgate(['estimate', '--model', 'gpt-4o-mnii', '--provider', 'openai', ...flags]);
    expect(model.code).toBe(0);
    expect(model.stderr).toBe(
      `tollgate: no price for "gpt-4o-mnii" of openai (did you mean 'gpt-4o-mini'?): priced at a fallback rate; check --model, or give its price in the config's prices (--config)\n`,
    );
    // A priced model says nothing more.
    const known = await runTollgate(['estimate', '--model', 'gpt-4o', '--provider', 'openai', ...flags]);
    expect(known.stderr).toBe('');
  });

  it('asks for --provider when the model id does not tell', async () => {
    const run = await runTollgate(['estimate', '--model', 'in-house-model', '--input-tokens', '10']);
    expect({ code: run.code, stderr: run.stderr }).toEqual({
      code: 2,
      stderr: 'tollgate: cannot tell which provider serves "in-house-model": pass --provider\n',
    });
  });
});
