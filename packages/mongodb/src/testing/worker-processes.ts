import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'tsup';

const packageDirectory = fileURLToPath(new URL('../..', import.meta.url));
const run = promisify(execFile);

/**
 * Child processes run plain JavaScript, so the store is bundled from source first. The bundle
 * sits inside the package so that it resolves `mongodb` and `@tollgate/core` like the tests do.
 */
export async function bundleStoreForWorkers(): Promise<{ module: string; remove(): Promise<void> }> {
  const directory = await mkdtemp(join(packageDirectory, 'node_modules', '.multi-process-'));
  await build({
    entry: { 'mongo-store': join(packageDirectory, 'src/index.ts') },
    format: ['esm'],
    outDir: directory,
    external: ['mongodb', '@tollgate/core'],
    config: false,
    silent: true,
    dts: false,
  });
  return {
    module: join(directory, 'mongo-store.js'),
    remove: () => rm(directory, { recursive: true, force: true }),
  };
}

/** Runs `count` processes of a worker script at once, each with its own environment; each one's last line of output, as JSON. */
export async function runWorkers<T>(
  script: string,
  count: number,
  environment: (index: number) => Record<string, string>,
): Promise<T[]> {
  const outputs = await Promise.all(
    Array.from({ length: count }, (_, index) =>
      run(process.execPath, [script], {
        cwd: packageDirectory,
        env: { ...process.env, ...environment(index) },
        timeout: 100_000,
      }),
    ),
  );
  return outputs.map(({ stdout }) => JSON.parse(stdout.trim().split('\n').at(-1)!) as T);
}
