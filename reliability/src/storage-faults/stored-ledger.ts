import BetterSqlite3 from 'better-sqlite3';
import { MongoClient } from 'mongodb';

/** What a store holds, read straight from its database, not through the store. */
export interface StoredLedger {
  /** Usage records: request id → nano-USD cost. */
  readonly records: ReadonlyMap<string, number>;
  readonly recordedCost: number;
  /** Every counter row or document as stored. */
  readonly counters: readonly { id: string; committed: number; reserved: number }[];
}

/** The usage documents and counter documents of a MongoStore database. */
export async function readMongoLedger(uri: string, dbName: string): Promise<StoredLedger> {
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 10_000 });
  try {
    const db = client.db(dbName);
    const usages = await db.collection('tollgate_usages').find().toArray();
    const counters = await db.collection('tollgate_counters').find().toArray();
    return ledgerOf(
      usages.map((usage) => ({ id: String(usage._id), cost: Number(usage.cost) })),
      counters.map((counter) => ({
        id: String(counter._id),
        committed: Number(counter.committed),
        reserved: Number(counter.reserved),
      })),
    );
  } finally {
    await client.close();
  }
}

/** The usage record rows and counter rows of a SqliteStore file. */
export function readSqliteLedger(path: string): StoredLedger {
  const database = new BetterSqlite3(path, { readonly: true, timeout: 10_000 });
  try {
    const usages = database.prepare('SELECT request_id AS id, cost FROM usage_records').all() as {
      id: string;
      cost: number;
    }[];
    const counters = database
      .prepare("SELECT budget_id || '|' || scope || '|' || period AS id, committed, reserved FROM counters")
      .all() as { id: string; committed: number; reserved: number }[];
    return ledgerOf(usages, counters);
  } finally {
    database.close();
  }
}

function ledgerOf(
  usages: readonly { id: string; cost: number }[],
  counters: readonly { id: string; committed: number; reserved: number }[],
): StoredLedger {
  const records = new Map(usages.map((usage) => [usage.id, usage.cost]));
  let recordedCost = 0;
  for (const cost of records.values()) recordedCost += cost;
  return { records, recordedCost, counters };
}
