import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { describeRun, runCommand } from './run-command';

const { sqliteCliAppDirectory } = inject('packaging');

describe('@tollgate/cli without the MongoDB packages', () => {
  it('`tollgate status --store mongodb://…` fails with one line that says to install @tollgate/mongodb mongodb', async () => {
    const result = await runCommand(
      join(sqliteCliAppDirectory, 'node_modules', '.bin', 'tollgate'),
      ['status', '--store', 'mongodb://127.0.0.1:1/x'],
      { cwd: sqliteCliAppDirectory },
    );
    expect(result.status, describeRun(result)).not.toBe(0);
    expect(result.stderr).toContain('npm install @tollgate/mongodb mongodb');
    expect(result.stderr.trim().split('\n'), 'one line, no stack trace').toHaveLength(1);
  });
});
