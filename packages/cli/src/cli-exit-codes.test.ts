import { copyFileSync, mkdirSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { version } from '../package.json';
import { CLI_PATH, runTollgate } from './testing/run-tollgate';
import { seedSqliteHistory } from './testing/seed-history';
import { temporaryDirectory } from './testing/temporary-directory';

let directory: ReturnType<typeof temporaryDirectory>;
let databasePath: string;

beforeAll(async () => {
  directory = temporaryDirectory();
  ({ databasePath } = await seedSqliteHistory(path.join(directory.path, 'data')));
});

afterAll(() => directory.remove());

/** An expected failure is one line (or commander's line and its usage hint), never a stack. */
function expectOneLineError(stderr: string, pattern: RegExp): void {
  expect(stderr).toMatch(pattern);
  expect(stderr).not.toMatch(/^\s+at /m);
  expect(stderr.trim().split('\n').length).toBeLessThanOrEqual(2);
}

describe('exit code 2: bad arguments', () => {
  it.each([
    [
      ['report', '--days', '0'],
      /^tollgate: option '--days <n>' argument '0' is invalid\. must be a whole number from 1 to 3,660\./,
    ],
    [['report', '--days', 'many'], /^tollgate: option '--days <n>' argument 'many' is invalid/],
    [
      ['report', '--by', 'provider,colour'],
      /unknown dimension "colour" \(use provider, model, catalog-model, service, day, type, user, project\)/,
    ],
    [['status', '--bogus'], /^tollgate: unknown option '--bogus'/],
    [['launch'], /^tollgate: unknown command 'launch'/],
    [['estimate', '--input-tokens', '10'], /^tollgate: required option '--model <id>' not specified/],
    [['estimate', '--model', 'gpt-4o', '--input-tokens', '-5'], /argument '-5' is invalid/],
    [['prices', '--service', 'telepathy'], /argument 'telepathy' is invalid\. Allowed choices are llm, /],
    [
      ['status', '--store', 'redis://user:secret@localhost'],
      /^tollgate: unknown store "redis:\/\/user:\*\*\*@localhost" \(from --store\): use sqlite:PATH, a path to an SQLite file \(with a \/ in it, or ending in \.db, \.sqlite or \.sqlite3\) or a mongodb:\/\/ connection string\n$/,
    ],
    [
      ['status', '--store', 'usage'],
      /^tollgate: unknown store "usage" \(from --store\): use sqlite:PATH, a path to an SQLite file \(with a \/ in it, or ending in \.db, \.sqlite or \.sqlite3\) or a mongodb:\/\/ connection string\n$/,
    ],
    [['status', '--store', 'sqlite:'], /^tollgate: --store sqlite: needs a path/],
    [['status', '--config', 'missing.json'], /^tollgate: cannot read config missing\.json: no such file\n$/],
  ])('tollgate %j', async (args, pattern) => {
    const run = await runTollgate(args, { cwd: directory.path });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expectOneLineError(run.stderr, pattern);
  });

  it('refuses a config that is not JSON, or whose budgets are invalid, naming the field', async () => {
    const broken = path.join(directory.path, 'broken.json');
    writeFileSync(broken, '{ "budgets": [ ');
    const notJson = await runTollgate(['status', '--store', `sqlite:${databasePath}`, '--config', broken]);
    expect(notJson.code).toBe(2);
    expectOneLineError(notJson.stderr, /^tollgate: invalid config .*broken\.json: /);

    const invalid = path.join(directory.path, 'invalid.json');
    writeFileSync(invalid, JSON.stringify({ budgets: [{ id: 'app', limitUsd: -3 }] }));
    const run = await runTollgate(['status', '--store', `sqlite:${databasePath}`, '--config', invalid]);
    expect(run.code).toBe(2);
    expectOneLineError(
      run.stderr,
      /^tollgate: invalid config .*invalid\.json: Invalid budgets\[0\]\.limitUsd: /,
    );

    const unknown = path.join(directory.path, 'unknown.json');
    writeFileSync(unknown, JSON.stringify({ budget: [] }));
    const typo = await runTollgate(['status', '--store', `sqlite:${databasePath}`, '--config', unknown]);
    expect(typo.code).toBe(2);
    expectOneLineError(typo.stderr, /unknown field "budget" \(known: budgets, reportTimeZone, prices\)/);
  });

  it('shows a typed core ValidationError as one line', async () => {
    const run = await runTollgate(['status', '--store', `sqlite:${databasePath}`, '--user', '$where']);
    expect(run.code).toBe(2);
    expectOneLineError(run.stderr, /^tollgate: Invalid context.userId: /);
  });

  it('names $TOLLGATE_STORE, and the forms a store takes, when the store it names is not one', async () => {
    const run = await runTollgate(['status'], { cwd: directory.path, env: { TOLLGATE_STORE: 'mystore' } });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expectOneLineError(
      run.stderr,
      /^tollgate: unknown store "mystore" \(from \$TOLLGATE_STORE\): use sqlite:PATH, a path to an SQLite file \(with a \/ in it, or ending in \.db, \.sqlite or \.sqlite3\) or a mongodb:\/\/ connection string\n$/,
    );
    // --store wins over the variable, and is the one named.
    const option = await runTollgate(['status', '--store', 'usage'], { env: { TOLLGATE_STORE: 'mystore' } });
    expectOneLineError(option.stderr, /^tollgate: unknown store "usage" \(from --store\): /);
  });

  it('refuses a TOLLGATE_NOW that is not a time', async () => {
    const run = await runTollgate(['status', '--store', `sqlite:${databasePath}`], {
      env: { TOLLGATE_NOW: 'tomorrow' },
    });
    expect(run.code).toBe(2);
    expectOneLineError(run.stderr, /^tollgate: TOLLGATE_NOW must be an ISO 8601 time/);
  });
});

describe('exit code 3: a store that cannot be opened', () => {
  it('names a missing SQLite file instead of creating an empty one', async () => {
    const run = await runTollgate(['status', '--store', 'sqlite:/nope/x.db']);
    expect(run.code).toBe(3);
    expectOneLineError(
      run.stderr,
      /^tollgate: cannot open store sqlite:\/nope\/x\.db: no database at \/nope\/x\.db: an app's SqliteStore creates it on its first call; check the path, or pass --store sqlite:<file> or --store mongodb:\/\/…\n$/,
    );
  });

  it('names a missing file given as a plain path', async () => {
    const run = await runTollgate(['status', '--store', '/nope/usage.db']);
    expect(run.code).toBe(3);
    expectOneLineError(
      run.stderr,
      /^tollgate: cannot open store sqlite:\/nope\/usage\.db: no database at \/nope\/usage\.db: /,
    );
  });

  it('names $TOLLGATE_STORE when the missing file came from it', async () => {
    const run = await runTollgate(['status'], { env: { TOLLGATE_STORE: '/nope/usage.db' } });
    expect(run.code).toBe(3);
    expectOneLineError(
      run.stderr,
      /^tollgate: cannot open store sqlite:\/nope\/usage\.db: no database at \/nope\/usage\.db \(the store \$TOLLGATE_STORE names\): an app's SqliteStore creates it on its first call; check \$TOLLGATE_STORE, or pass --store sqlite:<file> or --store mongodb:\/\/…\n$/,
    );
  });

  it('refuses a file that is not a database', async () => {
    const text = path.join(directory.path, 'notes.db');
    writeFileSync(text, 'these are notes, not a database\n'.repeat(200));
    const run = await runTollgate(['report', '--store', `sqlite:${text}`]);
    expect(run.code).toBe(3);
    expectOneLineError(run.stderr, /^tollgate: cannot open store sqlite:.*notes\.db: .*not a database/);
  });

  it('names the packages to install when a mongodb:// store has no driver installed', async () => {
    // The command installed alone: its bundle beside its own dependencies, without the optional
    // MongoDB peers (this package's devDependencies would otherwise resolve).
    const install = path.join(directory.path, 'cli-alone');
    mkdirSync(path.join(install, 'node_modules', '@tollgate'), { recursive: true });
    writeFileSync(path.join(install, 'package.json'), JSON.stringify({ type: 'module' }));
    copyFileSync(CLI_PATH, path.join(install, 'cli.js'));
    const ownModules = path.join(path.dirname(CLI_PATH), '..', 'node_modules');
    for (const name of ['commander', 'picocolors', '@tollgate/core', '@tollgate/sqlite'])
      symlinkSync(realpathSync(path.join(ownModules, name)), path.join(install, 'node_modules', name), 'dir');
    const run = await runTollgate(['status', '--store', 'mongodb://reader:hunter2@127.0.0.1:9/budgets'], {
      cwd: install,
      cliPath: path.join(install, 'cli.js'),
    });
    expect(run.code).toBe(3);
    expectOneLineError(
      run.stderr,
      /^tollgate: cannot open store mongodb:\/\/reader:\*\*\*@127\.0\.0\.1:9\/budgets: this store needs @tollgate\/mongodb mongodb, which is not installed: run `npm install @tollgate\/mongodb mongodb` \(or `pnpm add @tollgate\/mongodb mongodb`\) next to @tollgate\/cli\n$/,
    );
    // SQLite needs neither.
    const sqlite = await runTollgate(['status', '--json', '--store', databasePath], {
      cwd: install,
      cliPath: path.join(install, 'cli.js'),
    });
    expect(sqlite.stderr).toBe('');
    expect(sqlite.code).toBe(0);
  });

  it('gives up on an unreachable MongoDB server after the connect timeout, hiding the password', async () => {
    // A server that drops every connection at once. The driver tries again at most every 500 ms
    // until --connect-timeout (1,000 ms) runs out: a few connections. Had the CLI left the driver's
    // 30 s default, it would have tried about 60 times (and outlived runTollgate's 30 s).
    let connections = 0;
    const unreachable = createServer((socket) => {
      connections += 1;
      socket.destroy();
    });
    await new Promise<void>((resolve) => unreachable.listen(0, '127.0.0.1', resolve));
    const { port } = unreachable.address() as AddressInfo;
    try {
      const run = await runTollgate([
        'status',
        '--store',
        `mongodb://reader:hunter2@127.0.0.1:${port}/budgets`,
        '--connect-timeout',
        '1000',
      ]);
      expect(run.code).toBe(3);
      expectOneLineError(
        run.stderr,
        new RegExp(
          `^tollgate: cannot open store mongodb://reader:\\*\\*\\*@127\\.0\\.0\\.1:${port}/budgets: `,
        ),
      );
      expect(run.stderr).not.toContain('hunter2');
      expect(connections).toBeGreaterThan(0);
      expect(connections).toBeLessThan(20);
    } finally {
      await new Promise((resolve) => unreachable.close(resolve));
    }
  });
});

describe('help and version', () => {
  it('prints the version', async () => {
    const run = await runTollgate(['--version']);
    expect(run).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });

  it.each([
    ['status', ['--json', '--store <store>', '--config <file>', '--user <id>']],
    ['report', ['--by <dimensions>', '--days <n>', '--json', '--html <file>', '--limit <n>']],
    ['prices', ['[model]', '--provider <id>', '--service <type>', '--json']],
    ['estimate', ['--model <id>', '--provider <id>', '--input-tokens <n>', '--output-tokens <n>', '--json']],
  ])('documents the options of %s', async (command, options) => {
    const run = await runTollgate([command, '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Usage: tollgate ${command}`);
    for (const option of options) expect(run.stdout).toContain(option);
  });

  it('shows the default breakdowns of report as they are typed', async () => {
    const run = await runTollgate(['report', '--help']);
    expect(run.stdout.replace(/\s+/g, ' ')).toContain('(default: provider,model,type,day)');
    expect(run.stdout).not.toContain('[[');
  });

  it('lists the commands and exit codes, and treats a missing command as a usage error', async () => {
    const help = await runTollgate(['--help']);
    expect(help.code).toBe(0);
    for (const command of ['status', 'report', 'prices', 'estimate']) expect(help.stdout).toContain(command);
    expect(help.stdout).toContain('Exit codes: 0 ok, 1 unexpected error, 2 bad arguments or config, 3 store');
    const bare = await runTollgate([]);
    expect(bare.code).toBe(2);
    expect(bare.stderr).toContain('Usage: tollgate');
  });
});
