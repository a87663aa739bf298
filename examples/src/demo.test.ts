import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBudget } from '@tollgate/core';
import { SqliteStore } from '@tollgate/sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_BUDGETS } from './demo/demo-budgets';
import { type ExampleResult, runExampleProcess } from './example-process';

describe('pnpm demo', () => {
  let directory: string;
  let result: ExampleResult;

  beforeAll(async () => {
    directory = mkdtempSync(join(tmpdir(), 'tollgate-demo-'));
    result = await runExampleProcess('demo.ts', { TOLLGATE_DEMO_DIR: directory });
  }, 120_000);
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it('exits 0', () => {
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });

  it('shows the alert level climbing from GREEN to CRITICAL, with the alerts', () => {
    const levels = [...result.stdout.matchAll(/^▲ (\w+)/gm)].map((match) => match[1]);
    expect(levels).toEqual(['GREEN', 'YELLOW', 'ORANGE', 'RED', 'CRITICAL']);
    for (const level of ['ORANGE', 'RED', 'CRITICAL']) {
      expect(result.stdout).toMatch(new RegExp(`alert \\w+: Budget "app" is ${level}`));
    }
    expect(result.stdout).toContain('strategy CHEAPEST_FIRST → EMERGENCY_ONLY');
  });

  it('shows calls moving to cheaper models, clamped calls and refused calls', () => {
    expect(result.stdout).toMatch(/→ summarize {2}claude-sonnet-4-6 → claude-haiku-4-5 \(downgrade: true/);
    expect(result.stdout).toMatch(/→ chat {7}gpt-4o → gpt-4o-mini \(select: /);
    expect(result.stdout).toMatch(/→ triage {5}gemini-2\.5-flash\n/);
    expect(result.stdout).toMatch(/→ suggest {4}gpt-4o-mini\n/);
    expect(result.stdout).toMatch(
      /~ clamped report on claude-haiku-4-5: max_tokens 16,000 requested → [\d,]+ granted/,
    );
    expect(result.stdout).toMatch(
      /x refused summarize: Budget "app" \(RED\) refused a call costing up to \$/,
    );
    expect(result.stdout).toMatch(/x refused speak: Budget "app" \(CRITICAL\)/);
  });

  it('ends with the status, the breakdown by provider and model, and recommendations with savings', () => {
    expect(result.stdout).toMatch(/Status\n {2}app {2}CRITICAL {2}\$29\.\d+ of \$30\.00 used/);
    expect(result.stdout).toMatch(
      /Where the money went \(by provider and model\)\n {2}anthropic {2}claude-sonnet-4-6/,
    );
    expect(result.stdout).toMatch(/^ {2}google {5}gemini-2\.5-flash +\d+ calls {2}\$0\.\d+/m);
    expect(result.stdout).toMatch(/Moving request type '\w+' from [\w.-]+ to [\w.-]+.* would have saved \$/);
  });

  it('leaves a SQLite file whose committed spend is within the $30 and at CRITICAL', async () => {
    const budget = createBudget({
      store: new SqliteStore({ path: join(directory, '.tollgate', 'tollgate.db') }),
      budgets: DEMO_BUDGETS,
    });
    try {
      const [status] = await budget.status();
      expect(status!.usedNano).toBeLessThanOrEqual(30_000_000_000);
      expect(status!.usedNano).toBeGreaterThanOrEqual(29_400_000_000);
      expect(status!.reservedNano).toBe(0);
      expect(status!.alertLevel).toBe('CRITICAL');
    } finally {
      await budget.close();
    }
  });

  it('writes the budgets where the tollgate CLI reads them', () => {
    const configPath = join(directory, '.tollgate', 'config.json');
    expect(existsSync(configPath)).toBe(true);
    expect(JSON.parse(readFileSync(configPath, 'utf8'))).toEqual({
      budgets: DEMO_BUDGETS,
      reportTimeZone: 'UTC',
    });
  });
});
