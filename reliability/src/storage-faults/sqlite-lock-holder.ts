import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

const HOLDER = fileURLToPath(new URL('./sqlite-lock-holder-process.mjs', import.meta.url));

/** Another process that takes a SQLite file's write lock and keeps it until `release()`. */
export async function holdSqliteLock(path: string): Promise<{ release(): Promise<void> }> {
  const child: ChildProcess = spawn(process.execPath, [HOLDER, path], { stdio: ['pipe', 'pipe', 'inherit'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = once(child, 'exit');
  const locked = new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', () => {
      if (output.includes('LOCKED')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`the lock holder exited (${code}) before locking`)));
  });
  await locked;
  return {
    async release() {
      child.stdin!.end();
      await exited;
    },
  };
}
