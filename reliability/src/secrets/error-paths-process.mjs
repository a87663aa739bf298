// The child process of the canary test: it pushes a canary API key and a canary prompt through
// every error path of the three SDKs, with their debug logging on, either bare (MODE=bare: what
// the SDKs do on their own) or wrapped by tollgate (MODE=wrapped), once per store kind. Each run's
// canaries end with the run's tag (`.<adapter>.<scenario>.<store>`), so that the parent can tell
// which run logged a canary whenever the line came; before each run it writes a marker line to
// stdout and stderr for the other lines. It writes every error it caught, serialized every way an
// app might serialize it, and a dump of the in-memory store, to RESULTS_PATH.
import { writeFileSync } from 'node:fs';
import { inspect } from 'node:util';
import Anthropic from '@anthropic-ai/sdk';
import { Mistral } from '@mistralai/mistralai';
import { wrapAnthropic } from '@tollgate/anthropic';
import { createBudget, MemoryStore } from '@tollgate/core';
import { wrapMistral } from '@tollgate/mistral';
import { MongoStore } from '@tollgate/mongodb';
import { wrapOpenAI } from '@tollgate/openai';
import { SqliteStore } from '@tollgate/sqlite';
import OpenAI from 'openai';

const env = process.env;
const mode = env.MODE;
const emulatorUrl = env.EMULATOR_URL;
const closedUrl = env.CLOSED_URL;

/** Runs that only tollgate can produce: the bare SDK has no budget, no store, no gate. */
const TOLLGATE_ONLY = new Set([
  'budget-refused',
  'validation-context',
  'validation-oversize-prompt',
  'storage-unavailable',
]);
const SCENARIOS = [
  'success',
  'stream-success',
  'provider-400',
  'provider-401',
  'provider-429',
  'provider-500',
  'connection-refused',
  'stream-dropped',
  ...TOLLGATE_ONLY,
];
const ADAPTERS = ['openai', 'anthropic', 'mistral'];
const STORES = mode === 'wrapped' ? ['memory', 'sqlite', 'mongodb'] : ['none'];

const memoryStores = [];

function storeOf(kind) {
  if (kind === 'memory') {
    const store = new MemoryStore();
    memoryStores.push(store);
    return store;
  }
  if (kind === 'sqlite') return new SqliteStore({ path: env.SQLITE_PATH });
  return new MongoStore({
    uri: env.MONGODB_URI,
    dbName: env.MONGODB_DB_NAME,
    clientOptions: { serverSelectionTimeoutMS: 2_000 },
  });
}

/** The canaries of one run: the process's canaries, tagged with the run. */
function canariesOf(adapter, scenario, storeKind) {
  const tag = `${adapter}.${scenario}.${storeKind}`;
  return { apiKey: `${env.CANARY_API_KEY}.${tag}`, prompt: `${env.CANARY_PROMPT}.${tag}` };
}

function budgetFor(scenario, storeKind, { apiKey }) {
  if (scenario === 'storage-unavailable') {
    // A database that is down, reached with the canary as its password.
    const uri = `mongodb://tollgate:${encodeURIComponent(apiKey)}@${new URL(closedUrl).host}/`;
    return createBudget({
      store: new MongoStore({ uri, dbName: 'canary', clientOptions: { serverSelectionTimeoutMS: 300 } }),
      admissionTimeoutMs: 1_000,
    });
  }
  const limitUsd = scenario === 'budget-refused' ? 0.000_001 : 100;
  return createBudget({ store: storeOf(storeKind), budgets: [{ id: 'canary', limitUsd, period: 'total' }] });
}

function clientFor(adapter, scenario, budget, { apiKey }) {
  const base = scenario === 'connection-refused' ? closedUrl : emulatorUrl;
  if (adapter === 'openai') {
    const client = new OpenAI({ apiKey, baseURL: `${base}/v1`, maxRetries: 0, logLevel: 'debug' });
    return mode === 'wrapped' ? wrapOpenAI(client, budget) : client;
  }
  if (adapter === 'anthropic') {
    const client = new Anthropic({ apiKey, baseURL: `${base}/anthropic`, maxRetries: 0, logLevel: 'debug' });
    return mode === 'wrapped' ? wrapAnthropic(client, budget) : client;
  }
  const client = new Mistral({
    apiKey,
    serverURL: `${base}/mistral`,
    retryConfig: { strategy: 'none' },
    debugLogger: console,
  });
  return mode === 'wrapped' ? wrapMistral(client, budget) : client;
}

function headersFor(scenario) {
  const status = /^provider-(\d+)$/.exec(scenario)?.[1];
  if (status) return { 'x-emulator-error-status': status };
  if (scenario === 'stream-dropped') return { 'x-emulator-drop-after-chunks': '2' };
  return {};
}

function promptFor(scenario, prompt) {
  // Over core's 50,000,000-character limit: refused before any token is counted.
  return scenario === 'validation-oversize-prompt' ? `${prompt} ${'x'.repeat(50_000_000)}` : prompt;
}

async function call(adapter, scenario, client, { prompt }) {
  const headers = headersFor(scenario);
  const text = promptFor(scenario, prompt);
  const stream = scenario.startsWith('stream-');
  if (adapter === 'openai') {
    const result = await client.chat.completions.create(
      {
        model: 'gpt-4o-mini',
        messages: [
          { role: 'system', content: `Answer as ${prompt}` },
          { role: 'user', content: text },
        ],
        max_tokens: 16,
        ...(stream ? { stream: true } : {}),
      },
      { headers },
    );
    if (stream) for await (const _ of result);
    return;
  }
  if (adapter === 'anthropic') {
    const result = await client.messages.create(
      {
        model: 'claude-haiku-4-5',
        max_tokens: 16,
        system: `Answer as ${prompt}`,
        messages: [{ role: 'user', content: text }],
        ...(stream ? { stream: true } : {}),
      },
      { headers },
    );
    if (stream) for await (const _ of result);
    return;
  }
  const request = {
    model: 'mistral-small-latest',
    maxTokens: 16,
    messages: [
      { role: 'system', content: `Answer as ${prompt}` },
      { role: 'user', content: text },
    ],
  };
  if (stream) {
    for await (const _ of await client.chat.stream(request, { headers }));
    return;
  }
  await client.chat.complete(request, { headers });
}

function serialized(error) {
  const safely = (fn) => {
    try {
      return String(fn());
    } catch (failure) {
      return `<cannot serialize: ${failure?.message}>`;
    }
  };
  return {
    name: safely(() => error?.name),
    tollgate: error?.constructor?.name !== undefined && typeof error?.constructor?.isInstance === 'function',
    message: safely(() => error?.message),
    stack: safely(() => error?.stack),
    string: safely(() => String(error)),
    json: safely(() => JSON.stringify(error)),
    inspect: safely(() => inspect(error, { depth: 8 })),
    inspectHidden: safely(() => inspect(error, { depth: 8, showHidden: true })),
  };
}

const runs = [];
for (const storeKind of STORES) {
  for (const adapter of ADAPTERS) {
    for (const scenario of SCENARIOS) {
      if (mode === 'bare' && TOLLGATE_ONLY.has(scenario)) continue;
      const marker = `@@run ${adapter} ${scenario} ${storeKind}@@\n`;
      process.stdout.write(marker);
      process.stderr.write(marker);
      const canaries = canariesOf(adapter, scenario, storeKind);
      const budget = mode === 'wrapped' ? budgetFor(scenario, storeKind, canaries) : undefined;
      const client = clientFor(adapter, scenario, budget, canaries);
      let error;
      try {
        if (scenario === 'validation-context')
          await budget.withContext({ userId: `$${canaries.prompt}` }, () =>
            call(adapter, scenario, client, canaries),
          );
        else await call(adapter, scenario, client, canaries);
      } catch (caught) {
        error = caught;
      }
      if (budget) await budget.close();
      runs.push({
        adapter,
        scenario,
        store: storeKind,
        error: error === undefined ? null : serialized(error),
      });
    }
  }
}

writeFileSync(
  env.RESULTS_PATH,
  JSON.stringify({
    runs,
    memoryStores: memoryStores.map((store) =>
      inspect(store, { depth: Number.POSITIVE_INFINITY, showHidden: true }),
    ),
  }),
);
process.stdout.write('@@done@@\n');
