/** Vans, loudspeaker tours and their runs in SQLite; vans and tours change only from the revision their writer read. */
import { ConflictError } from '../../core/errors.js';
import type { TourFilter } from '../../core/list-filters.js';
import type { Page, PageRequest } from '../../core/model.js';
import { PLANNED_TOUR_STATUSES, TourStatus, type Tour, type TourRun, type Van } from '../../core/tours/tour-model.js';
import type { TourStore } from '../../core/tours/tour-store.js';
import { creator, equals } from './list-filters.js';
import type { SqliteDatabase } from './sqlite-database.js';
import { decodeCursor, listByCreation, pageSize, toPage, type PageRow } from './sqlite-pages.js';

export class SqliteTourStore implements TourStore {
  constructor(private readonly database: SqliteDatabase) {}

  // ---- vans ------------------------------------------------------------------------------------

  async insertVan(van: Van): Promise<void> {
    const added = this.database
      .sql('INSERT INTO vans (id, created_at, revision, data) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING')
      .run(van.id, van.createdAt, van.revision, JSON.stringify(van));
    if (added.changes === 0) throw new ConflictError(`Van ${van.id} already exists`);
  }

  async getVan(id: string): Promise<Van | undefined> {
    return this.database.record<Van>('SELECT data FROM vans WHERE id = ?', id);
  }

  async updateVan(van: Van): Promise<void> {
    const changed = this.database
      .sql('UPDATE vans SET revision = ?, data = ? WHERE id = ? AND revision = ?')
      .run(van.revision, JSON.stringify(van), van.id, van.revision - 1);
    if (changed.changes === 0) {
      throw new ConflictError(`Van ${van.id} changed since revision ${van.revision - 1} was read`);
    }
  }

  async listVans(page: PageRequest): Promise<Page<Van>> {
    return listByCreation<Van>(this.database, 'vans', page);
  }

  // ---- tours -----------------------------------------------------------------------------------

  async insertTour(tour: Tour): Promise<void> {
    const added = this.database
      .sql(
        `INSERT INTO tours (id, created_at, van_id, status, next_fire_at, revision, data) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT DO NOTHING`,
      )
      .run(tour.id, tour.createdAt, tour.vanId, tour.status, tour.nextFireAt ?? null, tour.revision, JSON.stringify(tour));
    if (added.changes === 0) throw new ConflictError(`Tour ${tour.id} already exists`);
  }

  async getTour(id: string): Promise<Tour | undefined> {
    return this.database.record<Tour>('SELECT data FROM tours WHERE id = ?', id);
  }

  async updateTour(tour: Tour): Promise<void> {
    const changed = this.database
      .sql('UPDATE tours SET van_id = ?, status = ?, next_fire_at = ?, revision = ?, data = ? WHERE id = ? AND revision = ?')
      .run(tour.vanId, tour.status, tour.nextFireAt ?? null, tour.revision, JSON.stringify(tour), tour.id, tour.revision - 1);
    if (changed.changes === 0) {
      throw new ConflictError(`Tour ${tour.id} changed since revision ${tour.revision - 1} was read`);
    }
  }

  async listTours(filter: TourFilter, page: PageRequest): Promise<Page<Tour>> {
    return listByCreation<Tour>(this.database, 'tours', page, [
      ...equals('van_id', filter.vanId),
      ...equals('status', filter.status),
      ...creator(filter, 'createdBy'),
    ]);
  }

  async plannedTours(): Promise<Tour[]> {
    return this.database.records<Tour>(`SELECT data FROM tours WHERE status IN (${PLANNED_TOUR_STATUSES.map((s) => `'${s}'`).join(', ')})`);
  }

  async toursDue(now: string, limit: number): Promise<Tour[]> {
    // Named, as the planner would rather take tours_by_status on the status and sort its rows.
    return this.database.records<Tour>(
      `SELECT data FROM tours INDEXED BY tours_due WHERE status = '${TourStatus.approved}' AND next_fire_at IS NOT NULL
       AND next_fire_at <= ? ORDER BY next_fire_at LIMIT ?`,
      now,
      Math.max(1, Math.floor(limit)),
    );
  }

  // ---- tour runs -------------------------------------------------------------------------------

  async insertTourRun(run: TourRun): Promise<boolean> {
    return (
      this.database
        .sql(
          `INSERT INTO tour_runs (tour_id, run_id, starts_at, status, confirm_by, data) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT DO NOTHING`,
        )
        .run(run.tourId, run.runId, run.startsAt, run.status, run.confirmBy, JSON.stringify(run)).changes > 0
    );
  }

  async getTourRun(tourId: string, runId: string): Promise<TourRun | undefined> {
    return this.database.record<TourRun>('SELECT data FROM tour_runs WHERE tour_id = ? AND run_id = ?', tourId, runId);
  }

  async saveTourRun(run: TourRun): Promise<void> {
    this.database
      .sql(
        `INSERT INTO tour_runs (tour_id, run_id, starts_at, status, confirm_by, data) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (tour_id, run_id) DO UPDATE SET starts_at = excluded.starts_at, status = excluded.status,
         confirm_by = excluded.confirm_by, data = excluded.data`,
      )
      .run(run.tourId, run.runId, run.startsAt, run.status, run.confirmBy, JSON.stringify(run));
  }

  async listTourRuns(tourId: string, page: PageRequest): Promise<Page<TourRun>> {
    // A run's id is made from its start, so the id order is the start order.
    const [before] = decodeCursor(page.cursor, ['']);
    const rows = this.database
      .sql(`SELECT data, run_id AS k1 FROM tour_runs WHERE tour_id = ? AND (? = '' OR run_id < ?) ORDER BY run_id DESC LIMIT ?`)
      .all(tourId, before, before, pageSize(page) + 1) as PageRow[];
    return toPage<TourRun>(rows, page);
  }

  async tourRunsBetween(from: string, to: string): Promise<TourRun[]> {
    return this.database.records<TourRun>('SELECT data FROM tour_runs WHERE starts_at >= ? AND starts_at < ? ORDER BY starts_at', from, to);
  }

  async overdueTourRuns(now: string): Promise<TourRun[]> {
    return this.database.records<TourRun>(
      `SELECT data FROM tour_runs WHERE status = 'dispatched' AND confirm_by <= ? ORDER BY confirm_by`,
      now,
    );
  }
}
