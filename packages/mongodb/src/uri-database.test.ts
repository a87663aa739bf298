import { MongoClient } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { resolveMongoStoreOptions } from './mongo-store-options';
import { uriDatabaseName } from './uri-database';

// The database a connection string names, compared with the driver's own reading of it
// (`MongoClient.options.dbName`, which is `test` when the uri names none).
const cases: [string, string | undefined][] = [
  ['mongodb://127.0.0.1:27999/nuwalk', 'nuwalk'],
  ['mongodb://127.0.0.1:27999/nuwalk?retryWrites=true&w=majority', 'nuwalk'],
  ['mongodb://127.0.0.1:27999', undefined],
  ['mongodb://127.0.0.1:27999/', undefined],
  ['mongodb://127.0.0.1:27999/?replicaSet=rs0', undefined],
  ['mongodb://127.0.0.1:27999?authSource=admin', undefined],
  ['mongodb://127.0.0.1?authMechanismProperties=TOKEN_RESOURCE:api://app/x', undefined],
  ['mongodb://user:p%2Fw%3F@h1:1,h2:2,h3:3/bud%2Dgets?replicaSet=rs0', 'bud-gets'],
  ['mongodb://h:1/caf%C3%A9', 'café'],
  ['mongodb://h:1/spend#part', 'spend'],
  ['mongodb://h:1/a/b', 'a/b'],
];

describe('uriDatabaseName', () => {
  for (const [uri, database] of cases) {
    it(`reads ${uri} as the driver does`, () => {
      expect(uriDatabaseName(uri)).toBe(database);
      expect(new MongoClient(uri).options.dbName).toBe(database ?? 'test');
    });
  }

  it('reads a mongodb+srv uri', () => {
    expect(uriDatabaseName('mongodb+srv://user:secret@cluster0.example.net/nuwalk?retryWrites=true')).toBe(
      'nuwalk',
    );
    expect(uriDatabaseName('mongodb+srv://cluster0.example.net/')).toBeUndefined();
  });
});

describe('the resolved database', () => {
  const dbName = (options: object) => resolveMongoStoreOptions(options).dbName;

  it('is the uri database, else tollgate, and dbName when given', () => {
    expect(dbName({ uri: 'mongodb://h/nuwalk' })).toBe('nuwalk');
    expect(dbName({ uri: 'mongodb+srv://cluster0.example.net/nuwalk' })).toBe('nuwalk');
    expect(dbName({ uri: 'mongodb://h/' })).toBe('tollgate');
    expect(dbName({ uri: 'mongodb://h' })).toBe('tollgate');
    expect(dbName({ uri: 'mongodb://h/nuwalk', dbName: 'billing' })).toBe('billing');
    expect(dbName({ client: new MongoClient('mongodb://h/nuwalk') })).toBe('tollgate');
  });

  it('accepts any name MongoDB accepts from the uri', () => {
    expect(dbName({ uri: `mongodb://h/${'d'.repeat(63)}` })).toBe('d'.repeat(63));
    expect(dbName({ uri: 'mongodb://h/b%C3%BCdget@2026' })).toBe('büdget@2026');
  });
});
