import { describe, expect, it } from 'vitest';
import { describeError } from './describe-error';
import { redactCredentials } from './redact-credentials';
import { parseStoreSpec, STORE_FORMS } from './store-spec';

describe('parseStoreSpec', () => {
  it('reads sqlite:PATH relative to the current directory', () => {
    expect(parseStoreSpec('sqlite:.tollgate/tollgate.db', '/work/app')).toEqual({
      kind: 'sqlite',
      path: '/work/app/.tollgate/tollgate.db',
      label: 'sqlite:.tollgate/tollgate.db',
      source: '--store',
    });
    expect(parseStoreSpec('sqlite:/data/x.db', '/work/app')).toMatchObject({
      path: '/data/x.db',
      label: 'sqlite:/data/x.db',
    });
  });

  it('takes the MongoDB database from the path, replica-set host lists included, and hides the password', () => {
    expect(parseStoreSpec('mongodb://app:s3cret@db1:27017,db2:27017/budgets?replicaSet=rs0', '/')).toEqual({
      kind: 'mongodb',
      uri: 'mongodb://app:s3cret@db1:27017,db2:27017/budgets?replicaSet=rs0',
      dbName: 'budgets',
      label: 'mongodb://app:***@db1:27017,db2:27017/budgets?replicaSet=rs0',
      source: '--store',
    });
    expect(parseStoreSpec('mongodb+srv://cluster.example.net/', '/')).toMatchObject({ dbName: 'tollgate' });
    expect(parseStoreSpec('mongodb://localhost', '/')).toMatchObject({ dbName: 'tollgate' });
  });

  it('reads a plain path as an SQLite file when it has a directory or an SQLite extension', () => {
    expect(parseStoreSpec('.tollgate/usage.db', '/work/app')).toEqual({
      kind: 'sqlite',
      path: '/work/app/.tollgate/usage.db',
      label: 'sqlite:.tollgate/usage.db',
      source: '--store',
    });
    expect(parseStoreSpec('/data/store', '/work/app')).toMatchObject({ kind: 'sqlite', path: '/data/store' });
    for (const file of ['usage.db', 'app.sqlite', 'app.SQLITE3', './usage'])
      expect(parseStoreSpec(file, '/work/app')).toMatchObject({ kind: 'sqlite', label: `sqlite:${file}` });
    expect(parseStoreSpec('C:\\data\\app.db', '/work/app')).toMatchObject({ kind: 'sqlite' });
    for (const text of ['usage', 'usage.json', 'redis://localhost/0', 'postgres:app.db', 'mongodb:/x.db'])
      expect(() => parseStoreSpec(text, '/work/app')).toThrow(
        `unknown store "${text}" (from --store): use ${STORE_FORMS}`,
      );
  });

  it('refuses other schemes without echoing a password', () => {
    expect(() => parseStoreSpec('postgres://u:pw@host/db', '/')).toThrow(
      `unknown store "postgres://u:***@host/db" (from --store): use ${STORE_FORMS}`,
    );
  });

  it('names $TOLLGATE_STORE when the refused value came from it', () => {
    expect(() => parseStoreSpec('mystore', '/', '$TOLLGATE_STORE')).toThrow(
      'unknown store "mystore" (from $TOLLGATE_STORE): use sqlite:PATH, a path to an SQLite file (with a / in it, or ending in .db, .sqlite or .sqlite3) or a mongodb:// connection string',
    );
    expect(() => parseStoreSpec('sqlite:', '/', '$TOLLGATE_STORE')).toThrow(
      '$TOLLGATE_STORE sqlite: needs a path',
    );
  });
});

describe('redactCredentials and describeError', () => {
  it('hides passwords anywhere in a message', () => {
    expect(redactCredentials('failed to reach mongodb://u:pw@h:1/x and mongodb://h2')).toBe(
      'failed to reach mongodb://u:***@h:1/x and mongodb://h2',
    );
  });

  it('joins an error with its causes on one line', () => {
    const error = new Error('The SQLite database could not be opened.', {
      cause: new Error('file is not a database'),
    });
    expect(describeError(error)).toBe('The SQLite database could not be opened: file is not a database');
    expect(describeError(new Error('first line\nsecond line'))).toBe('first line');
  });
});
