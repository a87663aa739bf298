// Near the end of a budget: how many Mistral calls the gate refuses or clamps although they would
// have fit at their real cost, holding the prompt at its UTF-8 length (as before Tekken was
// counted) and at its exact count (now), in one run, through the emulator. Run after
// `pnpm build`: `pnpm --filter @tollgate/mistral bench:near-limit` (CALLS=300 by default).
// The figures are counts of decisions, not timings.
//
// The budget is the original system's: $30 a month, with the per-call caps ($0.05 at RED, $0.01
// at CRITICAL), already 98% spent (Mistral Medium costs half as much as Claude Sonnet: at 95% spent, this workload fits). The same sequence of calls (the kit's `nearLimitWorkload`, the Claude bench's seeded mix of
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
import { nearLimitWorkload } from '@tollgate/core/adapter';
import { startEmulator } from '@tollgate/emulator';
import { wrapMistral } from '../dist/index.js';

const CALLS = Number(process.env.CALLS ?? 300);
// Mistral Medium 3.5: $1.50 input and $7.50 output per million tokens.
const MODEL = 'mistral-medium-latest';
const OUTPUT_NANO = 7_500;
const LIMIT_USD = 30;
const SPENT_BEFORE_USD = 29.4;
const REPLY_TOKENS = 400;

/** The kit's near-limit workload as Mistral requests, with the prompt counts of both ways. */
function workload(count) {
  return nearLimitWorkload(count).map(({ system, content, maxOutputTokens }) => {
    const texts = [system, content];
    return {
      request: {
        model: MODEL,
        maxTokens: maxOutputTokens,
        messages: [
          { role: 'system', content: system },
          { role: 'user', content },
        ],
      },
      realTokens: texts.reduce((sum, text) => sum + countTokens(text, 'mistral', MODEL).tokens, 0) + 5,
      beforeTokens: texts.reduce((sum, text) => sum + Buffer.byteLength(text, 'utf8'), 0) + 3 + 4 * 2,
    };
  });
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
