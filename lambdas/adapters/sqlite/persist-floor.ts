/**
 * The floor of any pipeline that keeps receipts in SQLite: how many messages a second this machine
 * can persist when each message costs one receipt insert and one status update, in large
 * transactions, with the runtime's pragmas and the real receipts table and indexes. The campaign
 * benchmark compares its end-to-end rate with this.
 */
import { rmSync } from 'node:fs';
import BetterSqlite3 from 'better-sqlite3';
import { applyPragmas, RECEIPTS_SCHEMA } from './schema.js';

const BATCH = 10_000;

/** Creates a fresh database at `file` (replacing any), persists `n` receipts, and returns the rate. */
export function measurePersistFloor(file: string, n: number): { msgsPerSec: number } {
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
  const db = new BetterSqlite3(file);
  try {
    applyPragmas(db);
    db.exec(RECEIPTS_SCHEMA);
    const insert = db.prepare(
      `INSERT INTO receipts (campaign_id, run_id, phone, carrier, status, test, gateway_id, gateway_message_id,
         attempts, error, queued_at, submitted_at, done_at)
       VALUES (?, ?, ?, ?, 'queued', 0, NULL, NULL, 0, NULL, ?, NULL, NULL) ON CONFLICT DO NOTHING`,
    );
    const submit = db.prepare(
      `UPDATE receipts SET status = 'submitted', gateway_id = ?, gateway_message_id = ?, attempts = 1,
         submitted_at = ?
       WHERE campaign_id = ? AND run_id = ? AND phone = ? AND status = 'queued'`,
    );
    const campaignId = 'cmp_floor';
    const runId = 'run_floor';
    const queuedAt = new Date().toISOString();
    const phone = (i: number) => `+849${String(i).padStart(8, '0')}`;
    const insertBatch = db.transaction((from: number, to: number) => {
      for (let i = from; i < to; i++) insert.run(campaignId, runId, phone(i), 'viettel', queuedAt);
    });
    const submitBatch = db.transaction((from: number, to: number) => {
      for (let i = from; i < to; i++) submit.run('sim', `m${i.toString(16)}`, queuedAt, campaignId, runId, phone(i));
    });

    const started = process.hrtime.bigint();
    for (let from = 0; from < n; from += BATCH) insertBatch(from, Math.min(n, from + BATCH));
    for (let from = 0; from < n; from += BATCH) submitBatch(from, Math.min(n, from + BATCH));
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    return { msgsPerSec: n / seconds };
  } finally {
    db.close();
  }
}
