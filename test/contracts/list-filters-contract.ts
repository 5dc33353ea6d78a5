/**
 * The filtered lists every Store adapter must give (core/list-filters.ts): campaigns and tours by status
 * and creator, template versions by status and author, the audit log by who, what and when.
 *
 * As in store-contract.ts the store may be over a database (or table) shared by the whole file: each test
 * makes its own people and records and looks only at those. Pages are walked with `collect`, which also
 * accepts the short (even empty) pages a bounded filtered read may give.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Campaign, CampaignStatus, TemplateVersion } from '../../lambdas/core/model.js';
import type { Stores } from '../../lambdas/core/ports.js';
import { aCampaign, anAuditEntry, aTemplate, aTemplateVersion, at, uniqueId } from '../factories.js';
import { collect, type OpenedStore } from './store-contract.js';
import { aTour } from './tour-store-contract.js';

const idsOf = (records: { id: string }[], own: { id: string }[]) => records.map((r) => r.id).filter((id) => own.some((o) => o.id === id));
const versionKey = (version: Pick<TemplateVersion, 'templateId' | 'version'>) => `${version.templateId} v${version.version}`;

export function describeListFiltersContract(adapterName: string, open: () => Promise<OpenedStore>): void {
  describe(`Store list filters contract: ${adapterName}`, () => {
    let opened: OpenedStore;
    let store: Stores;

    beforeEach(async () => {
      opened = await open();
      store = opened.store;
    });

    afterEach(async () => {
      await opened.close();
    });

    describe('campaigns', () => {
      async function campaigns(lan: string, minh: string): Promise<Campaign[]> {
        const made: [string, CampaignStatus][] = [
          [lan, 'draft'],
          [lan, 'pending_approval'],
          [minh, 'pending_approval'],
          [lan, 'sending'],
          [minh, 'scheduled'],
          [minh, 'paused'],
          [lan, 'completed'],
        ];
        const created = made.map(([createdBy, status], i) => aCampaign({ createdBy, status, createdAt: at(i) }));
        for (const campaign of created) await store.campaigns.insertCampaign(campaign);
        return created;
      }

      it('lists those in any of some statuses, in creation order, page by page, each once', async () => {
        const own = await campaigns(uniqueId('lan'), uniqueId('minh'));

        const running = await collect((page) => store.campaigns.listCampaigns(page, { statuses: ['sending', 'scheduled', 'paused'] }), 2);

        expect(idsOf(running, own)).toEqual([own[3]!.id, own[4]!.id, own[5]!.id]);
      });

      it("lists one person's, or everyone's but theirs", async () => {
        const lan = uniqueId('lan');
        const own = await campaigns(lan, uniqueId('minh'));

        const lansDrafts = await collect((page) => store.campaigns.listCampaigns(page, { statuses: ['draft'], createdBy: lan }), 1);
        const forLan = await collect(
          (page) => store.campaigns.listCampaigns(page, { statuses: ['pending_approval'], notCreatedBy: lan }),
          3,
        );

        expect(lansDrafts.map((campaign) => campaign.id)).toEqual([own[0]!.id]);
        expect(idsOf(forLan, own)).toEqual([own[2]!.id]);
      });

      it('follows a campaign out of a status once it moves on', async () => {
        const [pending] = await campaigns(uniqueId('lan'), uniqueId('minh')).then((all) =>
          all.filter((c) => c.status === 'pending_approval'),
        );
        await store.campaigns.updateCampaign({ ...pending!, status: 'approved', revision: 2 });

        const stillPending = await collect(
          (page) => store.campaigns.listCampaigns(page, { statuses: ['pending_approval'], createdBy: pending!.createdBy }),
          5,
        );

        expect(stillPending).toEqual([]);
      });
    });

    describe('template versions', () => {
      it("lists versions by status and author across templates: what waits, an author's drafts and rejections", async () => {
        const lan = uniqueId('lan');
        const hoa = uniqueId('hoa');
        const first = aTemplate({ createdBy: lan, createdAt: at(0) });
        const second = aTemplate({ createdBy: hoa, createdAt: at(1) });
        await store.templates.insertTemplate(first, aTemplateVersion(first.id, { author: lan, createdAt: at(0) }));
        await store.templates.insertTemplate(second, aTemplateVersion(second.id, { author: hoa, createdAt: at(1) }));
        await store.templates.insertTemplateVersion(aTemplateVersion(first.id, { version: 2, author: hoa, createdAt: at(2) }));
        const submitted = {
          ...aTemplateVersion(first.id, { author: lan, createdAt: at(0) }),
          status: 'pending_approval' as const,
          submittedAt: at(3),
        };
        await store.templates.updateTemplateVersion(submitted, 'draft');
        await store.templates.updateTemplateVersion(
          { ...aTemplateVersion(second.id, { author: hoa, createdAt: at(1) }), status: 'pending_approval' },
          'draft',
        );
        await store.templates.updateTemplateVersion(
          { ...aTemplateVersion(second.id, { author: hoa, createdAt: at(1) }), status: 'rejected', rejectionReason: 'Sai so' },
          'pending_approval',
        );
        const own = (versions: TemplateVersion[]) =>
          versions.filter((v) => v.templateId === first.id || v.templateId === second.id).map(versionKey);

        const pending = await collect((page) => store.templates.findTemplateVersions({ statuses: ['pending_approval'] }, page), 2);
        const hoasWork = await collect(
          (page) => store.templates.findTemplateVersions({ statuses: ['draft', 'rejected'], createdBy: hoa }, page),
          1,
        );
        const forHoa = await collect(
          (page) => store.templates.findTemplateVersions({ statuses: ['pending_approval'], notCreatedBy: hoa }, page),
          3,
        );

        expect(own(pending)).toEqual([`${first.id} v1`]);
        expect(pending.find((v) => v.templateId === first.id)).toEqual(submitted);
        expect(own(hoasWork)).toEqual([`${second.id} v1`, `${first.id} v2`]);
        expect(hoasWork[0]).toMatchObject({ status: 'rejected', rejectionReason: 'Sai so' });
        expect(own(forHoa)).toEqual([`${first.id} v1`]);
      });
    });

    describe('tours', () => {
      it("lists one person's tours in a status, or everyone's but theirs", async () => {
        const lan = uniqueId('lan');
        const hoa = uniqueId('hoa');
        const tours = [
          aTour({ createdBy: lan, status: 'pending_approval', createdAt: at(0) }),
          aTour({ createdBy: hoa, status: 'pending_approval', createdAt: at(1) }),
          aTour({ createdBy: lan, status: 'draft', rejectionReason: 'Trung gio', createdAt: at(2) }),
        ];
        for (const tour of tours) await store.tours.insertTour(tour);

        const forLan = await collect((page) => store.tours.listTours({ status: 'pending_approval', notCreatedBy: lan }, page), 2);
        const lansDrafts = await collect((page) => store.tours.listTours({ status: 'draft', createdBy: lan }, page), 2);

        expect(idsOf(forLan, tours)).toEqual([tours[1]!.id]);
        expect(lansDrafts).toEqual([tours[2]]);
      });
    });

    describe('audit', () => {
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
