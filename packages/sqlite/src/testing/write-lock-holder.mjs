// Another process inside a write transaction on a SQLite file: prints LOCKED once it holds the
// write lock, lets it go (ROLLBACK) when a line arrives on stdin, then exits.
import BetterSqlite3 from 'better-sqlite3';

const [path] = process.argv.slice(2);
const database = new BetterSqlite3(path);
database.exec('BEGIN IMMEDIATE');
process.stdout.write('LOCKED\n');
process.stdin.once('data', () => {
  database.exec('ROLLBACK');
  database.close();
  process.exit(0);
});
