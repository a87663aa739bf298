import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import fc from 'fast-check';
import * as cl100k from 'gpt-tokenizer/encoding/cl100k_base';
import * as o200k from 'gpt-tokenizer/encoding/o200k_base';
import { afterAll, describe, expect, it } from 'vitest';
import { heuristicTokenCount } from './heuristic-token-count';
import { tekkenTokenCount } from './tekken-token-count';
import {
  cachedTextCharacters,
  countTokens,
  promptTokenBound,
  TEKKEN_TIME_BUDGET_MS,
  tokenizerPieces,
} from './token-counter';

const SAMPLES = [
  'Hello, world!',
  'The quick brown fox jumps over the lazy dog. '.repeat(20),
  'function add(a: number, b: number): number {\n  return a + b;\n}\n',
  '{"model":"gpt-4o","messages":[{"role":"user","content":"Résumé naïve café — 東京 😀"}]}',
  'Сколько стоит один токен? Ein Token kostet wenig. 一个令牌多少钱？',
  '   \n\n\t  multiple   spaces\tand\ttabs  ',
  '1234567890 3.14159 2026-11-01T00:00:00Z 0xdeadbeef',
];

describe('countTokens for OpenAI models', () => {
  const O200K_MODELS = [
    'gpt-4o',
    'gpt-4o-mini',
    'gpt-4.1',
    'gpt-4.1-nano',
    'gpt-5',
    'gpt-5-mini',
    'o1',
    'o3',
    'o4-mini',
    'chatgpt-4o-latest',
  ];
  const CL100K_MODELS = [
    'gpt-4',
    'gpt-4-turbo',
    'gpt-3.5-turbo',
    'text-embedding-3-small',
    'text-embedding-3-large',
  ];

  it.each(O200K_MODELS)('counts %s exactly with o200k_base', (model) => {
    for (const text of SAMPLES) {
      const tokens = o200k.encode(text).length;
      expect(countTokens(text, 'openai', model)).toEqual({ tokens, method: 'exact', upperBound: tokens });
    }
  });

  it.each(CL100K_MODELS)('counts %s exactly with cl100k_base', (model) => {
    for (const text of SAMPLES) {
      const tokens = cl100k.encode(text).length;
      expect(countTokens(text, 'openai', model)).toEqual({ tokens, method: 'exact', upperBound: tokens });
    }
  });

  it('matches gpt-tokenizer on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 400 }), (text) => {
        expect(countTokens(text, 'openai', 'gpt-4o').tokens).toBe(o200k.encode(text).length);
        expect(countTokens(text, 'openai', 'gpt-4').tokens).toBe(cl100k.encode(text).length);
      }),
      { numRuns: 300, seed: 23 },
    );
  });

  it('picks the encoding that the model uses', () => {
    // The two encodings disagree on this text, so a wrong choice would show.
    const text = SAMPLES[4]!;
    expect(o200k.encode(text).length).not.toBe(cl100k.encode(text).length);
    expect(countTokens(text, 'openai', 'gpt-4o').tokens).toBe(o200k.encode(text).length);
    expect(countTokens(text, 'openai', 'gpt-4-turbo').tokens).toBe(cl100k.encode(text).length);
    // Azure OpenAI deployments and unfamiliar OpenAI ids are counted with o200k_base; ids are case-insensitive.
    expect(countTokens(text, 'azure', 'gpt-4o').tokens).toBe(o200k.encode(text).length);
    expect(countTokens(text, 'openai', 'some-future-model').tokens).toBe(o200k.encode(text).length);
    expect(countTokens(text, 'OpenAI', 'GPT-4o')).toMatchObject({
      tokens: o200k.encode(text).length,
      method: 'exact',
    });
  });

  it('counts special-token text in a prompt as the plain text it is', () => {
    const text = 'Ignore this: <|endoftext|> and <|im_start|>system';
    const plain = o200k.encode(text, { disallowedSpecial: new Set() }).length;
    expect(countTokens(text, 'openai', 'gpt-4o')).toEqual({
      tokens: plain,
      method: 'exact',
      upperBound: plain,
    });
    expect(countTokens(text, 'openai', 'gpt-4').tokens).toBe(
      cl100k.encode(text, { disallowedSpecial: new Set() }).length,
    );
  });

  it('counts the empty string as 0', () => {
    expect(countTokens('', 'openai', 'gpt-4o')).toEqual({ tokens: 0, method: 'exact', upperBound: 0 });
    expect(countTokens('', 'anthropic', 'claude-sonnet-4-5').tokens).toBe(0);
  });
});

describe('countTokens for long texts', () => {
  const CORPUS = (
    JSON.parse(
      readFileSync(fileURLToPath(new URL('./__fixtures__/token-calibration.json', import.meta.url)), 'utf8'),
    ) as { samples: { text: string }[] }
  ).samples.map((sample) => sample.text);

  it('counts them exactly: the pieces end where the tokenizer starts a new pre-token anyway', () => {
    const corpus = CORPUS.join('\n\n');
    expect(corpus.length).toBeGreaterThan(50_000);
    expect(countTokens(corpus, 'openai', 'gpt-4o').tokens).toBe(o200k.encode(corpus).length);
    expect(countTokens(corpus, 'openai', 'gpt-4').tokens).toBe(cl100k.encode(corpus).length);
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.string({ unit: 'grapheme', maxLength: 60 }), fc.constantFrom(...CORPUS)), {
          minLength: 20,
          maxLength: 80,
        }),
        fc.constantFrom(' ', '  ', '\n', ' \n '),
        (parts, separator) => {
          const text = parts.join(separator);
          expect(countTokens(text, 'openai', 'gpt-4o-mini').tokens).toBe(o200k.encode(text).length);
          expect(countTokens(text, 'openai', 'gpt-3.5-turbo').tokens).toBe(cl100k.encode(text).length);
        },
      ),
      { numRuns: 40, seed: 31 },
    );
  });

  it('cuts a text into pieces of at most 1,000 characters that add up to the text', () => {
    for (const text of ['a'.repeat(5_432), CORPUS.join(' '), `${'word '.repeat(900)}${'x'.repeat(3_000)}`]) {
      const pieces = tokenizerPieces(text);
      expect(pieces.join('')).toBe(text);
      expect(Math.max(...pieces.map((piece) => piece.length))).toBeLessThanOrEqual(1_000);
    }
  });

  it('never counts less than the whole for a run that has no space to cut at', () => {
    const base64 = Buffer.from(Array.from({ length: 6_000 }, (_, index) => (index * 7919) % 251)).toString(
      'base64',
    );
    for (const text of ['a'.repeat(5_000), base64, '-'.repeat(4_321), '7'.repeat(3_333)]) {
      expect(countTokens(text, 'openai', 'gpt-4o').tokens).toBeGreaterThanOrEqual(o200k.encode(text).length);
      expect(countTokens(text, 'openai', 'gpt-4').tokens).toBeGreaterThanOrEqual(cl100k.encode(text).length);
    }
  });

  it('bounds a text over a million characters by its UTF-8 length instead of running the tokenizer', () => {
    const prose = 'The quick brown fox jumps over the lazy dog, naïvely. '.repeat(20_000);
    expect(prose.length).toBeGreaterThan(1_000_000);
    const counted = countTokens(prose, 'openai', 'gpt-4o');
    const bytes = Buffer.byteLength(prose, 'utf8');
    expect(counted).toEqual({ tokens: bytes, method: 'heuristic', upperBound: bytes });
    expect(counted.tokens).toBeGreaterThanOrEqual(o200k.encode(prose).length);
    // One character less is counted exactly.
    expect(countTokens(prose.slice(0, 1_000_000), 'openai', 'gpt-4o').method).toBe('exact');
  });

  it('counts a million letters without a space in pieces of at most 1,000 characters (400,000 uncut took 55 s)', () => {
    let seed = 7;
    const letters = Array.from({ length: 1_000_000 }, () => {
      seed = (seed * 48_271) % 2_147_483_647;
      return String.fromCharCode(97 + (seed % 26));
    }).join('');
    // Byte-pair merging is quadratic in the length of what the tokenizer is given at once:
    // the work is bounded when it is only ever given pieces, and the count is their sum.
    const pieces = tokenizerPieces(letters);
    expect(pieces.join('')).toBe(letters);
    expect(Math.max(...pieces.map((piece) => piece.length))).toBeLessThanOrEqual(1_000);
    const { tokens } = countTokens(letters, 'openai', 'gpt-4o');
    expect(tokens).toBeGreaterThan(0);
    expect(tokens).toBe(pieces.reduce((sum, piece) => sum + o200k.encode(piece).length, 0));
  });
});

describe('countTokens for models without a local tokenizer', () => {
  it.each([
    ['anthropic', 'claude-sonnet-4-5', 'anthropic'],
    ['anthropic', 'claude-haiku-4-5', 'anthropic'],
    ['Anthropic', 'claude-opus-4-1', 'anthropic'],
    ['qwen', 'qwen-plus', 'generic'],
    ['ollama', 'llama3.2', 'generic'],
    ['acme', 'gpt-4o', 'generic'],
  ] as const)('uses the %s heuristic for %s', (provider, model, family) => {
    for (const text of SAMPLES) {
      const counted = countTokens(text, provider, model);
      const upperBound = promptTokenBound(Buffer.byteLength(text, 'utf8'), family);
      expect(counted).toEqual({
        tokens: Math.min(heuristicTokenCount(text, family), upperBound),
        method: 'heuristic',
        upperBound,
      });
      expect(counted.tokens).toBeGreaterThan(0);
    }
  });

  it('never counts less for an unknown provider than for either known family', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 300 }), (text) => {
        const generic = countTokens(text, 'acme', 'model').tokens;
        expect(generic).toBeGreaterThanOrEqual(countTokens(text, 'anthropic', 'claude-sonnet-4-5').tokens);
        expect(generic).toBeGreaterThanOrEqual(heuristicTokenCount(text, 'mistral'));
      }),
      { numRuns: 300, seed: 29 },
    );
  });
});

describe('loading gpt-tokenizer', () => {
  const dist = fileURLToPath(new URL('../../dist/', import.meta.url));
  const scratch = mkdtempSync(join(tmpdir(), 'tollgate-import-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  /**
   * Runs a script in a fresh Node process with a module hook that reports every module the
   * ESM loader resolves; CommonJS loads are read from the require cache at the end.
   */
  function runIsolated(body: string): { esm: string[]; cjsBefore: string[]; cjsAfter: string[] } {
    if (!existsSync(join(dist, 'index.js'))) {
      throw new Error('packages/core/dist is missing: run `pnpm --filter @tollgate/core build` first');
    }
    const hook = join(scratch, 'record-resolutions.mjs');
    writeFileSync(
      hook,
      `import { writeSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  writeSync(2, 'resolved ' + result.url + '\\n');
  return result;
}
`,
    );
    const script = join(scratch, `run-${Math.random().toString(36).slice(2)}.mjs`);
    writeFileSync(
      script,
      `import { createRequire, register } from 'node:module';
register(${JSON.stringify(pathToFileURL(hook).href)});
const require = createRequire(import.meta.url);
const loaded = () => Object.keys(require.cache);
const distDirectory = ${JSON.stringify(dist)};
const before = [];
${body}
console.log(JSON.stringify({ cjsBefore: before, cjsAfter: loaded() }));
`,
    );
    const child = spawnSync(process.execPath, [script], { encoding: 'utf8', timeout: 30_000 });
    expect(child.status, child.stderr).toBe(0);
    const esm = child.stderr
      .split('\n')
      .filter((line) => line.startsWith('resolved '))
      .map((line) => line.slice('resolved '.length));
    const result = JSON.parse(child.stdout.trim().split('\n').at(-1)!) as {
      cjsBefore: string[];
      cjsAfter: string[];
    };
    return { esm, ...result };
  }

  const isTokenizer = (path: string) => /[\\/]gpt-tokenizer[\\/]/.test(path);

  it('does not load gpt-tokenizer when the ESM build is imported, only on the first OpenAI count', () => {
    const { esm, cjsBefore, cjsAfter } = runIsolated(`
const core = await import(distDirectory + 'index.js');
before.push(...loaded());
if (core.countTokens('hello world', 'anthropic', 'claude-sonnet-4-5').method !== 'heuristic') process.exit(3);
before.push(...loaded());
if (core.countTokens('hello world', 'openai', 'gpt-4o').tokens !== 2) process.exit(4);
if (core.countTokens('hello world', 'mistral', 'mistral-small-latest').method !== 'exact') process.exit(5);
`);
    // The hook saw the package load: it is watching.
    expect(esm.some((url) => url.includes('/dist/index.js'))).toBe(true);
    // The bundled price data and the calendar library are loaded on first use too.
    const loadedOnFirstUse = (path: string) => /[\\/](genai-prices|date-fns|@date-fns)[\\/]/.test(path);
    expect(esm.filter(loadedOnFirstUse)).toEqual([]);
    expect(cjsBefore.filter(loadedOnFirstUse)).toEqual([]);
    expect(esm.filter(isTokenizer)).toEqual([]);
    expect(cjsBefore.filter(isTokenizer)).toEqual([]);
    expect(cjsAfter.filter(isTokenizer).length).toBeGreaterThan(0);
  });

  it('does not load gpt-tokenizer when the CommonJS build is required, and counts exactly there too', () => {
    const { esm, cjsBefore, cjsAfter } = runIsolated(`
const core = require(distDirectory + 'index.cjs');
before.push(...loaded());
if (core.countTokens('hello world', 'openai', 'gpt-4o').tokens !== 2) process.exit(4);
// The Tekken vocabulary ships beside the CommonJS bundle too.
if (core.countTokens('hello world', 'mistral', 'mistral-small-latest').method !== 'exact') process.exit(5);
`);
    expect(cjsBefore.some((path) => path.endsWith('index.cjs'))).toBe(true);
    expect(cjsBefore.filter(isTokenizer)).toEqual([]);
    expect(esm.filter(isTokenizer)).toEqual([]);
    expect(cjsAfter.filter(isTokenizer).length).toBeGreaterThan(0);
  });
});

describe('counting the same long text again', () => {
  it('returns the same exact count from the cache, for each encoding', () => {
    const text = 'A long system prompt that is sent again with every call. '.repeat(40);
    const first = countTokens(text, 'openai', 'gpt-4o');
    const again = countTokens(text, 'openai', 'gpt-4o');
    expect(first).toMatchObject({ tokens: o200k.encode(text).length, method: 'exact' });
    expect(again).toEqual(first);
    expect(countTokens(text, 'openai', 'gpt-4-turbo')).toMatchObject({
      tokens: cl100k.encode(text).length,
      method: 'exact',
    });
    for (let index = 0; index < 600; index++) countTokens(`${index} ${text}`, 'openai', 'gpt-4o');
    expect(countTokens(text, 'openai', 'gpt-4o')).toEqual(first);
  });
});

describe('the count cache', () => {
  it('holds at most 8,000,000 characters of text per tokenizer, and no text over 500,000', () => {
    const base = 'Distinct long prompts, each sent once, must not pile up in memory. '.repeat(1_500);
    for (let index = 0; index < 200; index++)
      countTokens(`${index} ${base}`, 'anthropic', 'claude-haiku-4-5');
    expect(base.length * 200).toBeGreaterThan(16_000_000);
    const held = cachedTextCharacters('anthropic');
    expect(held).toBeGreaterThan(7_000_000);
    expect(held).toBeLessThanOrEqual(8_000_000);
    countTokens(`${base}${base}${base}${base}${base}`, 'anthropic', 'claude-haiku-4-5');
    expect(cachedTextCharacters('anthropic')).toBe(held);
    // The newest texts are still there: counting one of them again adds nothing.
    countTokens(`199 ${base}`, 'anthropic', 'claude-haiku-4-5');
    expect(cachedTextCharacters('anthropic')).toBe(held);
  });
});

describe('countTokens for Mistral models', () => {
  it.each([
    'mistral-large-latest',
    'mistral-large-2512',
    'mistral-medium-2508',
    'mistral-small-latest',
    'mistral-small-2506',
    'codestral-latest',
    'codestral-2508',
    'devstral-medium-2507',
    'magistral-medium-latest',
    'ministral-8b-2410',
    'pixtral-12b-2409',
    'open-mistral-nemo',
  ])('counts %s exactly with Tekken', (model) => {
    for (const text of SAMPLES) {
      const tokens = tekkenTokenCount(text);
      expect(countTokens(text, 'mistral', model)).toEqual({ tokens, method: 'exact', upperBound: tokens });
    }
  });

  it.each([
    'mistral-large-2411',
    'mistral-large-2407',
    'pixtral-large-2411',
    'mistral-small-2409',
    'mistral-small-2402',
    'mistral-medium-2312',
    'codestral-2405',
    'codestral-mamba-2407',
    'open-mixtral-8x22b',
    'open-mistral-7b',
  ])('estimates %s, on the older SentencePiece tokenizer, with the generic (larger) weights', (model) => {
    const text = 'Résumé des coûts : 12 appels, 3 400 jetons. مرحبا بالعالم';
    expect(countTokens(text, 'mistral', model)).toEqual({
      tokens: heuristicTokenCount(text, 'generic'),
      method: 'heuristic',
      upperBound: promptTokenBound(Buffer.byteLength(text, 'utf8'), 'generic'),
    });
  });

  it("holds a text too long to count on the caller's thread at its UTF-8 length", () => {
    const text = 'Ein langer Text, der nicht gezählt wird. '.repeat(25_000);
    expect(text.length).toBeGreaterThan(1_000_000);
    expect(countTokens(text, 'mistral', 'mistral-small-latest')).toEqual({
      tokens: heuristicTokenCount(text, 'mistral'),
      method: 'heuristic',
      upperBound: Buffer.byteLength(text, 'utf8'),
    });
  });

  it('holds a long text at least at its exact count, and at most at its UTF-8 length', () => {
    // Counted in full unless the time budget runs out first; either way an upper bound.
    const text = 'Ein langer Text, der gezählt wird. '.repeat(5_000);
    const counted = countTokens(text, 'mistral', 'mistral-small-latest');
    expect(counted.upperBound).toBeGreaterThanOrEqual(tekkenTokenCount(text));
    expect(counted.upperBound).toBeLessThanOrEqual(Buffer.byteLength(text, 'utf8'));
    expect(TEKKEN_TIME_BUDGET_MS).toBeLessThanOrEqual(50);
  });
});
