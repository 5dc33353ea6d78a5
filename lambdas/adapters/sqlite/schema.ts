/**
 * The SQLite schema of the embedded runtime and its migrations. Whole records are kept as JSON where
 * nothing queries inside them; every column a query filters or sorts on is a real column with an index,
 * so no hot path scans a table.
 */
import type { Database } from 'better-sqlite3';

/**
 * WAL lets readers run beside the one writer; synchronous=NORMAL in WAL mode is durable against a
 * process crash (an OS crash may lose the last transactions, never corrupt the file).
 */
export function applyPragmas(db: Database): void {
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  db.pragma('temp_store = MEMORY');
  db.pragma('cache_size = -32768');
  // Checkpoint every ~40 MB of WAL rather than 4 MB: a page a campaign keeps updating is copied back
  // into the database file less often.
  db.pragma('wal_autocheckpoint = 10000');
  db.pragma('foreign_keys = OFF');
}

/**
 * One receipt per run and phone. Kept apart so the persist-floor benchmark measures this very table.
 * WITHOUT ROWID: the primary key is the table, so a lookup by run and phone is one B-tree descent.
 */
export const RECEIPTS_SCHEMA = `
CREATE TABLE IF NOT EXISTS receipts (
  campaign_id TEXT NOT NULL,
  run_id TEXT NOT NULL,
  phone TEXT NOT NULL,
  carrier TEXT,
  status TEXT NOT NULL,
  test INTEGER NOT NULL,
  gateway_id TEXT,
  gateway_message_id TEXT,
  attempts INTEGER NOT NULL,
  error TEXT,
  queued_at TEXT NOT NULL,
  submitted_at TEXT,
  done_at TEXT,
  PRIMARY KEY (campaign_id, run_id, phone)
) WITHOUT ROWID;
-- delivery reports find their receipt by the gateway's message id
CREATE INDEX IF NOT EXISTS receipts_by_gateway_message
  ON receipts (gateway_id, gateway_message_id) WHERE gateway_message_id IS NOT NULL;
-- expiry walks only the receipts still waiting for a report, oldest first
CREATE INDEX IF NOT EXISTS receipts_awaiting_report
  ON receipts (submitted_at) WHERE status = 'submitted';
-- the console lists a campaign's failed or expired receipts, rare among a million; the dense statuses
-- are listed from the primary key. Partial, so a receipt on its way to delivered never touches them.
CREATE INDEX IF NOT EXISTS receipts_failed ON receipts (campaign_id, run_id, phone) WHERE status = 'failed';
CREATE INDEX IF NOT EXISTS receipts_expired ON receipts (campaign_id, run_id, phone) WHERE status = 'expired';
`;

export const MIGRATIONS: readonly string[] = [
  `
CREATE TABLE IF NOT EXISTS templates (
  id TEXT PRIMARY KEY,
  created_at TEXT NOT NULL,
  data TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS templates_by_creation ON templates (created_at, id);

CREATE TABLE IF NOT EXISTS template_versions (
  template_id TEXT NOT NULL,
  version INTEGER NOT NULL,
  status TEXT NOT NULL,
  data TEXT NOT NULL,
  PRIMARY KEY (template_id, version)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS areas (
  code TEXT PRIMARY KEY,
  path TEXT NOT NULL,
  data TEXT NOT NULL
) WITHOUT ROWID;

-- tags: '\\x1f' + tags joined by '\\x1f' + '\\x1f', so any-of is a few instr() per row with no join
CREATE TABLE IF NOT EXISTS subscribers (
  phone TEXT PRIMARY KEY,
  area_code TEXT NOT NULL,
  area_path TEXT NOT NULL,
  tags TEXT NOT NULL,
  carrier TEXT,
  carrier_source TEXT NOT NULL,
  updated_at TEXT NOT NULL
) WITHOUT ROWID;
-- covering for countRecipients: a subtree is one range of it, already in GROUP BY order
CREATE INDEX IF NOT EXISTS subscribers_by_area ON subscribers (area_path, carrier, area_code, tags);

CREATE TABLE IF NOT EXISTS opt_outs (
  phone TEXT PRIMARY KEY,
  data TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS segments (
  id TEXT PRIMARY KEY,
  data TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS campaigns (
  id TEXT PRIMARY KEY,
  created_at TEXT NOT NULL,
  status TEXT NOT NULL,
  next_fire_at TEXT,
  revision INTEGER NOT NULL,
  data TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS campaigns_by_creation ON campaigns (created_at, id);
CREATE INDEX IF NOT EXISTS campaigns_by_next_fire ON campaigns (next_fire_at) WHERE next_fire_at IS NOT NULL;

CREATE TABLE IF NOT EXISTS campaign_runs (
  campaign_id TEXT NOT NULL,
  run_id TEXT NOT NULL,
  sending_done INTEGER NOT NULL,
  data TEXT NOT NULL,
  PRIMARY KEY (campaign_id, run_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS campaign_runs_unfinished ON campaign_runs (campaign_id, run_id) WHERE sending_done = 0;

${RECEIPTS_SCHEMA}

-- added to, never recomputed: carrier 'unknown' when the receipt has none
CREATE TABLE IF NOT EXISTS receipt_counters (
  campaign_id TEXT NOT NULL,
  run_id TEXT NOT NULL,
  carrier TEXT NOT NULL,
  status TEXT NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY (campaign_id, run_id, carrier, status)
) WITHOUT ROWID;

-- delivery reports that arrived before (or without) their submission being recorded
CREATE TABLE IF NOT EXISTS unmatched_reports (
  gateway_id TEXT NOT NULL,
  message_id TEXT NOT NULL,
  status TEXT NOT NULL,
  error TEXT,
  at TEXT NOT NULL,
  PRIMARY KEY (gateway_id, message_id)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS daily_slots (
  phone TEXT NOT NULL,
  day TEXT NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY (phone, day)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS audit (
  id TEXT PRIMARY KEY,
  at TEXT NOT NULL,
  data TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS audit_newest_first ON audit (at DESC, id DESC);

CREATE TABLE IF NOT EXISTS idempotency_records (
  key TEXT PRIMARY KEY,
  created_at TEXT NOT NULL,
  data TEXT NOT NULL
) WITHOUT ROWID;
`,
  `
CREATE TABLE IF NOT EXISTS vans (
  id TEXT PRIMARY KEY,
  created_at TEXT NOT NULL,
  revision INTEGER NOT NULL,
  data TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS vans_by_creation ON vans (created_at, id);

CREATE TABLE IF NOT EXISTS tours (
  id TEXT PRIMARY KEY,
  created_at TEXT NOT NULL,
  van_id TEXT NOT NULL,
  status TEXT NOT NULL,
  next_fire_at TEXT,
  revision INTEGER NOT NULL,
  data TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS tours_by_creation ON tours (created_at, id);
-- a van's tours, and the tours in some statuses (an approver's queue, the planned tours), in creation order
CREATE INDEX IF NOT EXISTS tours_by_van ON tours (van_id, created_at, id);
CREATE INDEX IF NOT EXISTS tours_by_status ON tours (status, created_at, id);
-- the timer's look-up holds only the approved tours with a start to dispatch
CREATE INDEX IF NOT EXISTS tours_due ON tours (next_fire_at) WHERE status = 'approved' AND next_fire_at IS NOT NULL;

CREATE TABLE IF NOT EXISTS tour_runs (
  tour_id TEXT NOT NULL,
  run_id TEXT NOT NULL,
  starts_at TEXT NOT NULL,
  status TEXT NOT NULL,
  confirm_by TEXT NOT NULL,
  data TEXT NOT NULL,
  PRIMARY KEY (tour_id, run_id)
) WITHOUT ROWID;
-- the coverage of a week is one range of it
CREATE INDEX IF NOT EXISTS tour_runs_by_start ON tour_runs (starts_at);
-- only the runs still waiting for the crew's confirmation, so a confirmed run leaves it
CREATE INDEX IF NOT EXISTS tour_runs_awaiting_confirmation ON tour_runs (confirm_by) WHERE status = 'dispatched';
`,
  `
-- the subscriber's area when the receipt was queued, for the progress by area
ALTER TABLE receipts ADD COLUMN area_code TEXT;

-- the progress of a campaign by area and its deliveries minute by minute, moved in the same transaction
-- as the receipts and added to, never recomputed: area 'unknown' when the receipt has none
CREATE TABLE IF NOT EXISTS receipt_area_counters (
  campaign_id TEXT NOT NULL,
  run_id TEXT NOT NULL,
  area_code TEXT NOT NULL,
  status TEXT NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY (campaign_id, run_id, area_code, status)
) WITHOUT ROWID;

-- minute: the start of the UTC minute of the delivery report, ISO 8601
CREATE TABLE IF NOT EXISTS delivered_by_minute (
  campaign_id TEXT NOT NULL,
  run_id TEXT NOT NULL,
  minute TEXT NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY (campaign_id, run_id, minute)
) WITHOUT ROWID;
`,
  `
-- the list of segments, in creation order; segments saved before it take their time from their record
ALTER TABLE segments ADD COLUMN created_at TEXT NOT NULL DEFAULT '';
UPDATE segments SET created_at = json_extract(data, '$.createdAt');
CREATE INDEX IF NOT EXISTS segments_by_creation ON segments (created_at, id);
`,
  `
-- the runs that took each daily slot: a fan-out slice repeated after a crash takes nothing twice
CREATE TABLE IF NOT EXISTS daily_slot_runs (
  phone TEXT NOT NULL,
  day TEXT NOT NULL,
  campaign_id TEXT NOT NULL,
  run_id TEXT NOT NULL,
  PRIMARY KEY (phone, day, campaign_id, run_id)
) WITHOUT ROWID;
`,
  `
-- the pseudonym of the number an idempotent request named, so that erasing the number deletes the
-- records of its requests; records are deleted 24 hours after they were made, oldest first
ALTER TABLE idempotency_records ADD COLUMN subject TEXT;
CREATE INDEX IF NOT EXISTS idempotency_records_by_subject ON idempotency_records (subject) WHERE subject IS NOT NULL;
CREATE INDEX IF NOT EXISTS idempotency_records_by_creation ON idempotency_records (created_at);
`,
  `
-- where each subscriber came from (JSON of SubscriberSource) and when; NULL for those imported before
ALTER TABLE subscribers ADD COLUMN source TEXT;
ALTER TABLE subscribers ADD COLUMN sourced_at TEXT;
`,
  `
-- imports in slices (core/imports/), and the first refused rows of each, by line
CREATE TABLE IF NOT EXISTS imports (
  id TEXT PRIMARY KEY,
  status TEXT NOT NULL,
  bytes_read INTEGER NOT NULL,
  data TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS import_refusals (
  import_id TEXT NOT NULL,
  line INTEGER NOT NULL,
  reason TEXT NOT NULL,
  PRIMARY KEY (import_id, line, reason)
) WITHOUT ROWID;
`,
];

/** The durable queue's table; created by the queue itself so it can live in its own file. */
export const JOBS_SCHEMA = `
CREATE TABLE IF NOT EXISTS jobs (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  due_at INTEGER NOT NULL,
  lease TEXT,
  lease_expires_at INTEGER,
  -- when take() may hand the job out: due_at while free, lease_expires_at while leased
  visible_at INTEGER NOT NULL,
  data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS jobs_by_visibility ON jobs (visible_at, seq);
`;

/** Brings the store's schema to the latest version (PRAGMA user_version counts applied migrations). */
export function migrate(db: Database): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  for (let version = current; version < MIGRATIONS.length; version++) {
    const sql = MIGRATIONS[version];
    if (sql === undefined) break;
    db.transaction(() => {
      db.exec(sql);
      db.pragma(`user_version = ${version + 1}`);
    }).immediate();
  }
}
