/**
 * The audience in SQLite: areas, subscribers, opt-outs and segments. A segment's recipients are walked
 * in phone order along the primary key, a page at a time, and counted on the covering index of areas.
 */
import { ConflictError, ValidationError } from '../../core/errors.js';
import type {
  Area,
  OptOut,
  Page,
  PageRequest,
  ResolvedSegmentFilter,
  Segment,
  SegmentCounts,
  Subscriber,
  SubscriberSource,
} from '../../core/model.js';
import type { Recipient } from '../../core/ports.js';
import type { AudienceStore } from '../../core/subscribers/audience-store.js';
import type { Carrier } from '../../core/subscribers/carriers.js';
import {
  disjointSubtrees,
  MAX_INLINE_SUBTREES,
  registerSubtreeFunction,
  subtreeParams,
  subtreeTerm,
  withSubtreeSet,
} from './area-subtrees.js';
import type { SqliteDatabase } from './sqlite-database.js';
import { decodeCursor, encodeCursor, listByCreation, pageSize, toPage, type PageRow } from './sqlite-pages.js';
import { UNKNOWN_CARRIER } from './unknown-carrier.js';

/** Separates tags in the subscribers.tags column; a tag may not contain it. */
const TAG_SEPARATOR = '\u001f';

interface SubscriberRow {
  phone: string;
  area_code: string;
  area_path: string;
  tags: string;
  carrier: string | null;
  carrier_source: Subscriber['carrierSource'];
  updated_at: string;
  /** JSON of SubscriberSource. */
  source: string | null;
  sourced_at: string | null;
}

export class SqliteAudienceStore implements AudienceStore {
  constructor(private readonly database: SqliteDatabase) {
    registerSubtreeFunction(database.db);
  }

  // ---- areas -----------------------------------------------------------------------------------

  async putAreas(areas: Area[]): Promise<void> {
    const put = this.database.sql(
      `INSERT INTO areas (code, path, data) VALUES (?, ?, ?)
       ON CONFLICT (code) DO UPDATE SET path = excluded.path, data = excluded.data`,
    );
    this.database.write(() => {
      for (const area of areas) put.run(area.code, area.path, JSON.stringify(area));
    });
  }

  async getAreas(codes: string[]): Promise<Area[]> {
    const get = this.database.sql('SELECT data FROM areas WHERE code = ?');
    const areas: Area[] = [];
    for (const code of new Set(codes)) {
      const row = get.get(code) as { data: string } | undefined;
      if (row) areas.push(JSON.parse(row.data) as Area);
    }
    return areas;
  }

  async listAreas(page: PageRequest): Promise<Page<Area>> {
    const [code] = decodeCursor(page.cursor, ['']);
    const rows = this.database
      .sql('SELECT data, code AS k1 FROM areas WHERE code > ? ORDER BY code LIMIT ?')
      .all(code, pageSize(page) + 1) as PageRow[];
    return toPage<Area>(rows, page);
  }

  // ---- subscribers -----------------------------------------------------------------------------

  async upsertSubscribers(subscribers: Subscriber[]): Promise<{ inserted: number; updated: number }> {
    const insert = this.database.sql(
      `INSERT INTO subscribers (phone, area_code, area_path, tags, carrier, carrier_source, updated_at, source, sourced_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
    );
    const update = this.database.sql(
      `UPDATE subscribers SET area_code = ?, area_path = ?, tags = ?, carrier = ?, carrier_source = ?,
       updated_at = ?, source = ?, sourced_at = ? WHERE phone = ?`,
    );
    return this.database.write(() => {
      let inserted = 0;
      let updated = 0;
      // In phone order, the batch lands on neighbouring pages of the primary key (the sort is stable,
      // so of two rows for one phone the later still wins).
      const inOrder = [...subscribers].sort((a, b) => (a.phone < b.phone ? -1 : a.phone > b.phone ? 1 : 0));
      for (const s of inOrder) {
        const source = s.source === undefined ? null : JSON.stringify(s.source);
        const values = [
          s.areaCode,
          s.areaPath,
          encodeTags(s.tags),
          s.carrier ?? null,
          s.carrierSource,
          s.updatedAt,
          source,
          s.sourcedAt ?? null,
        ];
        if (insert.run(s.phone, ...values).changes > 0) inserted++;
        else {
          update.run(...values, s.phone);
          updated++;
        }
      }
      return { inserted, updated };
    });
  }

  async getSubscriber(phone: string): Promise<Subscriber | undefined> {
    const row = this.database.sql('SELECT * FROM subscribers WHERE phone = ?').get(phone) as SubscriberRow | undefined;
    if (!row) return undefined;
    return {
      phone: row.phone,
      areaCode: row.area_code,
      areaPath: row.area_path,
      tags: decodeTags(row.tags),
      ...(row.carrier !== null && { carrier: row.carrier as Carrier }),
      carrierSource: row.carrier_source,
      updatedAt: row.updated_at,
      ...(row.source !== null && { source: JSON.parse(row.source) as SubscriberSource }),
      ...(row.sourced_at !== null && { sourcedAt: row.sourced_at }),
    };
  }

  // ---- opt-outs --------------------------------------------------------------------------------

  async addOptOut(optOut: OptOut): Promise<boolean> {
    return (
      this.database.sql('INSERT INTO opt_outs (phone, data) VALUES (?, ?) ON CONFLICT DO NOTHING').run(optOut.phone, JSON.stringify(optOut))
        .changes > 0
    );
  }

  async removeOptOut(phone: string): Promise<boolean> {
    return this.database.sql('DELETE FROM opt_outs WHERE phone = ?').run(phone).changes > 0;
  }

  async getOptOut(phone: string): Promise<OptOut | undefined> {
    return this.database.record<OptOut>('SELECT data FROM opt_outs WHERE phone = ?', phone);
  }

  async listOptOuts(page: PageRequest): Promise<Page<OptOut>> {
    const [phone] = decodeCursor(page.cursor, ['']);
    const rows = this.database
      .sql('SELECT data, phone AS k1 FROM opt_outs WHERE phone > ? ORDER BY phone LIMIT ?')
      .all(phone, pageSize(page) + 1) as PageRow[];
    return toPage<OptOut>(rows, page);
  }

  async optedOutAmong(phones: string[]): Promise<Set<string>> {
    const get = this.database.sql('SELECT 1 FROM opt_outs WHERE phone = ?');
    return new Set([...new Set(phones)].filter((phone) => get.get(phone) !== undefined));
  }

  async eraseSubscriber(phone: string, pseudonym: string): Promise<{ subscriber: boolean; optedOut: boolean }> {
    return this.database.write(() => {
      const subscriber = this.database.sql('DELETE FROM subscribers WHERE phone = ?').run(phone).changes > 0;
      const optOut = this.database.record<OptOut>('SELECT data FROM opt_outs WHERE phone = ?', phone);
      if (optOut) {
        this.database.sql('DELETE FROM opt_outs WHERE phone = ?').run(phone);
        this.database
          .sql('INSERT INTO opt_outs (phone, data) VALUES (?, ?) ON CONFLICT DO NOTHING')
          .run(pseudonym, JSON.stringify({ ...optOut, phone: pseudonym }));
      }
      return { subscriber, optedOut: optOut !== undefined };
    });
  }

  // ---- segments and recipients -----------------------------------------------------------------

  async insertSegment(segment: Segment): Promise<void> {
    const added = this.database
      .sql('INSERT INTO segments (id, created_at, data) VALUES (?, ?, ?) ON CONFLICT DO NOTHING')
      .run(segment.id, segment.createdAt, JSON.stringify(segment));
    if (added.changes === 0) throw new ConflictError(`Segment ${segment.id} already exists`);
  }

  async getSegment(id: string): Promise<Segment | undefined> {
    return this.database.record<Segment>('SELECT data FROM segments WHERE id = ?', id);
  }

  async listSegments(page: PageRequest): Promise<Page<Segment>> {
    return listByCreation<Segment>(this.database, 'segments', page);
  }

  async countRecipients(filter: ResolvedSegmentFilter): Promise<SegmentCounts> {
    const counts: SegmentCounts = { total: 0, byCarrier: {}, byArea: {} };
    const others = otherTerms(filter);
    const count = (areaTerm: string, areaParams: unknown[], shape: string) => {
      const rows = this.database
        .sql(
          `SELECT s.area_code AS area, coalesce(s.carrier, '${UNKNOWN_CARRIER}') AS carrier, count(*) AS n
         FROM subscribers s WHERE ${[areaTerm, ...others.terms].join(' AND ')}
         GROUP BY s.area_path, s.carrier, s.area_code`,
          `count:${shape}:${others.shape}`,
        )
        .all(...areaParams, ...others.params) as { area: string; carrier: string; n: number }[];
      for (const row of rows) {
        counts.total += row.n;
        counts.byCarrier[row.carrier] = (counts.byCarrier[row.carrier] ?? 0) + row.n;
        counts.byArea[row.area] = (counts.byArea[row.area] ?? 0) + row.n;
      }
    };
    this.database.read(() => {
      const paths = disjointSubtrees(filter.areaPaths);
      if (paths.length === 0) count('1', [], 'all');
      // One range of the covering index per subtree; the subtrees are disjoint, so their counts add up.
      else for (const path of paths) count(subtreeTerm('s.area_path'), subtreeParams(path), 'subtree');
    });
    return counts;
  }

  async nextRecipients(
    filter: ResolvedSegmentFilter,
    cursor: string | undefined,
    limit: number,
  ): Promise<{ recipients: Recipient[]; cursor: string | undefined }> {
    const [after] = decodeCursor(cursor, ['']);
    const size = Math.max(1, Math.floor(limit));
    // `+s.area_path` keeps the planner on the phone order: each page is a short walk of the primary key
    // from the cursor, never a sort of the whole segment.
    const paths = disjointSubtrees(filter.areaPaths);
    const others = otherTerms(filter);
    // A few subtrees are a few comparisons a row; many (a segment naming each of 844 residential areas)
    // are one look-up a row in a set of paths.
    const many = paths.length > MAX_INLINE_SUBTREES;
    const walk = (areaTerm: string, areaParams: unknown[]) =>
      this.database
        .sql(
          `SELECT s.phone, s.carrier, s.area_code FROM subscribers s WHERE s.phone > ? AND ${[areaTerm, ...others.terms].join(' AND ')}
         ORDER BY s.phone LIMIT ?`,
          `next:${many ? 'set' : paths.length}:${others.shape}`,
        )
        .all(after, ...areaParams, ...others.params, size + 1) as { phone: string; carrier: string | null; area_code: string }[];
    const rows = many
      ? withSubtreeSet(paths, (handle) => walk('loa_in_subtrees(s.area_path, ?)', [handle]))
      : walk(paths.length === 0 ? '1' : `(${paths.map(() => subtreeTerm('+s.area_path')).join(' OR ')})`, paths.flatMap(subtreeParams));
    const more = rows.length > size;
    const recipients = rows.slice(0, size).map(
      (row): Recipient => ({
        phone: row.phone,
        ...(row.carrier !== null && { carrier: row.carrier as Carrier }),
        areaCode: row.area_code,
      }),
    );
    const last = recipients[recipients.length - 1];
    return { recipients, cursor: more && last ? encodeCursor([last.phone]) : undefined };
  }
}

/** The rest of a segment's WHERE clause: tags any-of, carriers, and never a number that opted out. */
function otherTerms(filter: ResolvedSegmentFilter): { terms: string[]; params: unknown[]; shape: string } {
  const terms: string[] = [];
  const params: unknown[] = [];
  if (filter.tags.length > 0) {
    terms.push(`(${filter.tags.map(() => 'instr(s.tags, ?) > 0').join(' OR ')})`);
    for (const tag of filter.tags) params.push(`${TAG_SEPARATOR}${tag}${TAG_SEPARATOR}`);
  }
  if (filter.carriers.length > 0) {
    terms.push(`+s.carrier IN (${filter.carriers.map(() => '?').join(', ')})`);
    params.push(...filter.carriers);
  }
  terms.push('NOT EXISTS (SELECT 1 FROM opt_outs o WHERE o.phone = s.phone)');
  return { terms, params, shape: `${filter.tags.length}:${filter.carriers.length}` };
}

function encodeTags(tags: string[]): string {
  for (const tag of tags) {
    if (tag.includes(TAG_SEPARATOR)) throw ValidationError.field('tags', 'a tag may not contain control characters');
  }
  return tags.length === 0 ? '' : `${TAG_SEPARATOR}${tags.join(TAG_SEPARATOR)}${TAG_SEPARATOR}`;
}

function decodeTags(column: string): string[] {
  return column === '' ? [] : column.slice(1, -1).split(TAG_SEPARATOR);
}
