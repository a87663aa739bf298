import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { TEST_NOW } from './seed-history';

/** The built command; the package's test script builds it first. */
export const CLI_PATH = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

export interface TollgateRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Variables of the test runner's own environment that would change the command's output. */
const INHERITED_OUT = [
  'NO_COLOR',
  'FORCE_COLOR',
  'TOLLGATE_STORE',
  'TOLLGATE_CONFIG',
  'TOLLGATE_NOW',
  'TOLLGATE_DEBUG',
  'COLUMNS',
];

/**
 * Runs `node dist/cli.js ...args` (or a copy of it, `cliPath`) as a separate process, as a user
 * would, with TOLLGATE_NOW set to TEST_NOW unless `env` says otherwise (`undefined` removes a variable).
 */
export function runTollgate(
  args: readonly string[],
  options: {
    cwd?: string;
    env?: Readonly<Record<string, string | undefined>>;
    timeoutMs?: number;
    cliPath?: string;
  } = {},
): Promise<TollgateRun> {
  if (!existsSync(CLI_PATH))
    throw new Error(`${CLI_PATH} is missing: build the package first (pnpm --filter @tollgate/cli build)`);
  const env: Record<string, string | undefined> = { ...process.env };
  for (const name of INHERITED_OUT) delete env[name];
  env.TOLLGATE_NOW = TEST_NOW;
  for (const [name, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [options.cliPath ?? CLI_PATH, ...args], {
      cwd: options.cwd ?? process.cwd(),
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`tollgate ${args.join(' ')} did not finish within ${options.timeoutMs ?? 30_000} ms`));
    }, options.timeoutMs ?? 30_000);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
