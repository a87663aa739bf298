import path from 'node:path';
import { createBudget, createUsage } from '@tollgate/core';
import { SqliteStore } from '@tollgate/sqlite';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runTollgate } from '../testing/run-tollgate';
import { temporaryDirectory } from '../testing/temporary-directory';

let directory: ReturnType<typeof temporaryDirectory>;
let storeArgument: string;
// The day before TEST_NOW (2026-11-29 12:00 UTC), at 04:30 UTC: 2026-11-27 in New York.
const CALL_AT = Date.UTC(2026, 10, 28, 4, 30);
const NEW_YORK_DAY = '2026-11-27';

beforeAll(async () => {
  directory = temporaryDirectory();
  const file = path.join(directory.path, 'new-york.db');
  storeArgument = `sqlite:${file}`;
  const budget = createBudget({
    store: new SqliteStore({ path: file }),
    budgets: [{ id: 'app', limitUsd: 30, period: 'month', timeZone: 'America/New_York' }],
    reportTimeZone: 'America/New_York',
    clock: () => CALL_AT,
  });
  const call = { provider: 'openai', model: 'gpt-4o-mini', inputTokens: 1000, maxOutputTokens: 100 };
  await (await budget.gate(call)).settle({
    usage: createUsage({ inputTokens: 1000, outputTokens: 50 }),
    requestId: 'before-dawn',
  });
  await budget.close();
});
afterAll(() => directory.remove());

it("reads the store's days in the report time zone the app saved with its budgets, with no config file", async () => {
  const report = await runTollgate(['report', '--json', '--store', storeArgument], { cwd: directory.path });
  expect(report.code).toBe(0);
  expect(JSON.parse(report.stdout).range.timeZone).toBe('America/New_York');

  const exported = await runTollgate(
    ['export', '--format', 'jsonl', '--from', NEW_YORK_DAY, '--to', NEW_YORK_DAY, '--store', storeArgument],
    { cwd: directory.path },
  );
  expect(exported.code).toBe(0);
  const lines = exported.stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));
  expect(lines.map((line) => [line.requestId, line.day])).toEqual([['before-dawn', NEW_YORK_DAY]]);
});
