/**
 * The behaviour every IdempotencyStore adapter must have: the first record under a key is the one kept.
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
    });
  });
}
