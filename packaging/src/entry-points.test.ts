import { describe, expect, inject, it } from 'vitest';
import { describeRun, runCommand } from './run-command';

const { packed, appDirectory } = inject('packaging');

/** Every subpath a package exports, as an app imports it (`@tollgate/core/testing`). */
const entryPoints = packed.flatMap((entry) =>
  Object.keys(entry.manifest.exports ?? {})
    .filter((subpath) => subpath !== './package.json')
    .map((subpath) => entry.name + subpath.slice(1)),
);

interface LoadedExports {
  names: string[];
  renamed: string[];
}

describe('entry points', () => {
  it.each(entryPoints)(
    '%s: require() and import() load the same exports, with their names kept',
    async (specifier) => {
      const result = await runCommand('node', ['describe-entry-point.mjs', specifier], { cwd: appDirectory });
      expect(result.status, describeRun(result)).toBe(0);
      const loaded = JSON.parse(result.stdout) as { require: LoadedExports; import: LoadedExports };

      expect(loaded.import.names.length).toBeGreaterThan(0);
      expect(loaded.require.names).toEqual(loaded.import.names);
      expect({ require: loaded.require.renamed, import: loaded.import.renamed }).toEqual({
        require: [],
        import: [],
      });
    },
  );
});
