import { spawn } from 'node:child_process';

export interface CommandResult {
  readonly command: string;
  /** The exit code, or null when a signal ended the process. */
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CommandOptions {
  readonly cwd: string;
  /** Added to this process's environment. */
  readonly env?: Readonly<Record<string, string>>;
}

/** Runs a command to its end and never throws: callers assert on the result and show its output. */
export function runCommand(
  command: string,
  args: readonly string[],
  options: CommandOptions,
): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: { ...userEnvironment(), ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (status) => resolve({ command: [command, ...args].join(' '), status, stdout, stderr }));
  });
}

/**
 * This process's environment without the `npm_*` settings that pnpm passes to the scripts it
 * runs: npm in the scratch app reads only what a user's npm reads.
 */
function userEnvironment(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name)));
}

/** The command, its exit code and its output: the message of a failed check. */
export function describeRun(result: CommandResult): string {
  const output = [result.stdout.trim(), result.stderr.trim()].filter(Boolean).join('\n');
  return `\`${result.command}\` exited with ${result.status}\n${output}`;
}

/** Runs a set-up step, which must succeed for any check to mean something. */
export async function runStep(
  command: string,
  args: readonly string[],
  options: CommandOptions,
): Promise<CommandResult> {
  const result = await runCommand(command, args, options);
  if (result.status !== 0) throw new Error(describeRun(result));
  return result;
}
