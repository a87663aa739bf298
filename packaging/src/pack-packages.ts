import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runStep } from './run-command';

export const REPOSITORY_ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface PackedPackage {
  readonly name: string;
  /** The absolute path of its tarball. */
  readonly tarball: string;
  /** The package.json as published (`workspace:` ranges rewritten). */
  readonly manifest: PackageManifest;
}

export interface PackageManifest {
  readonly name: string;
  readonly private?: boolean;
  readonly exports?: Readonly<Record<string, unknown>>;
}

/**
 * Packs every publishable package under packages/ with `pnpm pack`, which rewrites `workspace:`
 * ranges as a publish does. Packages are built beforehand (`pnpm build`).
 */
export async function packPublishablePackages(destination: string): Promise<PackedPackage[]> {
  const packagesDirectory = join(REPOSITORY_ROOT, 'packages');
  const packed: PackedPackage[] = [];
  for (const entry of (await readdir(packagesDirectory, { withFileTypes: true })).sort(byName)) {
    if (!entry.isDirectory()) continue;
    const directory = join(packagesDirectory, entry.name);
    const manifest = await readManifest(directory);
    if (manifest.private) continue;
    const result = await runStep('pnpm', ['pack', '--json', '--pack-destination', destination], {
      cwd: directory,
    });
    const { filename } = JSON.parse(result.stdout) as { filename: string };
    packed.push({ name: manifest.name, tarball: filename, manifest: await publishedManifest(filename) });
  }
  return packed;
}

async function readManifest(directory: string): Promise<PackageManifest> {
  return JSON.parse(await readFile(join(directory, 'package.json'), 'utf8')) as PackageManifest;
}

async function publishedManifest(tarball: string): Promise<PackageManifest> {
  const result = await runStep('tar', ['-xzOf', tarball, 'package/package.json'], { cwd: REPOSITORY_ROOT });
  return JSON.parse(result.stdout) as PackageManifest;
}

function byName(a: { name: string }, b: { name: string }): number {
  return a.name.localeCompare(b.name);
}
