import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { type BudgetConfig, type BudgetStore, createBudget } from '@tollgate/core';
import { SqliteStore } from '@tollgate/sqlite';

/** The command's clock in the tests (TOLLGATE_NOW): a Sunday, two days before the month ends. */
export const TEST_NOW = '2026-11-29T12:00:00.000Z';

export const TEST_BUDGETS: BudgetConfig[] = [
  { id: 'app', limitUsd: 30, period: 'month', timeZone: 'UTC' },
  { id: 'daily', limitUsd: 0.2, period: 'day', timeZone: 'UTC' },
  { id: 'per-user', limitUsd: 1, period: 'day', scope: 'user' },
];

export interface SeededCall {
  readonly provider: string;
  readonly model: string;
  readonly requestType: string;
  readonly userId: string | undefined;
  readonly day: string;
  readonly timestamp: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
  /** nano-USD, as core priced it when recording. */
  readonly cost: number;
}

const CALL_SHAPES = [
  { provider: 'openai', model: 'gpt-4o', requestType: 'summarize', input: 60_000, output: 6_000 },
  { provider: 'openai', model: 'gpt-4o-mini', requestType: 'chat', input: 8_000, output: 1_200 },
  { provider: 'anthropic', model: 'claude-sonnet-4-5', requestType: 'chat', input: 20_000, output: 3_000 },
  { provider: 'anthropic', model: 'claude-haiku-4-5', requestType: 'classify', input: 4_000, output: 300 },
  {
    provider: 'mistral',
    model: 'mistral-large-latest',
    requestType: 'summarize',
    input: 30_000,
    output: 4_000,
  },
] as const;

export interface SeededSqliteHistory {
  /** `<directory>/tollgate.db` */
  readonly databasePath: string;
  /** `<directory>/config.json`, with TEST_BUDGETS. */
  readonly configPath: string;
  readonly calls: SeededCall[];
}

/**
 * A known history in `<directory>/tollgate.db` and its config in `<directory>/config.json`
 * (seed into `<cwd>/.tollgate` to test the defaults).
 */
export async function seedSqliteHistory(directory: string): Promise<SeededSqliteHistory> {
  mkdirSync(directory, { recursive: true });
  const databasePath = path.join(directory, 'tollgate.db');
  const configPath = path.join(directory, 'config.json');
  writeFileSync(configPath, JSON.stringify({ budgets: TEST_BUDGETS }, null, 2));
  const calls = await seedHistory(new SqliteStore({ path: databasePath }));
  return { databasePath, configPath, calls };
}

/**
 * Records a known history through core into a real store, then closes it: calls on the
 * 35 days up to TEST_NOW (October's last days too), several providers, models, request
 * types and users, at fixed timestamps. Returns every recorded call with its cost.
 */
export async function seedHistory(store: BudgetStore): Promise<SeededCall[]> {
  const now = Date.parse(TEST_NOW);
  let clock = now;
  const budget = createBudget({ store, budgets: TEST_BUDGETS, clock: () => clock });
  const calls: SeededCall[] = [];
  let sequence = 0;
  for (let daysAgo = 34; daysAgo >= 0; daysAgo--) {
    // Busier towards the end of the month, one quiet day without calls.
    if (daysAgo === 10) continue;
    const callsToday = 1 + ((daysAgo * 7) % 4) + (daysAgo < 7 ? 2 : 0);
    for (let index = 0; index < callsToday; index++) {
      const shape = CALL_SHAPES[(sequence * 3 + daysAgo) % CALL_SHAPES.length]!;
      const userId = sequence % 3 === 0 ? undefined : `u-${(sequence % 2) + 1}`;
      const timestamp = now - daysAgo * 86_400_000 - (index + 1) * 1_800_000;
      clock = timestamp;
      const inputTokens = 4 * shape.input + (sequence % 5) * 1_000;
      const outputTokens = 4 * shape.output + (sequence % 4) * 100;
      const settled = await budget.recordUsage({
        provider: shape.provider,
        model: shape.model,
        usage: { inputTokens, outputTokens },
        requestId: `seed-${sequence}`,
        timestamp,
        context: { requestType: shape.requestType, ...(userId ? { userId } : {}) },
      });
      calls.push({
        provider: shape.provider,
        model: settled.record.model,
        requestType: shape.requestType,
        userId,
        day: new Date(timestamp).toISOString().slice(0, 10),
        timestamp,
        inputTokens,
        outputTokens,
        cost: settled.cost.total,
      });
      sequence++;
    }
  }
  await budget.close();
  return calls;
}
