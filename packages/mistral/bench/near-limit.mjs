// Near the end of a budget: how many Mistral calls the gate refuses or clamps although they would
// have fit at their real cost, holding the prompt at its UTF-8 length (as before Tekken was
// counted) and at its exact count (now), in one run, through the emulator. Run after
// `pnpm build`: `pnpm --filter @tollgate/mistral bench:near-limit` (CALLS=300 by default).
// The figures are counts of decisions, not timings.
//
// The budget is the original system's: $30 a month, with the per-call caps ($0.05 at RED, $0.01
// at CRITICAL), already 98% spent (Mistral Medium costs half as much as Claude Sonnet: at 95% spent, this workload fits). The same sequence of calls (the Claude bench's seeded mix of
// support tickets, documents to summarise, code to review and JSON to extract, 256 to 2,048
// maxTokens) runs one at a time on a fresh copy of that budget for each way. The real prompt
// count of a call is Tekken's (core's exact count, equal to mistral-common's on the corpus) plus
// the v7 template's framing, <s>[SYSTEM_PROMPT]…[/SYSTEM_PROMPT][INST]…[/INST]; the emulator is
// told to bill it. Before each call the bench asks `budget.canAfford` whether the call's worst
// case at that count would have fit: a refusal or a clamp of such a call is one the hold caused.
//   before: the gate holds the UTF-8 length of the texts plus 3 + 4 a message, what the adapter
//           held before (gated through `budget.gate` with that count, settled from the usage);
//   now:    `wrapMistral`, which holds the Tekken count plus the template's framing.
import { Mistral } from '@mistralai/mistralai';
import { countTokens, createBudget, createUsage, usdToNano } from '@tollgate/core';
import { startEmulator } from '@tollgate/emulator';
import { wrapMistral } from '../dist/index.js';

const CALLS = Number(process.env.CALLS ?? 300);
// Mistral Medium 3.5: $1.50 input and $7.50 output per million tokens.
const MODEL = 'mistral-medium-latest';
const OUTPUT_NANO = 7_500;
const LIMIT_USD = 30;
const SPENT_BEFORE_USD = 29.4;
const REPLY_TOKENS = 400;

/** A small seeded generator (mulberry32), so that both ways see the same calls. */
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

/** One call of the workload: its system prompt, user content and output limit. */
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
    const texts = [system, content];
    calls.push({
      request: {
        model: MODEL,
        maxTokens: pick([256, 512, 1024, 1024, 2048]),
        messages: [
          { role: 'system', content: system },
          { role: 'user', content },
        ],
      },
      realTokens: texts.reduce((sum, text) => sum + countTokens(text, 'mistral', MODEL).tokens, 0) + 5,
      beforeTokens: texts.reduce((sum, text) => sum + Buffer.byteLength(text, 'utf8'), 0) + 3 + 4 * 2,
    });
  }
  return calls;
}

const emulator = await startEmulator();
const client = () =>
  new Mistral({ serverURL: emulator.mistralServerURL, apiKey: 'bench', retryConfig: { strategy: 'none' } });
const calls = workload(CALLS);

async function freshBudget() {
  const budget = createBudget({ budgets: [{ id: 'app', limitUsd: LIMIT_USD, period: 'month' }] });
  await budget.recordUsage({
    provider: 'mistral',
    model: MODEL,
    usage: { outputTokens: usdToNano(SPENT_BEFORE_USD) / OUTPUT_NANO },
  });
  return budget;
}

async function run(way, onInsufficientBudget) {
  emulator.reset();
  const budget = await freshBudget();
  const wrapped = wrapMistral(client(), budget, { onInsufficientBudget });
  const bare = client();
  const tally = { admitted: 0, clamped: 0, refused: 0, stoppedThoughFit: 0, heldTokens: 0 };
  for (const call of calls) {
    const { maxTokens } = call.request;
    const fits = (
      await budget.canAfford({
        provider: 'mistral',
        model: MODEL,
        inputTokens: call.realTokens,
        maxOutputTokens: maxTokens,
      })
    ).affordable;
    const headers = {
      'x-emulator-input-tokens': String(call.realTokens),
      'x-emulator-output-tokens': String(REPLY_TOKENS),
    };
    let granted;
    try {
      if (way === 'before') {
        const admission = await budget.gate({
          provider: 'mistral',
          model: MODEL,
          inputTokens: call.beforeTokens,
          maxOutputTokens: maxTokens,
          onInsufficientBudget,
        });
        tally.heldTokens += admission.estimate.inputTokens;
        granted = admission.maxOutputTokens ?? maxTokens;
        const response = await bare.chat.complete({ ...call.request, maxTokens: granted }, { headers });
        await admission.settle({
          usage: createUsage({
            inputTokens: response.usage.promptTokens,
            outputTokens: response.usage.completionTokens,
          }),
        });
      } else {
        const before = emulator.requests.length;
        await wrapped.chat.complete(call.request, { headers });
        granted = emulator.requests[before].body.max_tokens;
      }
      if (granted < maxTokens) tally.clamped++;
      else tally.admitted++;
      if (granted < maxTokens && fits) tally.stoppedThoughFit++;
    } catch (error) {
      if (error?.name !== 'BudgetExceededError') throw error;
      tally.refused++;
      if (fits) tally.stoppedThoughFit++;
    }
  }
  const [status] = await budget.status();
  tally.spentUsd = status.usedUsd - SPENT_BEFORE_USD;
  return tally;
}

const rows = [];
for (const mode of ['throw', 'clamp'])
  for (const way of ['before', 'now']) rows.push({ mode, way, ...(await run(way, mode)) });
await emulator.close();

const realTokens = calls.reduce((sum, call) => sum + call.realTokens, 0);
const beforeTokens = calls.reduce((sum, call) => sum + call.beforeTokens, 0);
const percent = (part, whole) => (whole === 0 ? '—' : `${((100 * part) / whole).toFixed(1)} %`);
console.log(
  `Mistral near the limit: ${CALLS} calls of ${MODEL}, $${SPENT_BEFORE_USD} of $${LIMIT_USD} already spent (RED: $0.05 per-call cap), one at a time, emulator on ${emulator.url}`,
);
console.log(
  `prompt tokens over the workload: held before ${beforeTokens.toLocaleString('en-US')} (UTF-8 length + 3 + 4 a message), real ${realTokens.toLocaleString('en-US')} (Tekken + the v7 framing; before ÷ real ${(beforeTokens / realTokens).toFixed(2)})`,
);
console.log('');
console.log(
  '| onInsufficientBudget | prompt held at | admitted as asked | clamped | refused | stopped though it would have fit | share of refused or clamped | spent |',
);
console.log('|---|---|---:|---:|---:|---:|---:|---:|');
for (const row of rows) {
  const stopped = row.clamped + row.refused;
  const held = row.way === 'before' ? 'UTF-8 length' : 'exact count';
  console.log(
    `| ${row.mode} | ${held} | ${row.admitted} | ${row.clamped} | ${row.refused} | ${row.stoppedThoughFit} | ${percent(row.stoppedThoughFit, stopped)} | $${row.spentUsd.toFixed(2)} |`,
  );
}
