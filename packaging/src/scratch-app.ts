import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runStep } from './run-command';

/**
 * Creates an app outside the workspace and installs `packages` into it with one `npm install`,
 * as a user types it: npm picks the versions of everything not pinned. `devDependencies` are
 * the app's own tools, pinned.
 */
export async function installScratchApp(
  directory: string,
  packages: readonly string[],
  devDependencies: Readonly<Record<string, string>> = {},
): Promise<void> {
  await mkdir(directory, { recursive: true });
  // What `npm init -y` writes: a CommonJS package, so a `.ts` file in it is CommonJS under node16/nodenext.
  const manifest = { name: 'tollgate-packaging-app', version: '1.0.0', private: true, type: 'commonjs' };
  await writeFile(join(directory, 'package.json'), JSON.stringify({ ...manifest, devDependencies }, null, 2));
  await runStep('npm', ['install', '--no-audit', '--no-fund', ...packages], { cwd: directory });
}

/** The version of each package that npm installed at the top of the app's node_modules. */
export async function installedVersions(directory: string, names: readonly string[]): Promise<string[]> {
  const versions: string[] = [];
  for (const name of names) {
    const manifest = JSON.parse(
      await readFile(join(directory, 'node_modules', name, 'package.json'), 'utf8'),
    );
    versions.push(`${name}@${manifest.version}`);
  }
  return versions;
}
