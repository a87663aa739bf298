import { existsSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { type Provider, waitForUpdate } from '@pydantic/genai-prices';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runTollgate } from '../testing/run-tollgate';
import { temporaryDirectory } from '../testing/temporary-directory';

let server: Server;
let base: string;
let fresh: string;
let directory: ReturnType<typeof temporaryDirectory>;

/**
 * The bundled data with gpt-4o-mini at $0.30 / $1.20 and a new model, as the published file would
 * carry a price change and a release.
 */
function withNewPrice(bundled: Provider[]): string {
  const copy = structuredClone(bundled);
  const openai = copy.find((provider) => provider.id === 'openai');
  const model = openai?.models.find((entry) => entry.id === 'gpt-4o-mini');
  if (!openai || !model) throw new Error('gpt-4o-mini is not in the bundled data');
  model.prices = { input_mtok: 0.3, cache_read_mtok: 0.15, output_mtok: 1.2 };
  openai.models.push({
    id: 'gpt-9-nano',
    match: { equals: 'gpt-9-nano' },
    prices: { input_mtok: 0.01, output_mtok: 0.04 },
  });
  return JSON.stringify(copy);
}

beforeAll(async () => {
  fresh = withNewPrice((await waitForUpdate()) ?? []);
  const answers: Record<string, [number, string, string]> = {
    '/data.json': [200, 'text/plain; charset=utf-8', fresh],
    '/truncated.json': [200, 'application/json', fresh.slice(0, 1_000)],
    '/error-page': [200, 'text/html', '<!doctype html><title>Bad gateway</title>'],
    '/broken': [500, 'text/plain', 'internal error'],
  };
  server = createServer((request, response) => {
    const [status, type, body] = answers[request.url ?? ''] ?? [404, 'text/plain', 'not found'];
    response.writeHead(status, { 'content-type': type }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  directory = temporaryDirectory();
});
afterEach(() => directory.remove());

const env = { TOLLGATE_NOW: undefined };
const inputPrice = async (cwd: string): Promise<number> => {
  const run = await runTollgate(['prices', 'gpt-4o-mini', '--provider', 'openai', '--json'], { cwd, env });
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout).prices.find((row: { model: string }) => row.model === 'gpt-4o-mini').prices
    .inputPerMTok;
};

describe('tollgate prices --update', () => {
  it('fetches, checks and writes the cache file, says what changed, and later listings use it', async () => {
    expect(await inputPrice(directory.path)).toBe(0.15);
    const run = await runTollgate(['prices', '--update', '--url', `${base}/data.json`], {
      cwd: directory.path,
      env,
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(
      new RegExp(
        `^updated genai-prices data from ${base}/data.json: prices dated up to \\d{4}-\\d{2}-\\d{2}, 1,\\d{3} models of \\d+ providers$`,
      ),
    );
    expect(lines[1]).toBe(
      '  1 model with new prices, 1 model added, 0 removed since the bundled data; written to .tollgate/genai-prices.json',
    );
    const cacheFile = join(directory.path, '.tollgate', 'genai-prices.json');
    expect(readFileSync(cacheFile, 'utf8')).toBe(fresh);
    expect(readdirSync(join(directory.path, '.tollgate'))).toEqual(['genai-prices.json']);
    expect(await inputPrice(directory.path)).toBe(0.3);
    // A model only the fresh data has is listed too.
    const listed = await runTollgate(['prices', 'gpt-9', '--provider', 'openai'], {
      cwd: directory.path,
      env,
    });
    expect(listed.stdout).toMatch(/openai\s+gpt-9-nano\s+llm\s+\$0\.01\s+\$0\.04/);

    const again = await runTollgate(['prices', '--update', '--url', `${base}/data.json`, '--json'], {
      cwd: directory.path,
      env,
    });
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout).update).toMatchObject({
      updated: true,
      changes: { added: 0, removed: 0, changed: 0 },
      cacheFile: '.tollgate/genai-prices.json',
    });
  });

  it.each([
    ['a truncated file', '/truncated.json', 'the data is not valid JSON'],
    ['an HTML error page', '/error-page', 'content type text/html is not JSON'],
    ['a 500', '/broken', 'HTTP 500'],
  ])('refuses %s with exit code 4 and leaves the cache file as it was', async (_, path, reason) => {
    const cacheFile = join(directory.path, 'prices.json');
    writeFileSync(cacheFile, fresh);
    const run = await runTollgate(
      ['prices', '--update', '--url', `${base}${path}`, '--cache-file', 'prices.json'],
      {
        cwd: directory.path,
        env,
      },
    );
    expect(run.code).toBe(4);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      `tollgate: price data from ${base}${path} was not used: ${reason}; prices.json is unchanged\n`,
    );
    expect(readFileSync(cacheFile, 'utf8')).toBe(fresh);
  });

  it('takes no model, and checks the URL', async () => {
    const model = await runTollgate(['prices', 'gpt-4o', '--update'], { cwd: directory.path });
    expect(model.code).toBe(2);
    expect(model.stderr).toBe('tollgate: --update lists no prices: leave out the model\n');
    const url = await runTollgate(['prices', '--update', '--url', 'ftp://example.com/x'], {
      cwd: directory.path,
    });
    expect(url.code).toBe(2);
    expect(url.stderr).toBe('tollgate: Invalid options.url: must be an http or https URL\n');
  });
});

describe('tollgate prices: the as-of date of every layer', () => {
  it("shows tollgate's layer, the bundled data and the cache file with its age", async () => {
    const none = await runTollgate(['prices', 'gpt-4o-mini', '--provider', 'openai'], {
      cwd: directory.path,
      env,
    });
    const layers = none.stdout.slice(none.stdout.indexOf('price layers'));
    expect(layers).toMatch(/\n {2}tollgate's own\s+prices checked 2026-11-01\n/);
    expect(layers).toMatch(
      /\n {2}genai-prices 0\.1\.8\s+bundled: prices dated up to \d{4}-\d{2}-\d{2}, 1,\d{3} models of \d+ providers — in use\n/,
    );
    expect(layers).toMatch(
      /\n {2}cache file\s+none at \.tollgate\/genai-prices\.json \(tollgate prices --update writes it\)\n$/,
    );

    const cacheFile = join(directory.path, 'cached.json');
    writeFileSync(cacheFile, fresh);
    const threeHoursAgo = new Date(Math.floor((Date.now() - 3 * 3_600_000 - 60_000) / 1_000) * 1_000);
    utimesSync(cacheFile, threeHoursAgo, threeHoursAgo);
    const cached = await runTollgate(
      ['prices', 'gpt-4o-mini', '--provider', 'openai', '--cache-file', 'cached.json'],
      {
        cwd: directory.path,
        env,
      },
    );
    expect(cached.code).toBe(0);
    expect(cached.stdout).toMatch(
      /genai-prices 0\.1\.8\s+bundled: prices dated up to [\d-]+, [\d,]+ models of \d+ providers\n/,
    );
    expect(cached.stdout).toContain(
      `  cache file          cached.json: fetched ${threeHoursAgo.toISOString().replace('.000Z', 'Z')} (3 h ago), prices dated up to`,
    );
    expect(cached.stdout).toMatch(/— in use\n$/);
    const json = await runTollgate(['prices', 'gpt-4o-mini', '--json', '--cache-file', 'cached.json'], {
      cwd: directory.path,
      env,
    });
    expect(JSON.parse(json.stdout).layers).toMatchObject({
      tollgate: { asOf: '2026-11-01' },
      bundled: { version: '0.1.8' },
      cacheFile: { path: 'cached.json', state: 'loaded', retrievedAt: threeHoursAgo.toISOString() },
    });
  });

  it("reads the cache file the config's prices.update names", async () => {
    writeFileSync(join(directory.path, 'app-prices.json'), fresh);
    writeFileSync(
      join(directory.path, 'tollgate.json'),
      JSON.stringify({ prices: { entries: [], update: { cacheFile: 'app-prices.json', maxAgeHours: 6 } } }),
    );
    const run = await runTollgate(
      ['prices', 'gpt-4o-mini', '--provider', 'openai', '--config', 'tollgate.json'],
      {
        cwd: directory.path,
        env,
      },
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/openai\s+gpt-4o-mini\s+llm\s+\$0\.30\s+\$1\.20/);
    expect(run.stdout).toMatch(/\n {2}cache file\s+app-prices\.json: fetched /);

    writeFileSync(
      join(directory.path, 'tollgate.json'),
      JSON.stringify({ prices: { update: { cacheFile: 7 } } }),
    );
    const bad = await runTollgate(['prices', '--config', 'tollgate.json'], { cwd: directory.path, env });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/prices\.update\.cacheFile must be a non-empty string\n$/);
  });

  it('ignores a corrupt cache file with a warning and lists the bundled prices', async () => {
    writeFileSync(join(directory.path, 'cached.json'), fresh.slice(0, fresh.length / 2));
    const run = await runTollgate(
      ['prices', 'gpt-4o-mini', '--provider', 'openai', '--cache-file', 'cached.json', '--json'],
      {
        cwd: directory.path,
        env,
      },
    );
    expect(run.code).toBe(0);
    expect(run.stderr).toBe(
      'tollgate: the price cache file cached.json was ignored: the data is not valid JSON\n',
    );
    const output = JSON.parse(run.stdout);
    expect(output.layers.cacheFile).toEqual({
      path: 'cached.json',
      state: 'ignored',
      reason: 'the data is not valid JSON',
    });
    expect(
      output.prices.find((row: { model: string }) => row.model === 'gpt-4o-mini').prices.inputPerMTok,
    ).toBe(0.15);
    expect(existsSync(join(directory.path, '.tollgate'))).toBe(false);
  });
});

describe('tollgate estimate with a price cache file', () => {
  const estimateUsd = async (args: string[]): Promise<number> => {
    const run = await runTollgate(
      [
        'estimate',
        '--model',
        'gpt-4o-mini',
        '--input-tokens',
        '1000000',
        '--output-tokens',
        '0',
        '--json',
        ...args,
      ],
      { cwd: directory.path, env },
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    return JSON.parse(run.stdout).costUsd;
  };

  it('prices with what prices --update fetched, as the app does, and with the bundled data without it', async () => {
    expect(await estimateUsd([])).toBe(0.15);
    const update = await runTollgate(['prices', '--update', '--url', `${base}/data.json`], {
      cwd: directory.path,
      env,
    });
    expect(update.code).toBe(0);
    expect(await estimateUsd([])).toBe(0.3);
  });

  it('reads the file --cache-file or the config names', async () => {
    writeFileSync(join(directory.path, 'named.json'), fresh);
    expect(await estimateUsd(['--cache-file', 'named.json'])).toBe(0.3);
    writeFileSync(
      join(directory.path, 'tollgate.json'),
      JSON.stringify({ prices: { update: { cacheFile: 'named.json' } } }),
    );
    expect(await estimateUsd(['--config', 'tollgate.json'])).toBe(0.3);
  });
});
