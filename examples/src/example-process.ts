import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const EXAMPLES_DIRECTORY = fileURLToPath(new URL('../', import.meta.url));
const TSX = fileURLToPath(new URL('../node_modules/.bin/tsx', import.meta.url));
const PROVIDER_KEYS = ['OPENAI_API_KEY', 'ANTHROPIC_API_KEY', 'MISTRAL_API_KEY'];

export interface ExampleResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `src/<file>` as its own process, offline (no provider API key), without colours. */
export function runExampleProcess(file: string, env: Record<string, string> = {}): Promise<ExampleResult> {
  const environment: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', ...env };
  for (const key of PROVIDER_KEYS) delete environment[key];
  return new Promise((resolve, reject) => {
    const child = spawn(TSX, [`src/${file}`], { cwd: EXAMPLES_DIRECTORY, env: environment });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}
