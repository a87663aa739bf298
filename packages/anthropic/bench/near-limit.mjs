// Near the end of a budget: how many Claude calls the gate refuses or clamps although they would
// have fit at their real cost, with estimateWith 'bound' and 'auto', in one run, through the
// emulator. Run after `pnpm build`: `pnpm --filter @tollgate/anthropic bench:near-limit`
// (CALLS=300 by default). The figures are counts of decisions, not timings.
//
// The budget is the original system's: $30 a month, with the per-call caps ($0.05 at RED, $0.01
// at CRITICAL), already 95% spent. The same sequence of calls (a seeded mix of support tickets,
// documents to summarise, code to review and JSON to extract, 256 to 2,048 max_tokens) runs
// one at a time on a fresh copy of that budget for each setting. Before each call the bench asks
// `budget.canAfford` whether the call's worst case at its real prompt count (the emulator's
// count_tokens, which is also what it bills) would have fit: a refusal or a clamp of such a call
// is one the bound caused.
import Anthropic from '@anthropic-ai/sdk';
import { countTokens, createBudget, usdToNano } from '@tollgate/core';
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

/** A small seeded generator (mulberry32), so that every setting sees the same calls. */
function random(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const PARAGRAPHS = [
  'Revenue grew 12% year over year to $48.2M, driven by the enterprise tier while self-serve revenue was flat. Gross margin fell from 71% to 68% because inference costs rose faster than prices.',
  'The support backlog halved after the new triage tool launched in September; first-response time is now under two hours for paying customers, and the satisfaction score rose to 4.6 out of 5.',
  'Churn among small customers rose to 3.1% a month after the price change in August. Interviews suggest that the new seat minimum, not the price itself, is what made teams of two or three leave.',
  'The company signed two multi-year contracts with public-sector customers, each above $2M in annual value, which require data residency in the EU and an audit trail of every administrative action.',
  'Hiring slowed: headcount grew from 412 to 421. Engineering kept its plan, while sales paused two open roles until the pipeline for the next quarter is clearer.',
  'Our incident on 14 October lasted 47 minutes: a configuration change disabled the cache in one region, the database saturated, and requests timed out until the change was rolled back.',
];
const CODE = `export async function settleInvoices(invoices, ledger) {
  const settled = [];
  for (const invoice of invoices) {
    if (invoice.status !== 'open') continue;
    const payment = await ledger.findPayment(invoice.id);
    if (payment && payment.amountCents >= invoice.totalCents) {
      await ledger.markPaid(invoice.id, payment.id);
      settled.push(invoice.id);
    }
  }
  return settled;
}
`;
const TICKETS = [
  'My invoice for November lists two seats, but we removed one on the third of the month. Can you explain the proration and send a corrected invoice?',
  'Since this morning the export to CSV fails with "timeout after 30s" for our largest project. Smaller projects work. Is there a limit we should know about?',
  'We would like to move from the monthly plan to the annual plan without losing the discount code we used when we signed up. Is that possible?',
];

/** One call of the workload: its kind, system prompt, user content and output limit. */
function workload(count) {
  const next = random(20_261_206);
  const pick = (items) => items[Math.floor(next() * items.length)];
  const calls = [];
  for (let index = 0; index < count; index++) {
    const kind = pick(['ticket', 'ticket', 'summary', 'summary', 'code', 'json']);
    let system;
    let content;
    if (kind === 'ticket') {
      system = 'You are a support assistant for a billing product. Answer briefly and politely.';
      content = pick(TICKETS);
    } else if (kind === 'summary') {
      system = 'Summarise the document for the board in five bullet points, then list the main risks.';
      const paragraphs = 4 + Math.floor(next() * 60);
      content = Array.from({ length: paragraphs }, () => pick(PARAGRAPHS)).join('\n\n');
    } else if (kind === 'code') {
      system = 'Review this code: point out bugs, then suggest a simpler version.';
      content = CODE.repeat(1 + Math.floor(next() * 12));
    } else {
      system = 'Extract every amount, date and party from the records below as a JSON array.';
      const records = 5 + Math.floor(next() * 80);
      content = JSON.stringify(
        Array.from({ length: records }, (_, record) => ({
          id: `inv_${1000 + record}`,
          customer: `Customer ${record % 17}`,
          totalCents: Math.floor(next() * 1_000_000),
          issuedAt: `2026-${String(1 + (record % 12)).padStart(2, '0')}-15`,
        })),
      );
    }
    calls.push({
      kind,
      params: {
        model: MODEL,
        max_tokens: pick([256, 512, 1024, 1024, 2048]),
        system,
        messages: [{ role: 'user', content }],
      },
    });
  }
  return calls;
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
