/**
 * The staff accounts and their sessions, in their own SQLite file in the data folder (DATA_DIR/staff.db),
 * readable by the owner only: it holds password hashes and session hashes. The running server and the CLI
 * (`loa user ...`) open it at the same time; WAL and a busy timeout let them take turns.
 */
import BetterSqlite3, { type Database } from 'better-sqlite3';
import { ownerOnlyDatabase } from '../data-dir.js';

const STAFF_DATABASE_FILE = 'staff.db';

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS accounts (
    user TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    roles TEXT NOT NULL,
    enabled INTEGER NOT NULL,
    password_hash TEXT NOT NULL,
    must_change_password INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE TABLE IF NOT EXISTS sessions (
    token_hash TEXT PRIMARY KEY,
    user TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL
  );
  CREATE INDEX IF NOT EXISTS sessions_by_user ON sessions (user);
`;

export function openStaffDatabase(dataDir: string): Database {
  const db = new BetterSqlite3(ownerOnlyDatabase(dataDir, STAFF_DATABASE_FILE));
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  db.exec(SCHEMA);
  return db;
}
