import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import BetterSqlite3, { type Database } from 'better-sqlite3';
import { measurePersistFloor } from '../../../lambdas/adapters/sqlite/persist-floor.js';
import { applyPragmas, migrate, MIGRATIONS } from '../../../lambdas/adapters/sqlite/schema.js';
import { openSqliteStores } from '../../../lambdas/adapters/sqlite/sqlite-stores.js';
import type { Stores } from '../../../lambdas/core/ports.js';
import { describeAudienceStoreContract } from '../../contracts/audience-store-contract.js';
import { describeAuditStoreContract } from '../../contracts/audit-store-contract.js';
import { describeCampaignStoreContract } from '../../contracts/campaign-store-contract.js';
import { describeIdempotencyStoreContract } from '../../contracts/idempotency-store-contract.js';
import { describeImportStoreContract } from '../../contracts/import-store-contract.js';
import { describeReceiptStoreContract } from '../../contracts/receipt-store-contract.js';
import type { OpenedStores } from '../../contracts/store-contract-fixture.js';
import { describeTemplateStoreContract } from '../../contracts/template-store-contract.js';
import { describeTourStoreContract } from '../../contracts/tour-store-contract.js';
import { aReceipt, aSegment, at } from '../../factories.js';

const dir = mkdtempSync(join(tmpdir(), 'loa-sqlite-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface SqliteStores {
  stores: Stores;
  close(): void;
}

/** The stores over a database file, opened as the runtime opens it. */
function sqliteStoresIn(file: string): SqliteStores {
  const store = openSqliteStores(file);
  return { stores: store, close: () => store.close() };
}

/** The stores over a connection the test prepared itself, brought to the latest schema. */
function sqliteStoresOver(db: Database): SqliteStores {
  const store = openSqliteStores(db);
  return { stores: store, close: () => store.close() };
}

// One file for the whole suite, as in the runtime: each test opens its own connection to it.
const file = join(dir, 'loa.db');
async function openStores(): Promise<OpenedStores> {
  const { stores, close } = sqliteStoresIn(file);
  return { stores, close: async () => close() };
}
describeTemplateStoreContract('SQLite', openStores);
describeAudienceStoreContract('SQLite', openStores);
describeCampaignStoreContract('SQLite', openStores);
describeReceiptStoreContract('SQLite', openStores);
describeTourStoreContract('SQLite', openStores);
describeAuditStoreContract('SQLite', openStores);
describeIdempotencyStoreContract('SQLite', openStores);
describeImportStoreContract('SQLite', openStores);

/** Scans that are not full scans: a constant, the EXISTS probe of a table, a partial index of live rows. */
const ALLOWED_SCANS = ['SCAN CONSTANT ROW', 'SCAN unmatched_reports', 'SCAN campaign_runs USING INDEX campaign_runs_unfinished'];

describe('SqliteStore', () => {
  it('migrates a file once and opens it again without losing data', async () => {
    const path = join(dir, 'reopen.db');
    const first = sqliteStoresIn(path);
    await first.stores.audience.addOptOut({ phone: '+84912345678', source: 'hotline', by: 'operator-1', at: '2026-03-02T01:00:00.000Z' });
    first.close();

    const second = sqliteStoresIn(path);
    // The schema version and the journal mode are kept in the file: another connection reads them there.
    const inspector = new BetterSqlite3(path, { readonly: true });
    expect(inspector.pragma('user_version', { simple: true })).toBeGreaterThan(0);
    expect(inspector.pragma('journal_mode', { simple: true })).toBe('wal');
    inspector.close();
    expect(await second.stores.audience.getOptOut('+84912345678')).toMatchObject({ source: 'hotline' });
    second.close();
  });

  it('lists the segments saved before the list existed, in creation order', async () => {
    const db = new BetterSqlite3(join(dir, 'segments-before-list.db'));
    const listed = MIGRATIONS.findIndex((sql) => sql.includes('segments_by_creation'));
    for (const sql of MIGRATIONS.slice(0, listed)) db.exec(sql);
    db.pragma(`user_version = ${listed}`);
    // Ids in the other order than time, so only the backfilled createdAt can order them.
    const newer = aSegment({ createdAt: at(60) });
    const older = aSegment({ createdAt: at(0) });
    for (const segment of [newer, older])
      db.prepare('INSERT INTO segments (id, data) VALUES (?, ?)').run(segment.id, JSON.stringify(segment));

    migrate(db);
    const { stores, close } = sqliteStoresOver(db);

    expect((await stores.audience.listSegments({ limit: 10 })).items).toEqual([older, newer]);
    close();
  });

  it('runs every hot-path statement on an index, with no full scan and no sort', async () => {
    const db = new BetterSqlite3(join(dir, 'plans.db'));
    applyPragmas(db);
    migrate(db);
    const prepared = new Set<string>();
    const prepare = db.prepare.bind(db);
    db.prepare = ((sql: string) => {
      prepared.add(sql);
      return prepare(sql);
    }) as typeof db.prepare;
    const { stores: store, close } = sqliteStoresOver(db);
    const receipt = aReceipt();
    const segment = { areaPaths: ['P/A1', 'P/A2'], tags: ['worker', 'student'], carriers: ['viettel' as const] };

    await store.receipts.insertReceipts([receipt]);
    await store.receipts.queuedPhones(receipt.campaignId, receipt.runId, [receipt.phone]);
    await store.receipts.recordDeliveryReports([{ gatewayId: 'g', messageId: 'early', status: 'delivered', at: at(2) }]);
    await store.receipts.recordSendOutcomes([
      { ...receipt, status: 'submitted', gatewayId: 'g', gatewayMessageId: 'early', attempts: 1, at: at(1) },
    ]);
    await store.receipts.expireReceipts(at(0), 10);
    await store.receipts.takeDailySlots(receipt, [receipt.phone], '2026-03-02', 3);
    await store.audience.nextRecipients(segment, undefined, 10);
    await store.audience.countRecipients(segment);
    await store.campaigns.campaignsDue(at(0), 10);
    await store.audience.listSegments({ limit: 10, cursor: Buffer.from(JSON.stringify([at(0), 'seg'])).toString('base64url') });
    await store.campaigns.listUnfinishedRuns();
    await store.receipts.campaignCounts(receipt.campaignId);
    await store.receipts.campaignProgress(receipt.campaignId);
    await store.receipts.listReceipts(receipt.campaignId, { status: 'failed' }, { limit: 10 });
    await store.receipts.listReceipts(receipt.campaignId, { runId: receipt.runId, status: 'expired' }, { limit: 10 });
    await store.tours.listTours({ vanId: 'van-1' }, { limit: 10 });
    await store.tours.listTours({ status: 'pending_approval' }, { limit: 10 });
    await store.tours.listTours({ vanId: 'van-1', status: 'approved' }, { limit: 10 });
    await store.tours.plannedTours();
    await store.tours.toursDue(at(0), 10);
    await store.tours.tourRunsBetween(at(0), at(7 * 24 * 3600));
    await store.tours.overdueTourRuns(at(0));

    const plans = [...prepared].map((sql) => {
      const nulls = Array.from({ length: sql.split('?').length - 1 }, () => null);
      const plan = prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...nulls) as { detail: string }[];
      return { sql, plan: plan.map((row) => row.detail) };
    });
    expect(plans.length).toBeGreaterThan(15);
    for (const { sql, plan } of plans) {
      const scans = plan.filter((line) => /^SCAN /.test(line) && !ALLOWED_SCANS.includes(line));
      expect({ sql, scans }).toEqual({ sql, scans: [] });
      expect({ sql, sorts: plan.filter((line) => /TEMP B-TREE/.test(line)) }).toEqual({ sql, sorts: [] });
    }
    close();
  });
});

describe('measurePersistFloor', () => {
  it('measures a positive rate of receipts persisted a second', () => {
    const { msgsPerSec } = measurePersistFloor(join(dir, 'floor.db'), 20_000);

    expect(msgsPerSec).toBeGreaterThan(0);
    expect(Number.isFinite(msgsPerSec)).toBe(true);
  });
});
