import { TollgateError } from '@tollgate/core';
import type { Database } from 'better-sqlite3';

/** One step of the schema. Migration `n` (0-based) takes a database from version `n` to `n + 1`. */
export type SqliteMigration = (database: Database) => void;

/**
 * Every table is STRICT, so a fractional amount can never slip into a money column, and
 * each read path has its own index: counters, reservations by expiry, daily spend and
 * rollups by day. Append new migrations; never edit a released one.
 */
const createInitialSchema: SqliteMigration = (database) => {
  database.exec(`
    CREATE TABLE counters (
      budget_id TEXT NOT NULL,
      scope TEXT NOT NULL,
      period TEXT NOT NULL,
      committed INTEGER NOT NULL DEFAULT 0,
      reserved INTEGER NOT NULL DEFAULT 0,
      period_end INTEGER,
      PRIMARY KEY (budget_id, scope, period)
    ) STRICT, WITHOUT ROWID;

    CREATE TABLE reservations (
      reservation_id TEXT NOT NULL PRIMARY KEY,
      amount INTEGER NOT NULL,
      expires_at INTEGER NOT NULL
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX reservations_by_expiry ON reservations (expires_at);

    CREATE TABLE reservation_counters (
      reservation_id TEXT NOT NULL,
      budget_id TEXT NOT NULL,
      scope TEXT NOT NULL,
      period TEXT NOT NULL,
      PRIMARY KEY (reservation_id, budget_id, scope, period)
    ) STRICT, WITHOUT ROWID;

    CREATE TABLE usage_records (
      request_id TEXT NOT NULL PRIMARY KEY,
      timestamp INTEGER NOT NULL,
      day TEXT NOT NULL,
      provider TEXT NOT NULL,
      model TEXT NOT NULL,
      service TEXT NOT NULL,
      request_type TEXT NOT NULL,
      user_id TEXT,
      project_id TEXT,
      tags TEXT NOT NULL,
      cost INTEGER NOT NULL,
      reserved INTEGER NOT NULL,
      overrun INTEGER NOT NULL,
      estimated INTEGER NOT NULL,
      price_source TEXT NOT NULL,
      input_tokens INTEGER NOT NULL,
      cache_read_tokens INTEGER NOT NULL,
      cache_write_tokens INTEGER NOT NULL,
      output_tokens INTEGER NOT NULL,
      reasoning_tokens INTEGER NOT NULL,
      audio_milliseconds INTEGER NOT NULL,
      characters INTEGER NOT NULL,
      images INTEGER NOT NULL,
      pages INTEGER NOT NULL
    ) STRICT;

    CREATE TABLE daily_spend (
      budget_id TEXT NOT NULL,
      scope TEXT NOT NULL,
      day TEXT NOT NULL,
      cost INTEGER NOT NULL,
      PRIMARY KEY (budget_id, scope, day)
    ) STRICT, WITHOUT ROWID;

    CREATE TABLE rollups (
      day TEXT NOT NULL,
      provider TEXT NOT NULL,
      model TEXT NOT NULL,
      service TEXT NOT NULL,
      request_type TEXT NOT NULL,
      user_id TEXT NOT NULL,
      project_id TEXT NOT NULL,
      cost INTEGER NOT NULL,
      requests INTEGER NOT NULL,
      input_tokens INTEGER NOT NULL,
      cache_read_tokens INTEGER NOT NULL,
      cache_write_tokens INTEGER NOT NULL,
      output_tokens INTEGER NOT NULL,
      reasoning_tokens INTEGER NOT NULL,
      audio_milliseconds INTEGER NOT NULL,
      characters INTEGER NOT NULL,
      images INTEGER NOT NULL,
      pages INTEGER NOT NULL,
      estimated_requests INTEGER NOT NULL,
      PRIMARY KEY (day, provider, model, service, request_type, user_id, project_id)
    ) STRICT, WITHOUT ROWID;
  `);
};

/**
 * Store contract v2: the budget definitions an app saves (as JSON, keyed by id), the model as
 * called beside the served one and the catalog id it was priced with, an index for records in
 * time order and one for the counters of a budget and period, and rollups with the catalog model
 * as a dimension.
 *
 * Nothing written before is rewritten, and a process of the previous version that still has the
 * file open keeps working: its records leave the new columns NULL (read as catalog model = model,
 * which is what those records hold), and its rollups keep going to `rollups`, which reads merge
 * with `model_rollups` (there too, the catalog model of an old row is its model).
 */
const addBudgetsAndRecordPages: SqliteMigration = (database) => {
  database.exec(`
    CREATE TABLE budgets (
      budget_id TEXT NOT NULL PRIMARY KEY,
      definition TEXT NOT NULL,
      defined_at INTEGER NOT NULL
    ) STRICT, WITHOUT ROWID;

    ALTER TABLE usage_records ADD COLUMN served_model TEXT;
    ALTER TABLE usage_records ADD COLUMN catalog_model TEXT;
    CREATE INDEX usage_records_by_time ON usage_records (timestamp, request_id);

    CREATE INDEX counters_by_period ON counters (budget_id, period, scope);

    CREATE TABLE model_rollups (
      day TEXT NOT NULL,
      provider TEXT NOT NULL,
      model TEXT NOT NULL,
      catalog_model TEXT NOT NULL,
      service TEXT NOT NULL,
      request_type TEXT NOT NULL,
      user_id TEXT NOT NULL,
      project_id TEXT NOT NULL,
      cost INTEGER NOT NULL,
      requests INTEGER NOT NULL,
      input_tokens INTEGER NOT NULL,
      cache_read_tokens INTEGER NOT NULL,
      cache_write_tokens INTEGER NOT NULL,
      output_tokens INTEGER NOT NULL,
      reasoning_tokens INTEGER NOT NULL,
      audio_milliseconds INTEGER NOT NULL,
      characters INTEGER NOT NULL,
      images INTEGER NOT NULL,
      pages INTEGER NOT NULL,
      estimated_requests INTEGER NOT NULL,
      PRIMARY KEY (day, provider, model, catalog_model, service, request_type, user_id, project_id)
    ) STRICT, WITHOUT ROWID;
  `);
};

/**
 * The provider's usage block a record was rebuilt from, when it could not be trusted (JSON, for
 * audit). A process of the previous version leaves it NULL: no block.
 */
const addRawUsage: SqliteMigration = (database) => {
  database.exec('ALTER TABLE usage_records ADD COLUMN raw_usage TEXT;');
};

export const SQLITE_MIGRATIONS: readonly SqliteMigration[] = [
  createInitialSchema,
  addBudgetsAndRecordPages,
  addRawUsage,
];

/**
 * Brings the database to the newest schema: the pending migrations run in order inside one
 * immediate transaction, so a failing step leaves the file untouched and two processes
 * opening a new file at once do not both migrate it. Returns the resulting version.
 */
export function migrateSchema(
  database: Database,
  migrations: readonly SqliteMigration[] = SQLITE_MIGRATIONS,
): number {
  const migrate = database.transaction(() => {
    const version = database.pragma('user_version', { simple: true }) as number;
    if (version > migrations.length) {
      throw new TollgateError(
        `The database has schema version ${version}, newer than the ${migrations.length} this @tollgate/sqlite knows: upgrade @tollgate/sqlite.`,
      );
    }
    for (let step = version; step < migrations.length; step++) migrations[step]!(database);
    if (version !== migrations.length) database.pragma(`user_version = ${migrations.length}`);
    return migrations.length;
  });
  return migrate.immediate();
}
