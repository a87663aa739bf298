import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { type AddressInfo, createServer, type Server } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { version } from '../package.json';

const cliPath = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

function waitForOutput(child: ChildProcess, pattern: RegExp): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`no match for ${pattern} in: ${output}`)), 10_000);
    child.stdout?.on('data', (data: Buffer) => {
      output += data.toString();
      const match = pattern.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match);
      }
    });
    child.once('exit', () => reject(new Error(`exited before printing ${pattern}: ${output}`)));
  });
}

/** Runs the CLI to its end: exit code and everything it printed. */
function runToExit(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const run = spawn(process.execPath, [cliPath, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    run.stdout.on('data', (data: Buffer) => {
      stdout += data.toString();
    });
    run.stderr.on('data', (data: Buffer) => {
      stderr += data.toString();
    });
    run.once('error', reject);
    run.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function listenOnFreePort(): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

// The built CLI is exercised when dist exists (CI builds before testing).
describe.skipIf(!existsSync(cliPath))('tollgate-emulator CLI', () => {
  let child: ChildProcess | undefined;
  afterEach(() => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
  });

  it('prints the base URLs, serves requests and stops on SIGTERM', async () => {
    child = spawn(process.execPath, [cliPath, '--port', '0', '--latency', '1'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const [, url] = await waitForOutput(child, /Mistral\s+serverURL: (http:\/\/127\.0\.0\.1:\d+)\/mistral/);
    const response = await fetch(`${url}/anthropic/v1/messages/count_tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'claude-haiku-4-5', messages: [{ role: 'user', content: 'hello' }] }),
    });
    expect(await response.json()).toEqual({ input_tokens: 6 });
    const exited = new Promise<number | null>((resolve) => child?.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('says in one line that a port another process holds is taken, without the usage', async () => {
    const holder = await listenOnFreePort();
    const { port } = holder.address() as AddressInfo;
    try {
      const run = await runToExit(['--port', String(port)]);
      expect(run).toEqual({
        code: 1,
        stdout: '',
        stderr: `tollgate-emulator: port ${port} on 127.0.0.1 is already in use by another process (pick another with --port, or --port 0 for a free one)\n`,
      });
    } finally {
      await new Promise((resolve) => holder.close(resolve));
    }
  });

  it('says in one line why it cannot listen on a host, without the usage', async () => {
    const run = await runToExit(['--host', '203.0.113.1', '--port', '8787']);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(
      /^tollgate-emulator: cannot listen on 203\.0\.113\.1 port 8787: listen EADDRNOTAVAIL\b.*\n$/,
    );
  });

  it('prints its version with --version and -v', async () => {
    for (const flag of ['--version', '-v'])
      expect(await runToExit([flag])).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });

  it('names --version in its help', async () => {
    const run = await runToExit(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^ {2}--version, -v {2,}print the version$/m);
  });

  it('prints the usage after a bad argument', async () => {
    const run = await runToExit(['--port', 'eighty']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /^--port must be a non-negative integer, got 'eighty'\nUsage: tollgate-emulator /,
    );
  });
});
