/**
 * The behaviour every AuditStore adapter must have: entries appended, listed newest first, and found by
 * who, what and when (core/list-filters.ts). How the stores are opened: store-contract-fixture.ts.
 */
import { describe, expect, it } from 'vitest';
import { anAuditEntry, at, uniqueId } from '../factories.js';
import { collect, type OpenStores, storesOpenedForEachTest } from './store-contract-fixture.js';

export function describeAuditStoreContract(adapterName: string, open: OpenStores): void {
  describe(`AuditStore contract: ${adapterName}`, () => {
    const store = storesOpenedForEachTest(open);

    describe('audit', () => {
      it('lists entries newest first, page by page, each exactly once', async () => {
        const subject = uniqueId('cmp');
        const entries = Array.from({ length: 7 }, (_, i) =>
          anAuditEntry({ subject, at: at(i, '2999-01-01T00:00:00.000Z'), details: { step: i } }),
        );
        await store.audit.appendAudit(entries.slice(0, 3));
        await store.audit.appendAudit(entries.slice(3));

        const listed = await collect((page) => store.audit.listAudit(page), 3);

        const mine = listed.filter((e) => e.subject === subject);
        expect(mine).toEqual([...entries].reverse());
      });

      it('accepts an empty batch, adding nothing', async () => {
        const before = await collect((page) => store.audit.listAudit(page), 100);

        await expect(store.audit.appendAudit([])).resolves.toBeUndefined();

        expect(await collect((page) => store.audit.listAudit(page), 100)).toEqual(before);
      });
    });

    describe('filtered lists', () => {
      it('lists entries by who, what and when, newest first, page by page, each once', async () => {
        const minh = uniqueId('minh');
        const campaign = uniqueId('cmp');
        const entries = [
          anAuditEntry({ actor: minh, action: 'campaign.approved', subject: campaign, at: at(10) }),
          anAuditEntry({ actor: minh, action: 'template.approved', at: at(20) }),
          anAuditEntry({ actor: uniqueId('hoa'), action: 'campaign.paused', subject: campaign, at: at(30) }),
          anAuditEntry({ actor: minh, action: 'campaign.approved', at: at(40) }),
          anAuditEntry({ actor: minh, action: 'campaign.approved', at: at(50) }),
        ];
        await store.audit.appendAudit(entries);
        const idsOfAudit = (listed: { id: string }[]) => listed.map((entry) => entry.id);

        const byMinh = await collect((page) => store.audit.listAudit(page, { actor: minh }), 2);
        const approvals = await collect((page) => store.audit.listAudit(page, { actor: minh, action: 'campaign.approved' }), 1);
        const onCampaign = await collect((page) => store.audit.listAudit(page, { subject: campaign }), 1);
        const inWindow = await collect((page) => store.audit.listAudit(page, { actor: minh, from: at(20), to: at(50) }), 1);

        expect(idsOfAudit(byMinh)).toEqual([entries[4]!.id, entries[3]!.id, entries[1]!.id, entries[0]!.id]);
        expect(idsOfAudit(approvals)).toEqual([entries[4]!.id, entries[3]!.id, entries[0]!.id]);
        expect(idsOfAudit(onCampaign)).toEqual([entries[2]!.id, entries[0]!.id]);
        expect(idsOfAudit(inWindow)).toEqual([entries[3]!.id, entries[1]!.id]);
        expect(byMinh[0]).toEqual(entries[4]);
      });
    });
  });
}
