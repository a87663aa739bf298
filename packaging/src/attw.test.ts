import { fileURLToPath } from 'node:url';
import { describe, expect, inject, it } from 'vitest';
import { describeRun, runCommand } from './run-command';

const { packed } = inject('packaging');

const NO_TYPES = 'This package does not contain types';
/** A command, not a library: it exports only its package.json, so attw finds nothing to check. */
const COMMANDS = ['@tollgate/cli'];
/**
 * attw's options where its default (strict) profile does not apply. The promise is node16 from
 * CommonJS, node16 from ESM and bundler resolution; strict also checks node10.
 */
const ATTW_OPTIONS: Readonly<Record<string, readonly string[]>> = {
  // `@tollgate/core/testing` and `/adapter` are subpath exports, which node10 resolution
  // (`moduleResolution: node`, deprecated by TypeScript, older than the Node 20.19 the packages
  // require) does not read: the node16 profile checks everything but node10.
  '@tollgate/core': ['--profile', 'node16'],
};

const PACKAGING_DIRECTORY = fileURLToPath(new URL('..', import.meta.url));
const ATTW = fileURLToPath(new URL('../node_modules/.bin/attw', import.meta.url));

function attw(tarball: string, options: readonly string[] = []) {
  return runCommand(ATTW, [tarball, '--format', 'ascii', '--no-color', '--no-emoji', ...options], {
    cwd: PACKAGING_DIRECTORY,
  });
}

describe('are the types wrong', () => {
  const libraries = packed
    .filter((entry) => !COMMANDS.includes(entry.name))
    .map((entry) => [entry.name, entry.tarball]);
  it.each(libraries)(
    '%s: no problem for node16 (from CJS), node16 (from ESM) and bundler',
    async (name, tarball) => {
      const result = await attw(tarball, ATTW_OPTIONS[name]);
      expect(result.status, describeRun(result)).toBe(0);
      expect(result.stdout, describeRun(result)).not.toContain(NO_TYPES);
    },
  );

  const commands = packed
    .filter((entry) => COMMANDS.includes(entry.name))
    .map((entry) => [entry.name, entry.tarball]);
  it.each(commands)('%s: no types to check (a command, not a library)', async (_, tarball) => {
    const result = await attw(tarball);
    expect(result.status, describeRun(result)).toBe(0);
    expect(result.stdout, describeRun(result)).toContain(NO_TYPES);
  });
});
