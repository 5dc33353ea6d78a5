/**
 * Pages of the SQLite stores: each list reads one row more than the page to know whether another page
 * follows, and hands back the last row's sort key as an opaque cursor.
 */
import { ValidationError } from '../../core/errors.js';
import type { Page, PageRequest } from '../../core/model.js';
import { joined, type SqlCondition } from './list-filters.js';
import type { SqliteDatabase } from './sqlite-database.js';

/** A list row: the record and its sort key (k1, k2), which becomes the next page's cursor. */
export interface PageRow {
  data: string;
  k1: string;
  k2?: string;
}

export function pageSize(page: PageRequest): number {
  return Math.max(1, Math.floor(page.limit));
}

export function toPage<T>(rows: PageRow[], page: PageRequest): Page<T> {
  const size = pageSize(page);
  const items = rows.slice(0, size).map((row) => JSON.parse(row.data) as T);
  const last = rows[size - 1];
  if (rows.length <= size || !last) return { items };
  return { items, nextCursor: encodeCursor(last.k2 === undefined ? [last.k1] : [last.k1, last.k2]) };
}

export function encodeCursor(key: string[]): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

/** The key inside a cursor of this list, or `start` when there is none; ValidationError when forged. */
export function decodeCursor(cursor: string | undefined, start: [string]): [string];
export function decodeCursor(cursor: string | undefined, start: [string, string]): [string, string];
export function decodeCursor(cursor: string | undefined, start: string[]): string[] {
  if (cursor === undefined) return start;
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    key = undefined;
  }
  if (!Array.isArray(key) || key.length !== start.length || !key.every((part) => typeof part === 'string')) {
    throw ValidationError.field('cursor', 'not a cursor of this list');
  }
  return key as string[];
}

/**
 * Records of a table with created_at and id columns, oldest first, paged by that key; only those
 * meeting every condition in `where`.
 */
export function listByCreation<T>(
  database: SqliteDatabase,
  table: 'templates' | 'segments' | 'campaigns' | 'vans' | 'tours',
  page: PageRequest,
  where: SqlCondition[] = [],
): Page<T> {
  const [createdAt, id] = decodeCursor(page.cursor, ['', '']);
  const conditions = joined(where);
  const rows = database
    .sql(
      `SELECT data, created_at AS k1, id AS k2 FROM ${table}
       WHERE ${conditions.sql}(created_at, id) > (?, ?)
       ORDER BY created_at, id LIMIT ?`,
    )
    .all(...conditions.values, createdAt, id, pageSize(page) + 1) as PageRow[];
  return toPage<T>(rows, page);
}
