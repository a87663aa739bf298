// Near the end of a budget: how many Claude calls the gate refuses or clamps although they would
// have fit at their real cost, with estimateWith 'bound' and 'auto', in one run, through the
// emulator. Run after `pnpm build`: `pnpm --filter @tollgate/anthropic bench:near-limit`
// (CALLS=300 by default). The figures are counts of decisions, not timings.
//
// The budget is the original system's: $30 a month, with the per-call caps ($0.05 at RED, $0.01
// at CRITICAL), already 95% spent. The same sequence of calls (the kit's `nearLimitWorkload`: a
// seeded mix of support tickets, documents to summarise, code to review and JSON to extract,
// 256 to 2,048 max_tokens) runs
// one at a time on a fresh copy of that budget for each setting. Before each call the bench asks
// `budget.canAfford` whether the call's worst case at its real prompt count (the emulator's
// count_tokens, which is also what it bills) would have fit: a refusal or a clamp of such a call
// is one the bound caused.
import Anthropic from '@anthropic-ai/sdk';
import { countTokens, createBudget, usdToNano } from '@tollgate/core';
import { nearLimitWorkload } from '@tollgate/core/adapter';
import { startEmulator } from '@tollgate/emulator';
import { wrapAnthropic } from '../dist/index.js';

const CALLS = Number(process.env.CALLS ?? 300);
// The SDK warns on every call of a model it lists as deprecated; its prices are published and stable.
const warn = console.warn.bind(console);
console.warn = (...args) => {
  if (typeof args[0] === 'string' && args[0].includes('is deprecated and will reach end-of-life')) return;
  warn(...args);
};
const MODEL = 'claude-sonnet-4-5';
const LIMIT_USD = 30;
const SPENT_BEFORE_USD = 28.5;

/** The kit's near-limit workload as Claude requests. */
function workload(count) {
  return nearLimitWorkload(count).map(({ kind, system, content, maxOutputTokens }) => ({
    kind,
    params: { model: MODEL, max_tokens: maxOutputTokens, system, messages: [{ role: 'user', content }] },
  }));
}

const emulator = await startEmulator();
// Replies of about 400 tokens (at most max_tokens).
emulator.usage.defaultOutputTokens = 400;
const client = () => new Anthropic({ apiKey: 'bench', baseURL: emulator.anthropicBaseURL, maxRetries: 0 });

const calls = workload(CALLS);
// The real prompt counts, asked once with a bare client.
let boundTokens = 0;
let realTokens = 0;
for (const call of calls) {
  call.realTokens = (await client().messages.countTokens(call.params)).input_tokens;
  realTokens += call.realTokens;
  boundTokens += 8;
  for (const text of [call.params.system, call.params.messages[0].content])
    boundTokens += countTokens(text, 'anthropic', MODEL).upperBound;
}

async function run(estimateWith, onInsufficientBudget) {
  emulator.reset();
  emulator.usage.defaultOutputTokens = 400;
  const budget = createBudget({ budgets: [{ id: 'app', limitUsd: LIMIT_USD, period: 'month' }] });
  await budget.recordUsage({
    provider: 'anthropic',
    model: MODEL,
    usage: { outputTokens: usdToNano(SPENT_BEFORE_USD) / 15_000 },
  });
  const wrapped = wrapAnthropic(client(), budget, { estimateWith, onInsufficientBudget });
  const tally = { admitted: 0, clamped: 0, refused: 0, wouldHaveFit: 0, stoppedThoughFit: 0 };
  for (const call of calls) {
    const fits = (
      await budget.canAfford({
        provider: 'anthropic',
        model: MODEL,
        inputTokens: call.realTokens,
        maxOutputTokens: call.params.max_tokens,
      })
    ).affordable;
    if (fits) tally.wouldHaveFit++;
    const before = emulator.requests.filter((request) => request.endpoint === 'messages').length;
    let stopped = false;
    try {
      await wrapped.messages.create(call.params);
      const sent = emulator.requests.filter((request) => request.endpoint === 'messages')[before];
      if (sent.body.max_tokens < call.params.max_tokens) {
        tally.clamped++;
        stopped = true;
      } else tally.admitted++;
    } catch (error) {
      if (error?.name !== 'BudgetExceededError') throw error;
      tally.refused++;
      stopped = true;
    }
    if (stopped && fits) tally.stoppedThoughFit++;
  }
  const [status] = await budget.status();
  tally.countRequests = emulator.requests.filter((r) => r.endpoint === 'messages.count_tokens').length;
  tally.spentUsd = status.usedUsd - SPENT_BEFORE_USD;
  return tally;
}

const rows = [];
for (const mode of ['throw', 'clamp'])
  for (const estimateWith of ['bound', 'auto'])
    rows.push({ mode, estimateWith, ...(await run(estimateWith, mode)) });
await emulator.close();

const percent = (part, whole) => (whole === 0 ? '—' : `${((100 * part) / whole).toFixed(1)} %`);
console.log(
  `Claude near the limit: ${CALLS} calls of ${MODEL}, $${SPENT_BEFORE_USD} of $${LIMIT_USD} already spent (RED: $0.05 per-call cap), one at a time, emulator on ${emulator.url}`,
);
console.log(
  `prompt tokens over the workload: bound ${boundTokens.toLocaleString('en-US')}, real ${realTokens.toLocaleString('en-US')} (bound ÷ real ${(boundTokens / realTokens).toFixed(2)}; real is the emulator's count, 4 characters a token)`,
);
console.log('');
console.log(
  '| onInsufficientBudget | estimateWith | admitted as asked | clamped | refused | stopped though it would have fit | share of refused or clamped | count requests | spent |',
);
console.log('|---|---|---:|---:|---:|---:|---:|---:|---:|');
for (const row of rows) {
  const stopped = row.clamped + row.refused;
  console.log(
    `| ${row.mode} | ${row.estimateWith} | ${row.admitted} | ${row.clamped} | ${row.refused} | ${row.stoppedThoughFit} | ${percent(row.stoppedThoughFit, stopped)} | ${row.countRequests} | $${row.spentUsd.toFixed(2)} |`,
  );
}
console.log('');
console.log('Mistral near the limit: pnpm --filter @tollgate/mistral bench:near-limit.');
