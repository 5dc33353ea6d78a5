/**
 * The durable queue of the embedded runtime: a SQLite table with visibility timeouts, as SQS has.
 * A taken job is leased, not removed; a worker that dies leaves it to reappear when the lease expires.
 */
import { randomUUID } from 'node:crypto';
import BetterSqlite3 from 'better-sqlite3';
import type { Database, Statement } from 'better-sqlite3';
import type { Clock, LeasedJob, Queue, SendJob } from '../../core/ports.js';
import { applyPragmas, JOBS_SCHEMA } from './schema.js';

export class SqliteQueue implements Queue {
  /** Opens (or creates) a queue file with the runtime's pragmas; it may be the store's own file. */
  static open(file: string, clock: Clock): SqliteQueue {
    const db = new BetterSqlite3(file);
    applyPragmas(db);
    return new SqliteQueue(db, clock);
  }

  private readonly insert: Statement;
  private readonly due: Statement;
  private readonly lease: Statement;
  private readonly remove: Statement;

  /** Creates the jobs table if it is missing; the time of every decision comes from `clock`. */
  constructor(
    readonly db: Database,
    private readonly clock: Clock,
  ) {
    db.exec(JOBS_SCHEMA);
    this.insert = db.prepare(
      `INSERT INTO jobs (id, due_at, lease, lease_expires_at, visible_at, data) VALUES (?, ?, NULL, NULL, ?, ?)
       ON CONFLICT (id) DO NOTHING`,
    );
    this.due = db.prepare('SELECT seq FROM jobs WHERE visible_at <= ? ORDER BY visible_at, seq LIMIT ?').pluck();
    this.lease = db.prepare('UPDATE jobs SET lease = ?, lease_expires_at = ?, visible_at = ? WHERE seq = ? RETURNING data').pluck();
    this.remove = db.prepare('DELETE FROM jobs WHERE id = ? AND lease = ?');
  }

  close(): void {
    this.db.close();
  }

  /**
   * Frees every lease at once, for a runtime starting on a queue only it uses: whatever the previous
   * process had leased died with it, so there is no need to wait for the leases to expire.
   */
  releaseAllLeases(): number {
    return this.db.prepare('UPDATE jobs SET lease = NULL, lease_expires_at = NULL, visible_at = due_at WHERE lease IS NOT NULL').run()
      .changes;
  }

  async enqueue(jobs: SendJob[]): Promise<void> {
    const now = this.clock.now().getTime();
    this.db
      .transaction(() => {
        for (const job of jobs) this.insert.run(job.id, now, now, JSON.stringify(job));
      })
      .immediate();
  }

  async take(max: number, leaseMs: number): Promise<LeasedJob[]> {
    const now = this.clock.now().getTime();
    const expiresAt = now + Math.max(0, leaseMs);
    return this.db
      .transaction(() => {
        const seqs = this.due.all(now, Math.max(1, Math.floor(max))) as number[];
        return seqs.map((seq) => {
          const lease = randomUUID();
          const data = this.lease.get(lease, expiresAt, expiresAt, seq) as string;
          return { job: JSON.parse(data) as SendJob, lease };
        });
      })
      .immediate();
  }

  /** Does nothing when the lease has expired and another worker holds the job now. */
  async complete(leased: LeasedJob): Promise<void> {
    this.remove.run(leased.job.id, leased.lease);
  }

  /** Does nothing when the lease has expired and another worker holds the job now. */
  async reschedule(leased: LeasedJob, next: SendJob, delayMs: number): Promise<void> {
    const dueAt = this.clock.now().getTime() + Math.max(0, delayMs);
    this.db
      .transaction(() => {
        if (this.remove.run(leased.job.id, leased.lease).changes === 0) return;
        this.insert.run(next.id, dueAt, dueAt, JSON.stringify(next));
      })
      .immediate();
  }
}
