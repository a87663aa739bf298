// Holds the write lock of a SQLite file, as another process stuck inside a transaction
// would: prints LOCKED once it has it, and lets it go when its stdin ends (or on SIGTERM).
import BetterSqlite3 from 'better-sqlite3';

const [path] = process.argv.slice(2);
const database = new BetterSqlite3(path, { timeout: 10_000 });
database.exec('BEGIN EXCLUSIVE');
console.log('LOCKED');

const release = () => {
  database.exec('ROLLBACK');
  database.close();
  process.exit(0);
};
process.stdin.on('end', release);
process.stdin.resume();
process.on('SIGTERM', release);
