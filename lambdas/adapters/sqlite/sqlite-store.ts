/**
 * The Store of the embedded runtime, on one SQLite file through better-sqlite3. Every batch method is
 * one transaction of prepared statements, so a million-recipient campaign costs a few thousand commits,
 * and every status change is a conditional UPDATE on the current status, so statuses only move forward
 * whatever the order in which outcomes and reports arrive.
 */
import BetterSqlite3 from 'better-sqlite3';
import type { Database, Statement } from 'better-sqlite3';
import { ConflictError, NotFoundError, ValidationError } from '../../core/errors.js';
import {
  RECEIPT_STATUSES,
  type Area,
  type AuditEntry,
  type Campaign,
  type CampaignRun,
  type IdempotencyRecord,
  type OptOut,
  type Page,
  type PageRequest,
  type Receipt,
  type ReceiptCounts,
  type ReceiptProgress,
  type ReceiptStatus,
  type ResolvedSegmentFilter,
  type Segment,
  type SegmentCounts,
  type StatusCounts,
  type Subscriber,
  type Template,
  type TemplateStatus,
  type TemplateVersion,
} from '../../core/model.js';
import type { DeliveryReport, Recipient, SendOutcome, Store, Stores } from '../../core/ports.js';
import type { Carrier } from '../../core/subscribers/carriers.js';
import { utcMinuteOf } from '../../core/receipts/utc-minute.js';
import { TourStatus, type Tour, type TourRun, type Van } from '../../core/tours/tour-model.js';
import type { AuditFilter, CampaignFilter, TemplateVersionFilter, TourFilter } from '../../core/list-filters.js';
import { auditConditions, creator, equals, joined, oneOf, type SqlCondition } from './list-filters.js';
import { applyPragmas, migrate } from './schema.js';

/** Separates tags in the subscribers.tags column; a tag may not contain it. */
const TAG_SEPARATOR = '\u001f';
/** Counter key of receipts whose carrier (or area) is not known. */
const UNKNOWN_CARRIER = 'unknown';
const UNKNOWN_AREA = 'unknown';
/** Statuses a campaign is fired from. */
const DUE_STATUSES = ['approved', 'scheduled'] as const;
/** Statuses of a tour that may still broadcast. */
const PLANNED_TOUR_STATUSES = [TourStatus.pendingApproval, TourStatus.approved, TourStatus.dispatched] as const;

interface ReceiptRow {
  campaign_id: string;
  run_id: string;
  phone: string;
  carrier: string | null;
  area_code: string | null;
  status: ReceiptStatus;
  test: number;
  gateway_id: string | null;
  gateway_message_id: string | null;
  attempts: number;
  error: string | null;
  queued_at: string;
  submitted_at: string | null;
  done_at: string | null;
}

interface SubscriberRow {
  phone: string;
  area_code: string;
  area_path: string;
  tags: string;
  carrier: string | null;
  carrier_source: Subscriber['carrierSource'];
  updated_at: string;
}

/** What the counters of a receipt are keyed by, as its row has it. */
interface Keyed {
  campaign_id: string;
  run_id: string;
  carrier: string | null;
  area_code: string | null;
}

export class SqliteStore implements Store, Stores {
  /** Every store is this one object until each has a class of its own. */
  readonly templates = this;
  readonly audience = this;
  readonly campaigns = this;
  readonly receipts = this;
  readonly tours = this;
  readonly audit = this;
  readonly idempotency = this;

  /** Opens (or creates) a database file with the runtime's pragmas and brings its schema up to date. */
  static open(file: string): SqliteStore {
    const db = new BetterSqlite3(file);
    applyPragmas(db);
    return new SqliteStore(db);
  }

  private readonly statements = new Map<string, Statement>();

  /** Brings `db` to the latest schema; `open` also sets the runtime's pragmas. */
  constructor(readonly db: Database) {
    migrate(db);
    db.function('loa_in_subtrees', { directOnly: true }, (path, handle) => (SUBTREE_SETS.get(Number(handle))?.has(String(path)) ? 1 : 0));
  }

  close(): void {
    this.db.close();
  }

  // ---- templates -------------------------------------------------------------------------------

  async insertTemplate(template: Template, firstVersion: TemplateVersion): Promise<void> {
    this.db
      .transaction(() => {
        const added = this.sql('INSERT INTO templates (id, created_at, data) VALUES (?, ?, ?) ON CONFLICT DO NOTHING').run(
          template.id,
          template.createdAt,
          JSON.stringify(template),
        );
        if (added.changes === 0) throw new ConflictError(`Template ${template.id} already exists`);
        this.insertVersionRow(firstVersion);
      })
      .immediate();
  }

  /**
   * Records of a table with created_at and id columns, oldest first, paged by that key; only those
   * meeting every condition in `where`.
   */
  private listByCreation<T>(
    table: 'templates' | 'segments' | 'campaigns' | 'vans' | 'tours',
    page: PageRequest,
    where: SqlCondition[] = [],
  ): Page<T> {
    const [createdAt, id] = decodeCursor(page.cursor, ['', '']);
    const conditions = joined(where);
    const rows = this.sql(
      `SELECT data, created_at AS k1, id AS k2 FROM ${table}
       WHERE ${conditions.sql}(created_at, id) > (?, ?)
       ORDER BY created_at, id LIMIT ?`,
    ).all(...conditions.values, createdAt, id, pageSize(page) + 1) as PageRow[];
    return toPage<T>(rows, page);
  }

  async getTemplate(id: string): Promise<Template | undefined> {
    return this.data<Template>('SELECT data FROM templates WHERE id = ?', id);
  }

  async listTemplates(page: PageRequest): Promise<Page<Template>> {
    return this.listByCreation<Template>('templates', page);
  }

  async getTemplateVersion(templateId: string, version: number): Promise<TemplateVersion | undefined> {
    return this.data<TemplateVersion>('SELECT data FROM template_versions WHERE template_id = ? AND version = ?', templateId, version);
  }

  async findTemplateVersions(filter: TemplateVersionFilter, page: PageRequest): Promise<Page<TemplateVersion>> {
    // Versions are a few per template, written by people: the status index and the JSON do, no index on the author.
    const [after, afterKey] = decodeCursor(page.cursor, ['', '']);
    const conditions = joined([...oneOf('status', filter.statuses), ...creator(filter, 'author')]);
    const rows = this.sql(
      `SELECT data, k1, k2 FROM (
         SELECT data, status, json_extract(data, '$.createdAt') AS k1, template_id || '#' || printf('%010d', version) AS k2
         FROM template_versions)
       WHERE ${conditions.sql}(k1, k2) > (?, ?) ORDER BY k1, k2 LIMIT ?`,
    ).all(...conditions.values, after, afterKey, pageSize(page) + 1) as PageRow[];
    return toPage<TemplateVersion>(rows, page);
  }

  async listTemplateVersions(templateId: string): Promise<TemplateVersion[]> {
    const rows = this.sql('SELECT data FROM template_versions WHERE template_id = ? ORDER BY version').all(templateId) as {
      data: string;
    }[];
    return rows.map((row) => JSON.parse(row.data) as TemplateVersion);
  }

  async insertTemplateVersion(version: TemplateVersion): Promise<void> {
    this.db
      .transaction(() => {
        const template = this.data<Template>('SELECT data FROM templates WHERE id = ?', version.templateId);
        if (!template) throw new NotFoundError(`No template ${version.templateId}`);
        if (version.version !== template.latestVersion + 1) {
          throw new ConflictError(`Template ${template.id} is at version ${template.latestVersion}; cannot add version ${version.version}`);
        }
        this.insertVersionRow(version);
        this.sql('UPDATE templates SET data = ? WHERE id = ?').run(
          JSON.stringify({ ...template, latestVersion: version.version }),
          template.id,
        );
      })
      .immediate();
  }

  async updateTemplateVersion(version: TemplateVersion, expected: TemplateStatus): Promise<void> {
    const changed = this.sql(`UPDATE template_versions SET status = ?, data = ? WHERE template_id = ? AND version = ? AND status = ?`).run(
      version.status,
      JSON.stringify(version),
      version.templateId,
      version.version,
      expected,
    );
    if (changed.changes === 0) {
      throw new ConflictError(`Version ${version.version} of template ${version.templateId} is no longer ${expected}`);
    }
  }

  private insertVersionRow(version: TemplateVersion): void {
    const added = this.sql(
      `INSERT INTO template_versions (template_id, version, status, data) VALUES (?, ?, ?, ?)
       ON CONFLICT DO NOTHING`,
    ).run(version.templateId, version.version, version.status, JSON.stringify(version));
    if (added.changes === 0) {
      throw new ConflictError(`Version ${version.version} of template ${version.templateId} already exists`);
    }
  }

  // ---- areas -----------------------------------------------------------------------------------

  async putAreas(areas: Area[]): Promise<void> {
    const put = this.sql(
      `INSERT INTO areas (code, path, data) VALUES (?, ?, ?)
       ON CONFLICT (code) DO UPDATE SET path = excluded.path, data = excluded.data`,
    );
    this.db
      .transaction(() => {
        for (const area of areas) put.run(area.code, area.path, JSON.stringify(area));
      })
      .immediate();
  }

  async getAreas(codes: string[]): Promise<Area[]> {
    const get = this.sql('SELECT data FROM areas WHERE code = ?');
    const areas: Area[] = [];
    for (const code of new Set(codes)) {
      const row = get.get(code) as { data: string } | undefined;
      if (row) areas.push(JSON.parse(row.data) as Area);
    }
    return areas;
  }

  async listAreas(page: PageRequest): Promise<Page<Area>> {
    const [code] = decodeCursor(page.cursor, ['']);
    const rows = this.sql('SELECT data, code AS k1 FROM areas WHERE code > ? ORDER BY code LIMIT ?').all(
      code,
      pageSize(page) + 1,
    ) as PageRow[];
    return toPage<Area>(rows, page);
  }

  // ---- subscribers -----------------------------------------------------------------------------

  async upsertSubscribers(subscribers: Subscriber[]): Promise<{ inserted: number; updated: number }> {
    const insert = this.sql(
      `INSERT INTO subscribers (phone, area_code, area_path, tags, carrier, carrier_source, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
    );
    const update = this.sql(
      `UPDATE subscribers SET area_code = ?, area_path = ?, tags = ?, carrier = ?, carrier_source = ?,
       updated_at = ? WHERE phone = ?`,
    );
    return this.db
      .transaction(() => {
        let inserted = 0;
        let updated = 0;
        // In phone order, the batch lands on neighbouring pages of the primary key (the sort is stable,
        // so of two rows for one phone the later still wins).
        const inOrder = [...subscribers].sort((a, b) => (a.phone < b.phone ? -1 : a.phone > b.phone ? 1 : 0));
        for (const s of inOrder) {
          const values = [s.areaCode, s.areaPath, encodeTags(s.tags), s.carrier ?? null, s.carrierSource, s.updatedAt];
          if (insert.run(s.phone, ...values).changes > 0) inserted++;
          else {
            update.run(...values, s.phone);
            updated++;
          }
        }
        return { inserted, updated };
      })
      .immediate();
  }

  async getSubscriber(phone: string): Promise<Subscriber | undefined> {
    const row = this.sql('SELECT * FROM subscribers WHERE phone = ?').get(phone) as SubscriberRow | undefined;
    if (!row) return undefined;
    return {
      phone: row.phone,
      areaCode: row.area_code,
      areaPath: row.area_path,
      tags: decodeTags(row.tags),
      ...(row.carrier !== null && { carrier: row.carrier as Carrier }),
      carrierSource: row.carrier_source,
      updatedAt: row.updated_at,
    };
  }

  // ---- opt-outs --------------------------------------------------------------------------------

  async addOptOut(optOut: OptOut): Promise<boolean> {
    return (
      this.sql('INSERT INTO opt_outs (phone, data) VALUES (?, ?) ON CONFLICT DO NOTHING').run(optOut.phone, JSON.stringify(optOut))
        .changes > 0
    );
  }

  async removeOptOut(phone: string): Promise<boolean> {
    return this.sql('DELETE FROM opt_outs WHERE phone = ?').run(phone).changes > 0;
  }

  async getOptOut(phone: string): Promise<OptOut | undefined> {
    return this.data<OptOut>('SELECT data FROM opt_outs WHERE phone = ?', phone);
  }

  async listOptOuts(page: PageRequest): Promise<Page<OptOut>> {
    const [phone] = decodeCursor(page.cursor, ['']);
    const rows = this.sql('SELECT data, phone AS k1 FROM opt_outs WHERE phone > ? ORDER BY phone LIMIT ?').all(
      phone,
      pageSize(page) + 1,
    ) as PageRow[];
    return toPage<OptOut>(rows, page);
  }

  // ---- segments and recipients -----------------------------------------------------------------

  async insertSegment(segment: Segment): Promise<void> {
    const added = this.sql('INSERT INTO segments (id, created_at, data) VALUES (?, ?, ?) ON CONFLICT DO NOTHING').run(
      segment.id,
      segment.createdAt,
      JSON.stringify(segment),
    );
    if (added.changes === 0) throw new ConflictError(`Segment ${segment.id} already exists`);
  }

  async getSegment(id: string): Promise<Segment | undefined> {
    return this.data<Segment>('SELECT data FROM segments WHERE id = ?', id);
  }

  async listSegments(page: PageRequest): Promise<Page<Segment>> {
    return this.listByCreation<Segment>('segments', page);
  }

  async countRecipients(filter: ResolvedSegmentFilter): Promise<SegmentCounts> {
    const counts: SegmentCounts = { total: 0, byCarrier: {}, byArea: {} };
    const others = otherTerms(filter);
    const count = (areaTerm: string, areaParams: unknown[], shape: string) => {
      const rows = this.sql(
        `SELECT s.area_code AS area, coalesce(s.carrier, '${UNKNOWN_CARRIER}') AS carrier, count(*) AS n
         FROM subscribers s WHERE ${[areaTerm, ...others.terms].join(' AND ')}
         GROUP BY s.area_path, s.carrier, s.area_code`,
        `count:${shape}:${others.shape}`,
      ).all(...areaParams, ...others.params) as { area: string; carrier: string; n: number }[];
      for (const row of rows) {
        counts.total += row.n;
        counts.byCarrier[row.carrier] = (counts.byCarrier[row.carrier] ?? 0) + row.n;
        counts.byArea[row.area] = (counts.byArea[row.area] ?? 0) + row.n;
      }
    };
    this.db.transaction(() => {
      const paths = disjointSubtrees(filter.areaPaths);
      if (paths.length === 0) count('1', [], 'all');
      // One range of the covering index per subtree; the subtrees are disjoint, so their counts add up.
      else for (const path of paths) count(subtreeTerm('s.area_path'), subtreeParams(path), 'subtree');
    })();
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
    // are one look-up a row in a set of paths, through a function of this connection.
    const many = paths.length > MAX_INLINE_SUBTREES;
    const handle = ++subtreeSetHandles;
    const areaTerm =
      paths.length === 0
        ? '1'
        : many
          ? 'loa_in_subtrees(s.area_path, ?)'
          : `(${paths.map(() => subtreeTerm('+s.area_path')).join(' OR ')})`;
    const areaParams = many ? [handle] : paths.flatMap(subtreeParams);
    if (many) SUBTREE_SETS.set(handle, new SubtreeSet(paths));
    let rows: { phone: string; carrier: string | null; area_code: string }[];
    try {
      rows = this.sql(
        `SELECT s.phone, s.carrier, s.area_code FROM subscribers s WHERE s.phone > ? AND ${[areaTerm, ...others.terms].join(' AND ')}
         ORDER BY s.phone LIMIT ?`,
        `next:${many ? 'set' : paths.length}:${others.shape}`,
      ).all(after, ...areaParams, ...others.params, size + 1) as typeof rows;
    } finally {
      SUBTREE_SETS.delete(handle);
    }
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

  // ---- campaigns and runs ----------------------------------------------------------------------

  async insertCampaign(campaign: Campaign): Promise<void> {
    const added = this.sql(
      `INSERT INTO campaigns (id, created_at, status, next_fire_at, revision, data) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT DO NOTHING`,
    ).run(campaign.id, campaign.createdAt, campaign.status, campaign.nextFireAt ?? null, campaign.revision, JSON.stringify(campaign));
    if (added.changes === 0) throw new ConflictError(`Campaign ${campaign.id} already exists`);
  }

  async getCampaign(id: string): Promise<Campaign | undefined> {
    return this.data<Campaign>('SELECT data FROM campaigns WHERE id = ?', id);
  }

  async listCampaigns(page: PageRequest, filter: CampaignFilter = {}): Promise<Page<Campaign>> {
    return this.listByCreation<Campaign>('campaigns', page, [...oneOf('status', filter.statuses), ...creator(filter, 'createdBy')]);
  }

  async updateCampaign(campaign: Campaign): Promise<void> {
    const changed = this.sql(`UPDATE campaigns SET status = ?, next_fire_at = ?, revision = ?, data = ? WHERE id = ? AND revision = ?`).run(
      campaign.status,
      campaign.nextFireAt ?? null,
      campaign.revision,
      JSON.stringify(campaign),
      campaign.id,
      campaign.revision - 1,
    );
    if (changed.changes === 0) {
      throw new ConflictError(`Campaign ${campaign.id} changed since revision ${campaign.revision - 1} was read`);
    }
  }

  async campaignsDue(now: string, limit: number): Promise<Campaign[]> {
    const rows = this.sql(
      `SELECT data FROM campaigns WHERE next_fire_at IS NOT NULL AND next_fire_at <= ?
       AND status IN (${DUE_STATUSES.map((s) => `'${s}'`).join(', ')}) ORDER BY next_fire_at LIMIT ?`,
    ).all(now, Math.max(1, Math.floor(limit))) as { data: string }[];
    return rows.map((row) => JSON.parse(row.data) as Campaign);
  }

  async insertRun(run: CampaignRun): Promise<boolean> {
    return (
      this.sql(
        `INSERT INTO campaign_runs (campaign_id, run_id, sending_done, data) VALUES (?, ?, ?, ?)
         ON CONFLICT DO NOTHING`,
      ).run(run.campaignId, run.runId, run.sendingDone ? 1 : 0, JSON.stringify(run)).changes > 0
    );
  }

  async getRun(campaignId: string, runId: string): Promise<CampaignRun | undefined> {
    return this.data<CampaignRun>('SELECT data FROM campaign_runs WHERE campaign_id = ? AND run_id = ?', campaignId, runId);
  }

  async saveRun(run: CampaignRun): Promise<void> {
    this.sql(
      `INSERT INTO campaign_runs (campaign_id, run_id, sending_done, data) VALUES (?, ?, ?, ?)
       ON CONFLICT (campaign_id, run_id) DO UPDATE SET sending_done = excluded.sending_done, data = excluded.data`,
    ).run(run.campaignId, run.runId, run.sendingDone ? 1 : 0, JSON.stringify(run));
  }

  async listUnfinishedRuns(): Promise<CampaignRun[]> {
    const rows = this.sql('SELECT data FROM campaign_runs WHERE sending_done = 0 ORDER BY campaign_id, run_id').all() as { data: string }[];
    return rows.map((row) => JSON.parse(row.data) as CampaignRun);
  }

  // ---- vans, tours and tour runs ---------------------------------------------------------------

  async insertVan(van: Van): Promise<void> {
    const added = this.sql('INSERT INTO vans (id, created_at, revision, data) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING').run(
      van.id,
      van.createdAt,
      van.revision,
      JSON.stringify(van),
    );
    if (added.changes === 0) throw new ConflictError(`Van ${van.id} already exists`);
  }

  async getVan(id: string): Promise<Van | undefined> {
    return this.data<Van>('SELECT data FROM vans WHERE id = ?', id);
  }

  async updateVan(van: Van): Promise<void> {
    const changed = this.sql('UPDATE vans SET revision = ?, data = ? WHERE id = ? AND revision = ?').run(
      van.revision,
      JSON.stringify(van),
      van.id,
      van.revision - 1,
    );
    if (changed.changes === 0) {
      throw new ConflictError(`Van ${van.id} changed since revision ${van.revision - 1} was read`);
    }
  }

  async listVans(page: PageRequest): Promise<Page<Van>> {
    return this.listByCreation<Van>('vans', page);
  }

  async insertTour(tour: Tour): Promise<void> {
    const added = this.sql(
      `INSERT INTO tours (id, created_at, van_id, status, next_fire_at, revision, data) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT DO NOTHING`,
    ).run(tour.id, tour.createdAt, tour.vanId, tour.status, tour.nextFireAt ?? null, tour.revision, JSON.stringify(tour));
    if (added.changes === 0) throw new ConflictError(`Tour ${tour.id} already exists`);
  }

  async getTour(id: string): Promise<Tour | undefined> {
    return this.data<Tour>('SELECT data FROM tours WHERE id = ?', id);
  }

  async updateTour(tour: Tour): Promise<void> {
    const changed = this.sql(
      `UPDATE tours SET van_id = ?, status = ?, next_fire_at = ?, revision = ?, data = ? WHERE id = ? AND revision = ?`,
    ).run(tour.vanId, tour.status, tour.nextFireAt ?? null, tour.revision, JSON.stringify(tour), tour.id, tour.revision - 1);
    if (changed.changes === 0) {
      throw new ConflictError(`Tour ${tour.id} changed since revision ${tour.revision - 1} was read`);
    }
  }

  async listTours(filter: TourFilter, page: PageRequest): Promise<Page<Tour>> {
    return this.listByCreation<Tour>('tours', page, [
      ...equals('van_id', filter.vanId),
      ...equals('status', filter.status),
      ...creator(filter, 'createdBy'),
    ]);
  }

  async plannedTours(): Promise<Tour[]> {
    const rows = this.sql(`SELECT data FROM tours WHERE status IN (${PLANNED_TOUR_STATUSES.map((s) => `'${s}'`).join(', ')})`).all() as {
      data: string;
    }[];
    return rows.map((row) => JSON.parse(row.data) as Tour);
  }

  async toursDue(now: string, limit: number): Promise<Tour[]> {
    // Named, as the planner would rather take tours_by_status on the status and sort its rows.
    const rows = this.sql(
      `SELECT data FROM tours INDEXED BY tours_due WHERE status = '${TourStatus.approved}' AND next_fire_at IS NOT NULL
       AND next_fire_at <= ? ORDER BY next_fire_at LIMIT ?`,
    ).all(now, Math.max(1, Math.floor(limit))) as { data: string }[];
    return rows.map((row) => JSON.parse(row.data) as Tour);
  }

  async insertTourRun(run: TourRun): Promise<boolean> {
    return (
      this.sql(
        `INSERT INTO tour_runs (tour_id, run_id, starts_at, status, confirm_by, data) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT DO NOTHING`,
      ).run(run.tourId, run.runId, run.startsAt, run.status, run.confirmBy, JSON.stringify(run)).changes > 0
    );
  }

  async getTourRun(tourId: string, runId: string): Promise<TourRun | undefined> {
    return this.data<TourRun>('SELECT data FROM tour_runs WHERE tour_id = ? AND run_id = ?', tourId, runId);
  }

  async saveTourRun(run: TourRun): Promise<void> {
    this.sql(
      `INSERT INTO tour_runs (tour_id, run_id, starts_at, status, confirm_by, data) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (tour_id, run_id) DO UPDATE SET starts_at = excluded.starts_at, status = excluded.status,
         confirm_by = excluded.confirm_by, data = excluded.data`,
    ).run(run.tourId, run.runId, run.startsAt, run.status, run.confirmBy, JSON.stringify(run));
  }

  async listTourRuns(tourId: string, page: PageRequest): Promise<Page<TourRun>> {
    // A run's id is made from its start, so the id order is the start order.
    const [before] = decodeCursor(page.cursor, ['']);
    const rows = this.sql(
      `SELECT data, run_id AS k1 FROM tour_runs WHERE tour_id = ? AND (? = '' OR run_id < ?) ORDER BY run_id DESC LIMIT ?`,
    ).all(tourId, before, before, pageSize(page) + 1) as PageRow[];
    return toPage<TourRun>(rows, page);
  }

  async tourRunsBetween(from: string, to: string): Promise<TourRun[]> {
    const rows = this.sql('SELECT data FROM tour_runs WHERE starts_at >= ? AND starts_at < ? ORDER BY starts_at').all(from, to) as {
      data: string;
    }[];
    return rows.map((row) => JSON.parse(row.data) as TourRun);
  }

  async overdueTourRuns(now: string): Promise<TourRun[]> {
    const rows = this.sql(`SELECT data FROM tour_runs WHERE status = 'dispatched' AND confirm_by <= ? ORDER BY confirm_by`).all(now) as {
      data: string;
    }[];
    return rows.map((row) => JSON.parse(row.data) as TourRun);
  }

  // ---- receipts --------------------------------------------------------------------------------

  async insertReceipts(receipts: Receipt[]): Promise<number> {
    const insert = this.sql(
      `INSERT INTO receipts (campaign_id, run_id, phone, carrier, area_code, status, test, gateway_id,
         gateway_message_id, attempts, error, queued_at, submitted_at, done_at)
       VALUES (?, ?, ?, ?, ?, 'queued', ?, ?, ?, ?, ?, ?, NULL, NULL) ON CONFLICT DO NOTHING`,
    );
    return this.db
      .transaction(() => {
        const counters = new Counters();
        let added = 0;
        for (const r of receipts) {
          const keyed: Keyed = { campaign_id: r.campaignId, run_id: r.runId, carrier: r.carrier ?? null, area_code: r.areaCode ?? null };
          const result = insert.run(
            r.campaignId,
            r.runId,
            r.phone,
            keyed.carrier,
            keyed.area_code,
            r.test ? 1 : 0,
            r.gatewayId ?? null,
            r.gatewayMessageId ?? null,
            r.attempts,
            r.error ?? null,
            r.queuedAt,
          );
          if (result.changes > 0) {
            added++;
            counters.move(keyed, undefined, 'queued', r.queuedAt);
          }
        }
        this.flushCounters(counters);
        return added;
      })
      .immediate();
  }

  async queuedPhones(campaignId: string, runId: string, phones: string[]): Promise<Set<string>> {
    const isQueued = this.sql(`SELECT 1 FROM receipts WHERE campaign_id = ? AND run_id = ? AND phone = ? AND status = 'queued'`).pluck();
    const queued = new Set<string>();
    // One read transaction: one WAL snapshot for the batch instead of one per lookup.
    this.db.transaction(() => {
      for (const phone of phones) if (isQueued.get(campaignId, runId, phone) !== undefined) queued.add(phone);
    })();
    return queued;
  }

  async recordSendOutcomes(outcomes: SendOutcome[]): Promise<void> {
    const submitted = this.sql(
      `UPDATE receipts SET status = 'submitted', gateway_id = ?, gateway_message_id = ?, attempts = ?, error = ?,
         submitted_at = ?
       WHERE campaign_id = ? AND run_id = ? AND phone = ? AND status = 'queued'`,
    );
    const failed = this.sql(
      `UPDATE receipts SET status = 'failed', gateway_id = ?, gateway_message_id = ?, attempts = ?, error = ?,
         done_at = ?
       WHERE campaign_id = ? AND run_id = ? AND phone = ? AND status = 'queued'`,
    );
    // (cheaper than RETURNING, which materialises its rows)
    const keyOf = this.sql(
      'SELECT campaign_id, run_id, carrier, area_code FROM receipts WHERE campaign_id = ? AND run_id = ? AND phone = ?',
    );
    const anyKept = this.sql('SELECT EXISTS (SELECT 1 FROM unmatched_reports)').pluck();
    const earlyReport = this.sql('SELECT * FROM unmatched_reports WHERE gateway_id = ? AND message_id = ?');
    const applyEarly = this.sql(
      `UPDATE receipts SET status = ?, error = ?, done_at = ?
       WHERE campaign_id = ? AND run_id = ? AND phone = ? AND status = 'submitted'`,
    );
    const forgetEarly = this.sql('DELETE FROM unmatched_reports WHERE gateway_id = ? AND message_id = ?');
    this.db
      .transaction(() => {
        const counters = new Counters();
        const reportsWaiting = anyKept.get() === 1;
        for (const o of outcomes) {
          const changed = (o.status === 'submitted' ? submitted : failed).run(
            o.gatewayId ?? null,
            o.gatewayMessageId ?? null,
            o.attempts,
            o.error ?? null,
            o.at,
            o.campaignId,
            o.runId,
            o.phone,
          ).changes;
          if (changed === 0) continue;
          const keyed = keyOf.get(o.campaignId, o.runId, o.phone) as Keyed;
          counters.move(keyed, 'queued', o.status, o.at);
          if (!reportsWaiting || o.status !== 'submitted') continue;
          if (o.gatewayId === undefined || o.gatewayMessageId === undefined) continue;
          const report = earlyReport.get(o.gatewayId, o.gatewayMessageId) as
            | { status: 'delivered' | 'failed'; error: string | null; at: string }
            | undefined;
          if (!report) continue;
          applyEarly.run(report.status, report.error, report.at, o.campaignId, o.runId, o.phone);
          forgetEarly.run(o.gatewayId, o.gatewayMessageId);
          counters.move(keyed, 'submitted', report.status, report.at);
        }
        this.flushCounters(counters);
      })
      .immediate();
  }

  async recordDeliveryReports(reports: DeliveryReport[]): Promise<{ applied: number; unmatched: number }> {
    const find = this.sql(
      `SELECT campaign_id, run_id, phone, carrier, area_code, status FROM receipts
       WHERE gateway_id = ? AND gateway_message_id = ?`,
    );
    const apply = this.sql(
      `UPDATE receipts SET status = ?, error = ?, done_at = ?
       WHERE campaign_id = ? AND run_id = ? AND phone = ? AND status = 'submitted'`,
    );
    const keep = this.sql(
      `INSERT INTO unmatched_reports (gateway_id, message_id, status, error, at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT DO NOTHING`,
    );
    return this.db
      .transaction(() => {
        const counters = new Counters();
        let applied = 0;
        let unmatched = 0;
        for (const r of reports) {
          const receipts = find.all(r.gatewayId, r.messageId) as (Keyed & { phone: string; status: ReceiptStatus })[];
          if (receipts.length === 0) {
            keep.run(r.gatewayId, r.messageId, r.status, r.error ?? null, r.at);
            unmatched++;
            continue;
          }
          let moved = false;
          for (const row of receipts) {
            if (row.status !== 'submitted') continue; // final already: statuses only move forward
            if (apply.run(r.status, r.error ?? null, r.at, row.campaign_id, row.run_id, row.phone).changes === 0) continue;
            moved = true;
            counters.move(row, 'submitted', r.status, r.at);
          }
          if (moved) applied++;
        }
        this.flushCounters(counters);
        return { applied, unmatched };
      })
      .immediate();
  }

  async countUnmatchedReports(): Promise<number> {
    return this.sql('SELECT count(*) FROM unmatched_reports').pluck().get() as number;
  }

  async expireReceipts(submittedBefore: string, limit: number): Promise<number> {
    const oldest = this.sql(
      `SELECT campaign_id, run_id, phone, carrier, area_code FROM receipts
       WHERE status = 'submitted' AND submitted_at < ? ORDER BY submitted_at LIMIT ?`,
    );
    const expire = this.sql(
      `UPDATE receipts SET status = 'expired' WHERE campaign_id = ? AND run_id = ? AND phone = ?
       AND status = 'submitted'`,
    );
    return this.db
      .transaction(() => {
        const counters = new Counters();
        let expired = 0;
        const rows = oldest.all(submittedBefore, Math.max(1, Math.floor(limit))) as (Keyed & { phone: string })[];
        for (const row of rows) {
          if (expire.run(row.campaign_id, row.run_id, row.phone).changes === 0) continue;
          expired++;
          counters.move(row, 'submitted', 'expired', submittedBefore);
        }
        this.flushCounters(counters);
        return expired;
      })
      .immediate();
  }

  async getReceipt(campaignId: string, runId: string, phone: string): Promise<Receipt | undefined> {
    const row = this.sql('SELECT * FROM receipts WHERE campaign_id = ? AND run_id = ? AND phone = ?').get(campaignId, runId, phone) as
      | ReceiptRow
      | undefined;
    return row && toReceipt(row);
  }

  async listReceipts(
    campaignId: string,
    filter: { status?: Receipt['status']; runId?: string },
    page: PageRequest,
  ): Promise<Page<Receipt>> {
    const [runAfter, phoneAfter] = decodeCursor(page.cursor, ['', '']);
    const size = pageSize(page);
    // Failed and expired receipts, rare, have partial indexes of their own; the dense statuses are
    // filtered along the campaign's primary-key range, which fills a page quickly.
    const sparse = filter.status === 'failed' || filter.status === 'expired';
    const status = filter.status === undefined ? '' : sparse ? `AND status = '${filter.status}'` : 'AND status = ?';
    const statusParam = filter.status === undefined || sparse ? [] : [filter.status];
    const index = sparse ? `INDEXED BY receipts_${filter.status}` : '';
    const rows = (
      filter.runId === undefined
        ? this.sql(
            `SELECT * FROM receipts ${index} WHERE campaign_id = ? ${status} AND (run_id, phone) > (?, ?)
             ORDER BY run_id, phone LIMIT ?`,
          ).all(campaignId, ...statusParam, runAfter, phoneAfter, size + 1)
        : this.sql(
            `SELECT * FROM receipts ${index} WHERE campaign_id = ? ${status} AND run_id = ? AND phone > ?
             ORDER BY phone LIMIT ?`,
          ).all(campaignId, ...statusParam, filter.runId, phoneAfter, size + 1)
    ) as ReceiptRow[];
    const items = rows.slice(0, size).map(toReceipt);
    const last = items[items.length - 1];
    return rows.length > size && last ? { items, nextCursor: encodeCursor([last.runId, last.phone]) } : { items };
  }

  /** Sums the counter rows (a few per run, carrier and status) of the campaign or of one run. */
  async campaignCounts(campaignId: string, runId?: string): Promise<ReceiptCounts> {
    return this.countsByCarrier(campaignId, runId);
  }

  private countsByCarrier(campaignId: string, runId?: string): ReceiptCounts {
    const rows = (
      runId === undefined
        ? this.sql('SELECT carrier, status, n FROM receipt_counters WHERE campaign_id = ?').all(campaignId)
        : this.sql('SELECT carrier, status, n FROM receipt_counters WHERE campaign_id = ? AND run_id = ?').all(campaignId, runId)
    ) as { carrier: string; status: ReceiptStatus; n: number }[];
    const counts: ReceiptCounts = { ...emptyStatusCounts(), byCarrier: {} };
    for (const row of rows) {
      if (row.n === 0) continue;
      const byCarrier = (counts.byCarrier[row.carrier] ??= emptyStatusCounts());
      counts[row.status] += row.n;
      counts.total += row.n;
      byCarrier[row.status] += row.n;
      byCarrier.total += row.n;
    }
    return counts;
  }

  /**
   * Sums the counter rows of every run: by carrier and status, by area and status, and by delivered
   * minute. A few rows per run, carrier, area and minute, however many receipts.
   */
  async campaignProgress(campaignId: string): Promise<ReceiptProgress> {
    // One read transaction: the three tallies come from one snapshot, so they add up to the same total.
    return this.db.transaction(() => this.progressOf(campaignId))();
  }

  private progressOf(campaignId: string): ReceiptProgress {
    const counts = this.countsByCarrier(campaignId);
    const areaRows = this.sql('SELECT area_code, status, n FROM receipt_area_counters WHERE campaign_id = ?').all(campaignId) as {
      area_code: string;
      status: ReceiptStatus;
      n: number;
    }[];
    const byArea: Record<string, StatusCounts> = {};
    for (const row of areaRows) {
      if (row.n === 0) continue;
      const area = (byArea[row.area_code] ??= emptyStatusCounts());
      area[row.status] += row.n;
      area.total += row.n;
    }
    const minuteRows = this.sql('SELECT minute, n FROM delivered_by_minute WHERE campaign_id = ?').all(campaignId) as {
      minute: string;
      n: number;
    }[];
    const byMinute = new Map<string, number>();
    for (const row of minuteRows) byMinute.set(row.minute, (byMinute.get(row.minute) ?? 0) + row.n);
    const deliveredByMinute = [...byMinute]
      .filter(([, delivered]) => delivered !== 0)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([minute, delivered]) => ({ minute, delivered }));
    return { ...counts, byArea, deliveredByMinute };
  }

  private flushCounters(counters: Counters): void {
    const byCarrier = this.sql(
      `INSERT INTO receipt_counters (campaign_id, run_id, carrier, status, n) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (campaign_id, run_id, carrier, status) DO UPDATE SET n = n + excluded.n`,
    );
    const byArea = this.sql(
      `INSERT INTO receipt_area_counters (campaign_id, run_id, area_code, status, n) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (campaign_id, run_id, area_code, status) DO UPDATE SET n = n + excluded.n`,
    );
    const byMinute = this.sql(
      `INSERT INTO delivered_by_minute (campaign_id, run_id, minute, n) VALUES (?, ?, ?, ?)
       ON CONFLICT (campaign_id, run_id, minute) DO UPDATE SET n = n + excluded.n`,
    );
    for (const c of counters.deltas()) {
      if (c.kind === 'carrier') byCarrier.run(c.campaignId, c.runId, c.key, c.status, c.n);
      else if (c.kind === 'area') byArea.run(c.campaignId, c.runId, c.key, c.status, c.n);
      else byMinute.run(c.campaignId, c.runId, c.key, c.n);
    }
  }

  // ---- caps, audit, idempotency ----------------------------------------------------------------

  async takeDailySlots(phones: string[], day: string, cap: number): Promise<Set<string>> {
    const granted = new Set<string>();
    if (cap < 1) return granted;
    const take = this.sql(
      `INSERT INTO daily_slots (phone, day, n) VALUES (?, ?, 1)
       ON CONFLICT (phone, day) DO UPDATE SET n = n + 1 WHERE n < ? RETURNING phone`,
    ).pluck();
    this.db
      .transaction(() => {
        for (const phone of new Set(phones)) if (take.get(phone, day, cap) !== undefined) granted.add(phone);
      })
      .immediate();
    return granted;
  }

  async appendAudit(entries: AuditEntry[]): Promise<void> {
    const append = this.sql('INSERT INTO audit (id, at, data) VALUES (?, ?, ?) ON CONFLICT DO NOTHING');
    this.db
      .transaction(() => {
        for (const entry of entries) append.run(entry.id, entry.at, JSON.stringify(entry));
      })
      .immediate();
  }

  async listAudit(page: PageRequest, filter: AuditFilter = {}): Promise<Page<AuditEntry>> {
    // '\uffff' sorts after any ISO timestamp, so the first page starts at the newest entry.
    const [at, id] = decodeCursor(page.cursor, ['\uffff', '']);
    const conditions = joined(auditConditions(filter));
    const rows = this.sql(
      `SELECT data, at AS k1, id AS k2 FROM audit WHERE ${conditions.sql}(at, id) < (?, ?) ORDER BY at DESC, id DESC LIMIT ?`,
    ).all(...conditions.values, at, id, pageSize(page) + 1) as PageRow[];
    return toPage<AuditEntry>(rows, page);
  }

  async getIdempotencyRecord(key: string): Promise<IdempotencyRecord | undefined> {
    return this.data<IdempotencyRecord>('SELECT data FROM idempotency_records WHERE key = ?', key);
  }

  async saveIdempotencyRecord(record: IdempotencyRecord): Promise<boolean> {
    return (
      this.sql('INSERT INTO idempotency_records (key, created_at, data) VALUES (?, ?, ?) ON CONFLICT DO NOTHING').run(
        record.key,
        record.createdAt,
        JSON.stringify(record),
      ).changes > 0
    );
  }

  // ---- helpers ---------------------------------------------------------------------------------

  /** A prepared statement, prepared once per connection (`key` defaults to the SQL itself). */
  private sql(sql: string, key: string = sql): Statement {
    let statement = this.statements.get(key);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(key, statement);
    }
    return statement;
  }

  private data<T>(sql: string, ...params: unknown[]): T | undefined {
    const row = this.sql(sql).get(...params) as { data: string } | undefined;
    return row && (JSON.parse(row.data) as T);
  }
}

interface CounterDelta {
  kind: 'carrier' | 'area' | 'minute';
  campaignId: string;
  runId: string;
  /** The carrier, the area code, or the delivered minute. */
  key: string;
  status: ReceiptStatus;
  n: number;
}

/**
 * Deltas to the receipt counters gathered over one transaction, written once per key at its end: by
 * carrier and status, by area and status, and the deliveries by UTC minute.
 */
class Counters {
  private readonly byKey = new Map<string, CounterDelta>();

  /** One receipt entering `status`, from `previous` (none: a new receipt), at `at`. */
  move(receipt: Keyed, previous: ReceiptStatus | undefined, status: ReceiptStatus, at: string): void {
    for (const [kind, key] of [
      ['carrier', receipt.carrier ?? UNKNOWN_CARRIER],
      ['area', receipt.area_code ?? UNKNOWN_AREA],
    ] as const) {
      if (previous !== undefined) this.add({ kind, campaignId: receipt.campaign_id, runId: receipt.run_id, key, status: previous, n: -1 });
      this.add({ kind, campaignId: receipt.campaign_id, runId: receipt.run_id, key, status, n: 1 });
    }
    if (status === 'delivered') {
      this.add({ kind: 'minute', campaignId: receipt.campaign_id, runId: receipt.run_id, key: utcMinuteOf(at), status, n: 1 });
    }
  }

  private add(delta: CounterDelta): void {
    const id = [delta.kind, delta.campaignId, delta.runId, delta.key, delta.status].join('\u0000');
    const entry = this.byKey.get(id);
    if (entry) entry.n += delta.n;
    else this.byKey.set(id, delta);
  }

  *deltas() {
    for (const entry of this.byKey.values()) if (entry.n !== 0) yield entry;
  }
}

/**
 * A subtree is its own path and everything under path + '/'. As one index range: [path, path + '0')
 * ('0' follows '/'), minus what sorts strictly between path and path + '/' (e.g. "A1-2" or "A1.3"), so
 * "A1" never matches its sibling "A10". Parameters: see `subtreeParams`.
 */
function subtreeTerm(column: string): string {
  return `(${column} >= ? AND ${column} < ? AND NOT (${column} > ? AND ${column} < ?))`;
}

function subtreeParams(path: string): string[] {
  return [path, `${path}0`, path, `${path}/`];
}

/** Above this many subtrees, a walk tests each row's path against a set instead of inline ranges. */
const MAX_INLINE_SUBTREES = 8;

/** Subtree sets of the walks in progress, by the handle a query passes to `loa_in_subtrees`. */
const SUBTREE_SETS = new Map<number, SubtreeSet>();
let subtreeSetHandles = 0;

/** Whether a path lies in any of a set of subtrees: the path or one of its ancestors is in the set. */
class SubtreeSet {
  private readonly roots: Set<string>;
  private readonly seen = new Map<string, boolean>();

  constructor(paths: string[]) {
    this.roots = new Set(paths);
  }

  has(path: string): boolean {
    let inside = this.seen.get(path);
    if (inside === undefined) {
      inside = this.roots.has(path);
      for (let cut = path.lastIndexOf('/'); !inside && cut > 0; cut = path.lastIndexOf('/', cut - 1)) {
        inside = this.roots.has(path.slice(0, cut));
      }
      this.seen.set(path, inside);
    }
    return inside;
  }
}

/** The paths without duplicates or paths inside another one, so each subscriber is matched once. */
function disjointSubtrees(paths: string[]): string[] {
  const unique = new Set(paths);
  return [...unique].filter((path) => {
    for (let cut = path.lastIndexOf('/'); cut > 0; cut = path.lastIndexOf('/', cut - 1)) {
      if (unique.has(path.slice(0, cut))) return false;
    }
    return true;
  });
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

function toReceipt(row: ReceiptRow): Receipt {
  return {
    campaignId: row.campaign_id,
    runId: row.run_id,
    phone: row.phone,
    ...(row.carrier !== null && { carrier: row.carrier as Carrier }),
    ...(row.area_code !== null && { areaCode: row.area_code }),
    status: row.status,
    test: row.test === 1,
    ...(row.gateway_id !== null && { gatewayId: row.gateway_id }),
    ...(row.gateway_message_id !== null && { gatewayMessageId: row.gateway_message_id }),
    attempts: row.attempts,
    ...(row.error !== null && { error: row.error }),
    queuedAt: row.queued_at,
    ...(row.submitted_at !== null && { submittedAt: row.submitted_at }),
    ...(row.done_at !== null && { doneAt: row.done_at }),
  };
}

function emptyStatusCounts(): StatusCounts {
  const counts = { total: 0 } as StatusCounts;
  for (const status of RECEIPT_STATUSES) counts[status] = 0;
  return counts;
}

// ---- pages -------------------------------------------------------------------------------------

/** A list row: the record and its sort key (k1, k2), which becomes the next page's cursor. */
interface PageRow {
  data: string;
  k1: string;
  k2?: string;
}

function pageSize(page: PageRequest): number {
  return Math.max(1, Math.floor(page.limit));
}

function toPage<T>(rows: PageRow[], page: PageRequest): Page<T> {
  const size = pageSize(page);
  const items = rows.slice(0, size).map((row) => JSON.parse(row.data) as T);
  const last = rows[size - 1];
  if (rows.length <= size || !last) return { items };
  return { items, nextCursor: encodeCursor(last.k2 === undefined ? [last.k1] : [last.k1, last.k2]) };
}

function encodeCursor(key: string[]): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

/** The key inside a cursor of this list, or `start` when there is none; ValidationError when forged. */
function decodeCursor(cursor: string | undefined, start: [string]): [string];
function decodeCursor(cursor: string | undefined, start: [string, string]): [string, string];
function decodeCursor(cursor: string | undefined, start: string[]): string[] {
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
