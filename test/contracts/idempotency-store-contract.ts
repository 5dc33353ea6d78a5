/**
 * The behaviour every IdempotencyStore adapter must have: the first record under a key is the one kept, and
 * the records of requests about a number go when the number is erased.
 * How the stores are opened: store-contract-fixture.ts.
 */
import { describe, expect, it } from 'vitest';
import { anIdempotencyRecord, uniqueId } from '../factories.js';
import { type OpenStores, storesOpenedForEachTest } from './store-contract-fixture.js';

export function describeIdempotencyStoreContract(adapterName: string, open: OpenStores): void {
  describe(`IdempotencyStore contract: ${adapterName}`, () => {
    const store = storesOpenedForEachTest(open);

    describe('idempotency records', () => {
      it('keeps the first record under a key', async () => {
        const record = anIdempotencyRecord();
        expect(await store.idempotency.saveIdempotencyRecord(record)).toBe(true);

        expect(await store.idempotency.saveIdempotencyRecord({ ...record, statusCode: 409, body: '{}' })).toBe(false);

        expect(await store.idempotency.getIdempotencyRecord(record.key)).toEqual(record);
        expect(await store.idempotency.getIdempotencyRecord(uniqueId('idem'))).toBeUndefined();
      });

      it('replaces a record a day old or more, even while it is not deleted yet', async () => {
        const record = anIdempotencyRecord({ createdAt: '2026-01-01T00:00:00.000Z' });
        const subject = `anon_${uniqueId('x')}`;
        const withSubject = anIdempotencyRecord({ createdAt: '2026-01-01T00:00:00.000Z', subject });
        for (const r of [record, withSubject]) expect(await store.idempotency.saveIdempotencyRecord(r)).toBe(true);
        const hourLater = (r: typeof record) => ({ ...r, createdAt: '2026-01-01T23:59:59.000Z', statusCode: 202 });
        const dayLater = (r: typeof record) => ({ ...r, createdAt: '2026-01-02T00:00:00.000Z', statusCode: 201 });

        for (const r of [record, withSubject]) expect(await store.idempotency.saveIdempotencyRecord(hourLater(r))).toBe(false);
        for (const r of [record, withSubject]) expect(await store.idempotency.saveIdempotencyRecord(dayLater(r))).toBe(true);

        expect(await store.idempotency.getIdempotencyRecord(record.key)).toEqual(dayLater(record));
        expect(await store.idempotency.getIdempotencyRecord(withSubject.key)).toEqual(dayLater(withSubject));
      });

      it('deletes the records of requests about one number, and only those', async () => {
        const subject = `anon_${uniqueId('x')}`;
        const about = [anIdempotencyRecord({ subject }), anIdempotencyRecord({ subject })];
        const other = anIdempotencyRecord({ subject: `anon_${uniqueId('x')}` });
        const none = anIdempotencyRecord();
        for (const record of [...about, other, none]) expect(await store.idempotency.saveIdempotencyRecord(record)).toBe(true);

        expect(await store.idempotency.deleteIdempotencyRecordsAbout(subject)).toBe(2);
        expect(await store.idempotency.deleteIdempotencyRecordsAbout(subject)).toBe(0);

        for (const record of about) expect(await store.idempotency.getIdempotencyRecord(record.key)).toBeUndefined();
        expect(await store.idempotency.getIdempotencyRecord(other.key)).toEqual(other);
        expect(await store.idempotency.getIdempotencyRecord(none.key)).toEqual(none);
      });
    });
  });
}
