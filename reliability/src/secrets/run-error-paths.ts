import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const CHILD = fileURLToPath(new URL('./error-paths-process.mjs', import.meta.url));
const RUN_MARKER = /^@@run (\S+) (\S+) (\S+)@@$/;

/** An error as the child serialized it, every way an app might log or send it. */
export interface SerializedError {
  readonly name: string;
  readonly message: string;
  readonly stack: string;
  readonly string: string;
  readonly json: string;
  readonly inspect: string;
  readonly inspectHidden: string;
}
export const SERIALIZATIONS = ['message', 'stack', 'string', 'json', 'inspect', 'inspectHidden'] as const;

export interface ErrorPathRun {
  readonly adapter: string;
  readonly scenario: string;
  readonly store: string;
  readonly error: SerializedError | null;
  /** What the child printed on stdout and stderr during this run (debug logs, warnings). */
  logs: string;
}

export interface ErrorPathsResult {
  readonly runs: ErrorPathRun[];
  /** `util.inspect` of every MemoryStore the wrapped runs used, internals included. */
  readonly memoryStores: string[];
  /** Output outside any run (start-up, shutdown). */
  readonly otherOutput: string;
  readonly exitCode: number | null;
}

export interface ErrorPathsEnvironment {
  readonly mode: 'bare' | 'wrapped';
  readonly apiKey: string;
  readonly prompt: string;
  readonly emulatorUrl: string;
  readonly mongodbUri: string;
  readonly mongodbDatabase: string;
  readonly sqlitePath: string;
  readonly resultsPath: string;
}

/** A loopback URL where nothing listens: connections are refused at once. */
export async function closedLoopbackUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

/**
 * Runs the error paths in a child process with every SDK's debug logging on (the
 * environment variables and the client options), and returns what it printed, split by
 * run, with the errors it caught.
 */
export async function runErrorPaths(environment: ErrorPathsEnvironment): Promise<ErrorPathsResult> {
  const child = spawn(process.execPath, [CHILD], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env.PATH,
      MODE: environment.mode,
      CANARY_API_KEY: environment.apiKey,
      CANARY_PROMPT: environment.prompt,
      EMULATOR_URL: environment.emulatorUrl,
      CLOSED_URL: await closedLoopbackUrl(),
      MONGODB_URI: environment.mongodbUri,
      MONGODB_DB_NAME: environment.mongodbDatabase,
      SQLITE_PATH: environment.sqlitePath,
      RESULTS_PATH: environment.resultsPath,
      OPENAI_LOG: 'debug',
      ANTHROPIC_LOG: 'debug',
      MISTRAL_DEBUG: '1',
    },
  });
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
  const exitCode = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve(code));
  });
  const parsed = JSON.parse(readFileSync(environment.resultsPath, 'utf8')) as {
    runs: Omit<ErrorPathRun, 'logs'>[];
    memoryStores: string[];
  };
  const runs: ErrorPathRun[] = parsed.runs.map((run) => ({ ...run, logs: '' }));
  const runOf = (adapter?: string, scenario?: string, store?: string) =>
    runs.find((run) => run.adapter === adapter && run.scenario === scenario && run.store === store);
  // A line that carries a run's tagged canary belongs to that run, even when it was printed after
  // the next run began (an SDK logging a response late); other lines belong to the run printing.
  const taggedCanary = new RegExp(
    `(?:${escapeRegExp(environment.apiKey)}|${escapeRegExp(environment.prompt)})\\.([a-z]+)\\.([a-z0-9-]+)\\.([a-z]+)`,
  );
  let otherOutput = '';
  for (const output of [Buffer.concat(stdout).toString('utf8'), Buffer.concat(stderr).toString('utf8')]) {
    let current: ErrorPathRun | undefined;
    for (const line of output.split('\n')) {
      if (line === '@@done@@') {
        current = undefined;
        continue;
      }
      const marker = RUN_MARKER.exec(line);
      if (marker) {
        current = runOf(marker[1], marker[2], marker[3]);
        continue;
      }
      const tagged = taggedCanary.exec(line);
      const run = (tagged && runOf(tagged[1], tagged[2], tagged[3])) ?? current;
      if (run) run.logs += `${line}\n`;
      else otherOutput += `${line}\n`;
    }
  }
  return { runs, memoryStores: parsed.memoryStores, otherOutput, exitCode };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** How many times `needle` occurs in `haystack` (text or bytes). */
export function occurrences(haystack: string | Buffer, needle: string): number {
  let count = 0;
  for (let index = haystack.indexOf(needle); index !== -1; index = haystack.indexOf(needle, index + 1))
    count += 1;
  return count;
}
