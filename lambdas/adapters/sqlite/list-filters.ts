/** The list filters of the core (list-filters.ts) as SQL conditions on the record's JSON and columns. */
import type { AuditFilter, CreatorFilter } from '../../core/list-filters.js';

export interface SqlCondition {
  sql: string;
  values: unknown[];
}

/** `column IN (...)`; nothing when any value passes. */
export function oneOf(column: string, values: readonly string[] | undefined): SqlCondition[] {
  if (!values || values.length === 0) return [];
  return [{ sql: `${column} IN (${values.map(() => '?').join(', ')})`, values: [...values] }];
}

export function equals(column: string, value: string | undefined): SqlCondition[] {
  return value === undefined ? [] : [{ sql: `${column} = ?`, values: [value] }];
}

/** Who made the record, read from the field of its JSON that names them (`createdBy`, a version's `author`). */
export function creator(filter: CreatorFilter, field: 'createdBy' | 'author'): SqlCondition[] {
  const column = `json_extract(data, '$.${field}')`;
  return [
    ...equals(column, filter.createdBy),
    ...(filter.notCreatedBy === undefined ? [] : [{ sql: `${column} <> ?`, values: [filter.notCreatedBy] }]),
  ];
}

export function auditConditions(filter: AuditFilter): SqlCondition[] {
  return [
    ...equals(`json_extract(data, '$.actor')`, filter.actor),
    ...equals(`json_extract(data, '$.action')`, filter.action),
    ...equals(`json_extract(data, '$.subject')`, filter.subject),
    ...(filter.from === undefined ? [] : [{ sql: 'at >= ?', values: [filter.from] }]),
    ...(filter.to === undefined ? [] : [{ sql: 'at < ?', values: [filter.to] }]),
  ];
}

/** The conditions joined for a WHERE clause, each followed by AND, and their values in order. */
export function joined(conditions: SqlCondition[]): { sql: string; values: unknown[] } {
  return {
    sql: conditions.map((condition) => `${condition.sql} AND `).join(''),
    values: conditions.flatMap((condition) => condition.values),
  };
}
