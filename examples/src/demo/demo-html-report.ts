import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import pc from 'picocolors';
import { type DemoFiles, REPOSITORY_ROOT } from './demo-files';

export const CLI_PATH = join(REPOSITORY_ROOT, 'packages', 'cli', 'dist', 'cli.js');

/**
 * Writes the static HTML report with the `tollgate` CLI, when it is built. Returns the
 * file written, or undefined when the CLI is not there or did not write it.
 */
export function writeHtmlReport(files: DemoFiles): string | undefined {
  if (!existsSync(CLI_PATH)) return undefined;
  const htmlPath = join(files.directory, '.tollgate', 'report.html');
  rmSync(htmlPath, { force: true });
  const result = spawnSync(
    process.execPath,
    [
      CLI_PATH,
      'report',
      '--html',
      htmlPath,
      '--store',
      `sqlite:${files.databasePath}`,
      '--config',
      files.configPath,
    ],
    { cwd: files.directory, encoding: 'utf8', timeout: 30_000, env: { ...process.env, NO_COLOR: '1' } },
  );
  if (result.status === 0 && existsSync(htmlPath)) return htmlPath;
  const reason = result.error?.message ?? result.stderr.trim().split('\n')[0] ?? `exit code ${result.status}`;
  console.log(pc.dim(`\nThe HTML report was not written: tollgate report failed (${reason}).`));
  return undefined;
}
