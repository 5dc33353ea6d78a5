/**
 * The one connection the SQLite stores of the embedded runtime share: opened with the runtime's pragmas,
 * brought to the latest schema, with its prepared statements cached and its transactions run here.
 */
import BetterSqlite3 from 'better-sqlite3';
import type { Database, Statement } from 'better-sqlite3';
import { applyPragmas, migrate } from './schema.js';

export class SqliteDatabase {
  /** Opens (or creates) a database file with the runtime's pragmas and brings its schema up to date. */
  static open(file: string): SqliteDatabase {
    const db = new BetterSqlite3(file);
    applyPragmas(db);
    return new SqliteDatabase(db);
  }

  private readonly statements = new Map<string, Statement>();

  /** Brings `db` to the latest schema; `open` also sets the runtime's pragmas. */
  constructor(readonly db: Database) {
    migrate(db);
  }

  /** A prepared statement, prepared once per connection (`key` defaults to the SQL itself). */
  sql(sql: string, key: string = sql): Statement {
    let statement = this.statements.get(key);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(key, statement);
    }
    return statement;
  }

  /** The record kept as JSON in the data column of the row the query finds, if any. */
  record<T>(sql: string, ...params: unknown[]): T | undefined {
    const row = this.sql(sql).get(...params) as { data: string } | undefined;
    return row && (JSON.parse(row.data) as T);
  }

  /** The records kept as JSON in the data column of every row the query finds, in its order. */
  records<T>(sql: string, ...params: unknown[]): T[] {
    const rows = this.sql(sql).all(...params) as { data: string }[];
    return rows.map((row) => JSON.parse(row.data) as T);
  }

  /** Runs `work` as one write transaction, begun IMMEDIATE so it never fails upgrading a read lock. */
  write<T>(work: () => T): T {
    return this.db.transaction(work).immediate();
  }

  /** Runs `work` as one read transaction: one snapshot for every statement in it. */
  read<T>(work: () => T): T {
    return this.db.transaction(work)();
  }

  close(): void {
    this.db.close();
  }
}
