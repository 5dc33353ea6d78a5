import { afterAll, describe, expect, it } from 'vitest';
import { forgetPastRetention } from '../../lambdas/embedded/retention.js';
import { anIdempotencyRecord, aRun, receiptsFor, uniquePhones } from '../factories.js';
import { openSqliteDeps } from '../sqlite-deps.js';
import { removeTempFolders } from '../temp-folder.js';
import { TEST_PSEUDONYMIZER } from '../test-pseudonymizer.js';

afterAll(removeTempFolders);

const DAY_MS = 86_400_000;

describe('what the embedded runtime forgets', () => {
  it('pseudonymizes receipts past LOA_RETENTION_DAYS, drops day-old idempotency records and week-old daily slots', async () => {
    const now = new Date('2026-03-02T03:00:00.000Z');
    const ago = (ms: number) => new Date(now.getTime() - ms).toISOString();
    const { deps, stores, close } = openSqliteDeps({ clock: { now: () => now } });
    try {
      const [oldPhones, recentPhones] = [uniquePhones(2), uniquePhones(1)];
      const old = aRun({ firedAt: ago(366 * DAY_MS) });
      const recent = aRun({ firedAt: ago(364 * DAY_MS) });
      for (const run of [old, recent]) await stores.campaigns.insertRun(run);
      await stores.receipts.insertReceipts([
        ...receiptsFor(old.campaignId, old.runId, oldPhones),
        ...receiptsFor(recent.campaignId, recent.runId, recentPhones),
      ]);
      const [dayOld, fresh] = [anIdempotencyRecord({ createdAt: ago(25 * 3_600_000) }), anIdempotencyRecord({ createdAt: ago(3_600_000) })];
      for (const record of [dayOld, fresh]) await stores.idempotency.saveIdempotencyRecord(record);
      const slotRun = { campaignId: old.campaignId, runId: old.runId };
      await stores.receipts.takeDailySlots(slotRun, recentPhones, '2026-02-20', 1);
      await stores.receipts.takeDailySlots(slotRun, recentPhones, '2026-03-02', 1);

      await forgetPastRetention(stores, deps);

      for (const phone of oldPhones) {
        expect(await stores.receipts.getReceipt(old.campaignId, old.runId, phone)).toBeUndefined();
        expect(await stores.receipts.getReceipt(old.campaignId, old.runId, await TEST_PSEUDONYMIZER.pseudonym(phone))).toBeDefined();
      }
      expect(await stores.receipts.getReceipt(recent.campaignId, recent.runId, recentPhones[0]!)).toBeDefined();
      expect(await stores.idempotency.getIdempotencyRecord(dayOld.key)).toBeUndefined();
      expect(await stores.idempotency.getIdempotencyRecord(fresh.key)).toEqual(fresh);
      const another = { campaignId: recent.campaignId, runId: recent.runId };
      expect(await stores.receipts.takeDailySlots(another, recentPhones, '2026-02-20', 1)).toEqual(new Set(recentPhones));
      expect(await stores.receipts.takeDailySlots(another, recentPhones, '2026-03-02', 1)).toEqual(new Set());

      expect(await forgetPastRetention(stores, deps)).toBe(false);
    } finally {
      close();
    }
  });

  it('drops delivery reports that matched no receipt for 30 days, and keeps younger ones counted', async () => {
    const now = new Date('2026-03-02T03:00:00.000Z');
    const ago = (days: number) => new Date(now.getTime() - days * DAY_MS).toISOString();
    const { deps, stores, close } = openSqliteDeps({ clock: { now: () => now } });
    try {
      const report = (messageId: string, at: string) => ({ gatewayId: 'smsc', messageId, status: 'delivered' as const, at });
      await stores.receipts.recordDeliveryReports([report('month-old', ago(31)), report('recent', ago(29))]);
      expect(await stores.receipts.countUnmatchedReports()).toBe(2);

      await forgetPastRetention(stores, deps);

      expect(await stores.receipts.countUnmatchedReports()).toBe(1);
    } finally {
      close();
    }
  });
});
