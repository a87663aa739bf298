import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { type PackedPackage, packPublishablePackages, REPOSITORY_ROOT } from './pack-packages';
import { installedVersions, installScratchApp } from './scratch-app';

/**
 * What a user adds beside tollgate, unpinned: npm picks the versions that run on this Node.
 * fast-check is the optional peer that `@tollgate/core/testing` needs.
 */
const USER_PACKAGES = [
  'openai',
  '@anthropic-ai/sdk',
  '@mistralai/mistralai',
  '@google/genai',
  'ai',
  '@ai-sdk/openai',
  'fast-check',
];
/**
 * The scratch app's tools, pinned. `@types/json-schema`: the AI SDK's declarations import
 * `json-schema`, whose types an app that checks its libraries (`skipLibCheck: false`) installs.
 */
const APP_TOOLS = { typescript: '5.9.3', '@types/node': '^20.19.0', '@types/json-schema': '^7.0.15' };
/**
 * The versions worth reporting: npm's picks, mongodb as @tollgate/mongodb's peer and
 * better-sqlite3 as @tollgate/sqlite's dependency (a user does not install either by hand).
 */
const REPORTED_VERSIONS = [
  'openai',
  '@anthropic-ai/sdk',
  '@mistralai/mistralai',
  '@google/genai',
  'ai',
  '@ai-sdk/openai',
  'better-sqlite3',
  'mongodb',
  'fast-check',
  'typescript',
];

export interface PackagingContext {
  readonly packed: readonly PackedPackage[];
  /** Every tarball and the SDKs, installed with npm: the apps and type-check consumers run here. */
  readonly appDirectory: string;
  /** Only @tollgate/cli (with core and sqlite, which it depends on): a SQLite user's install. */
  readonly sqliteCliAppDirectory: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    packaging: PackagingContext;
  }
}

/** Packs the packages and installs them into scratch apps under the system's temporary directory. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const root = await mkdtemp(join(tmpdir(), 'tollgate-packaging-'));
  const removeRoot = () => rm(root, { recursive: true, force: true });
  try {
    const packed = await packPublishablePackages(join(root, 'tarballs'));
    const tarballsOf = (names: readonly string[]) =>
      packed.filter((entry) => names.includes(entry.name)).map((entry) => entry.tarball);
    const appDirectory = join(root, 'app');
    const sqliteCliAppDirectory = join(root, 'sqlite-cli-app');
    // Both may compile better-sqlite3 from source (no prebuilt binary reachable): in parallel.
    await Promise.all([
      installScratchApp(appDirectory, [...packed.map((entry) => entry.tarball), ...USER_PACKAGES], APP_TOOLS),
      installScratchApp(
        sqliteCliAppDirectory,
        tarballsOf(['@tollgate/cli', '@tollgate/core', '@tollgate/sqlite']),
      ),
    ]);
    await cp(join(REPOSITORY_ROOT, 'packaging', 'apps'), appDirectory, { recursive: true });
    const versions = await installedVersions(appDirectory, REPORTED_VERSIONS);
    console.log(
      `Scratch app ${appDirectory}, npm installed on Node ${process.versions.node}: ${versions.join(', ')}`,
    );
    project.provide('packaging', { packed, appDirectory, sqliteCliAppDirectory });
  } catch (error) {
    await removeRoot();
    throw error;
  }
  return removeRoot;
}
