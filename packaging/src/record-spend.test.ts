import { join } from 'node:path';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { type CommandResult, describeRun, runCommand } from './run-command';

const { appDirectory, sqliteCliAppDirectory } = inject('packaging');

// One "now" for the apps, the read-back and the CLI: a day or a month that ends during the run changes nothing.
const env = { TOLLGATE_NOW: new Date().toISOString() };
/** The calls each provider's records hold: openai's through wrapOpenAI and through the AI SDK middleware. */
const REQUESTS: Record<string, number> = { anthropic: 1, google: 2, mistral: 1, openai: 2 };

interface Recorded {
  provider: string;
  /** nano-USD */
  cost: number;
  requests: number;
}

function expectTheCallsOfEachProvider(result: CommandResult): Recorded[] {
  expect(result.status, describeRun(result)).toBe(0);
  const recorded = JSON.parse(result.stdout) as Recorded[];
  expect(recorded.map((entry) => entry.provider).sort()).toEqual(Object.keys(REQUESTS));
  for (const entry of recorded) {
    expect(entry.cost, `${entry.provider} spend`).toBeGreaterThan(0);
    expect(entry.requests, `${entry.provider} requests`).toBe(REQUESTS[entry.provider]);
  }
  return recorded;
}

function tollgate(directory: string, args: readonly string[]): Promise<CommandResult> {
  // The installed bin link, run directly: its shebang and mode are part of what is checked.
  return runCommand(join(directory, 'node_modules', '.bin', 'tollgate'), args, { cwd: directory, env });
}

describe.each(['record-spend.mjs', 'record-spend.cjs'])('%s', (app) => {
  const databasePath = join(appDirectory, `${app}.db`);
  let appRun: CommandResult;

  beforeAll(async () => {
    appRun = await runCommand('node', [app, databasePath], { cwd: appDirectory, env });
  });

  it('records non-zero spend through wrapOpenAI, wrapAnthropic, wrapMistral, wrapGoogleGenAI (a chat included) and the AI SDK middleware into a SqliteStore file', () => {
    expectTheCallsOfEachProvider(appRun);
  });

  it('a fresh SqliteStore on the file reads back the same spend', async () => {
    const readBack = await runCommand('node', ['read-spend.mjs', databasePath], { cwd: appDirectory, env });
    expect(expectTheCallsOfEachProvider(readBack)).toEqual(JSON.parse(appRun.stdout));
  });

  it('`tollgate status --store sqlite:<file>` exits 0', async () => {
    const result = await tollgate(appDirectory, ['status', '--store', `sqlite:${databasePath}`]);
    expect(result.status, describeRun(result)).toBe(0);
  });

  it.each([
    ['the app', appDirectory],
    ["a SQLite user's install of @tollgate/cli alone", sqliteCliAppDirectory],
  ])('`tollgate status --json` in %s reports the recorded spend as used', async (_, directory) => {
    const result = await tollgate(directory, ['status', '--json', '--store', `sqlite:${databasePath}`]);
    expect(result.status, describeRun(result)).toBe(0);
    const recorded = JSON.parse(appRun.stdout) as Recorded[];
    const [status] = JSON.parse(result.stdout).statuses;
    expect(status.usedNano).toBe(recorded.reduce((sum, entry) => sum + entry.cost, 0));
  });
});
