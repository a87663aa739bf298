import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';

export interface WorkerProcess {
  readonly child: ChildProcess;
  /** Every line the process printed so far. */
  readonly lines: readonly string[];
  /** Resolves with the first line (already printed or to come) that matches; rejects after `timeoutMs` or on exit. */
  waitForLine(matches: (line: string) => boolean, timeoutMs?: number): Promise<string>;
  send(line: string): void;
  /** `kill -9`, then waits for the exit. */
  killHard(): Promise<void>;
  /** Waits for the exit and returns its code (rejects after `timeoutMs`). */
  exited(timeoutMs?: number): Promise<number | null>;
}

/** A Node child process that speaks in lines: the parent reads its stdout and writes to its stdin. */
export function startWorkerProcess(script: string, env: Record<string, string>): WorkerProcess {
  const child = spawn(process.execPath, [script], {
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  child.stdin!.on('error', () => {}); // writing to a process that was just killed
  const lines: string[] = [];
  const listeners = new Set<() => void>();
  let partial = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    const parts = (partial + chunk.toString()).split('\n');
    partial = parts.pop()!;
    lines.push(...parts);
    for (const listener of listeners) listener();
  });
  let exitCode: number | null | undefined;
  const exit = once(child, 'exit').then(([code]) => {
    exitCode = code as number | null;
    for (const listener of listeners) listener();
    return exitCode;
  });

  return {
    child,
    lines,
    waitForLine(matches, timeoutMs = 60_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const line = lines.find(matches);
          if (line !== undefined) finish(() => resolve(line));
          else if (exitCode !== undefined)
            finish(() =>
              reject(new Error(`the worker exited (${exitCode}) first; it printed:\n${lines.join('\n')}`)),
            );
        };
        const timer = setTimeout(
          () => finish(() => reject(new Error(`no such line within ${timeoutMs} ms:\n${lines.join('\n')}`))),
          timeoutMs,
        );
        const finish = (settle: () => void) => {
          clearTimeout(timer);
          listeners.delete(check);
          settle();
        };
        listeners.add(check);
        check();
      });
    },
    send(line) {
      child.stdin!.write(`${line}\n`);
    },
    async killHard() {
      if (exitCode === undefined) child.kill('SIGKILL');
      await exit;
    },
    async exited(timeoutMs = 60_000) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`the worker did not exit within ${timeoutMs} ms`)),
          timeoutMs,
        );
      });
      try {
        return await Promise.race([exit, timeout]);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
