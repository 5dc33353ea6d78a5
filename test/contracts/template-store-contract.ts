/**
 * The behaviour every TemplateStore adapter must have: templates, their versions, and the versions found
 * by status and author (core/list-filters.ts). How the stores are opened: store-contract-fixture.ts.
 */
import { describe, expect, it } from 'vitest';
import { ConflictError } from '../../lambdas/core/errors.js';
import type { TemplateVersion } from '../../lambdas/core/model.js';
import { aTemplate, aTemplateVersion, at, uniqueId } from '../factories.js';
import { collect, type OpenStores, storesOpenedForEachTest } from './store-contract-fixture.js';

const versionKey = (version: Pick<TemplateVersion, 'templateId' | 'version'>) => `${version.templateId} v${version.version}`;

export function describeTemplateStoreContract(adapterName: string, open: OpenStores): void {
  describe(`TemplateStore contract: ${adapterName}`, () => {
    const store = storesOpenedForEachTest(open);

    describe('templates', () => {
      it('keeps a template with its first version', async () => {
        const template = aTemplate();
        const version = aTemplateVersion(template.id);
        await store.templates.insertTemplate(template, version);

        expect(await store.templates.getTemplate(template.id)).toEqual(template);
        expect(await store.templates.getTemplateVersion(template.id, 1)).toEqual(version);
        expect(await store.templates.listTemplateVersions(template.id)).toEqual([version]);
      });

      it('returns undefined for a template or version it does not have', async () => {
        const template = aTemplate();
        await store.templates.insertTemplate(template, aTemplateVersion(template.id));

        expect(await store.templates.getTemplate(uniqueId('tpl'))).toBeUndefined();
        expect(await store.templates.getTemplateVersion(template.id, 2)).toBeUndefined();
        expect(await store.templates.listTemplateVersions(uniqueId('tpl'))).toEqual([]);
      });

      it('refuses a second template with the same id', async () => {
        const template = aTemplate();
        await store.templates.insertTemplate(template, aTemplateVersion(template.id));

        await expect(
          store.templates.insertTemplate({ ...template, name: 'other' }, aTemplateVersion(template.id, { body: 'other' })),
        ).rejects.toBeInstanceOf(ConflictError);
        expect(await store.templates.getTemplate(template.id)).toEqual(template);
      });

      it('adds the next version and moves the template to it', async () => {
        const template = aTemplate();
        await store.templates.insertTemplate(template, aTemplateVersion(template.id));
        const second = aTemplateVersion(template.id, { version: 2, body: 'Ban sua: {{message}}', createdAt: at(5) });

        await store.templates.insertTemplateVersion(second);

        expect((await store.templates.getTemplate(template.id))?.latestVersion).toBe(2);
        expect(await store.templates.getTemplateVersion(template.id, 2)).toEqual(second);
        expect((await store.templates.listTemplateVersions(template.id)).map((v) => v.version)).toEqual([1, 2]);
      });

      it('refuses a version that is not the next one', async () => {
        const template = aTemplate();
        await store.templates.insertTemplate(template, aTemplateVersion(template.id));

        await expect(store.templates.insertTemplateVersion(aTemplateVersion(template.id, { version: 3 }))).rejects.toBeInstanceOf(
          ConflictError,
        );
        await expect(store.templates.insertTemplateVersion(aTemplateVersion(template.id, { version: 1 }))).rejects.toBeInstanceOf(
          ConflictError,
        );
        expect((await store.templates.getTemplate(template.id))?.latestVersion).toBe(1);
      });

      it('lets only one of two writers add the same next version', async () => {
        const template = aTemplate();
        await store.templates.insertTemplate(template, aTemplateVersion(template.id));

        const results = await Promise.allSettled([
          store.templates.insertTemplateVersion(aTemplateVersion(template.id, { version: 2, body: 'first {{message}}' })),
          store.templates.insertTemplateVersion(aTemplateVersion(template.id, { version: 2, body: 'second {{message}}' })),
        ]);

        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
        const rejected = results.find((r) => r.status === 'rejected');
        expect(rejected?.status === 'rejected' && rejected.reason).toBeInstanceOf(ConflictError);
        expect(await store.templates.listTemplateVersions(template.id)).toHaveLength(2);
      });

      it('replaces a version only while its status is the expected one', async () => {
        const template = aTemplate();
        const draft = aTemplateVersion(template.id);
        await store.templates.insertTemplate(template, draft);
        const pending = { ...draft, status: 'pending_approval' as const, submittedAt: at(1) };

        await store.templates.updateTemplateVersion(pending, 'draft');
        await expect(store.templates.updateTemplateVersion({ ...draft, body: 'changed after submission' }, 'draft')).rejects.toBeInstanceOf(
          ConflictError,
        );

        expect(await store.templates.getTemplateVersion(template.id, 1)).toEqual(pending);
      });

      it('lets only one of two concurrent decisions on a version win', async () => {
        const template = aTemplate();
        const pending = aTemplateVersion(template.id, { status: 'pending_approval', submittedAt: at(1) });
        await store.templates.insertTemplate(template, pending);
        const approved = { ...pending, status: 'approved' as const, decidedBy: 'approver-1', decidedAt: at(2) };
        const rejected = { ...pending, status: 'rejected' as const, decidedBy: 'approver-2', decidedAt: at(2) };

        const results = await Promise.allSettled([
          store.templates.updateTemplateVersion(approved, 'pending_approval'),
          store.templates.updateTemplateVersion(rejected, 'pending_approval'),
        ]);

        expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
        const stored = await store.templates.getTemplateVersion(template.id, 1);
        expect(results[0]?.status === 'fulfilled' ? approved : rejected).toEqual(stored);
      });

      it('lists templates in creation order, page by page, each exactly once', async () => {
        const templates = Array.from({ length: 7 }, (_, i) => aTemplate({ createdAt: at(i) }));
        for (const template of templates) await store.templates.insertTemplate(template, aTemplateVersion(template.id));

        const listed = await collect((page) => store.templates.listTemplates(page), 3);

        const mine = listed.filter((t) => templates.some((own) => own.id === t.id));
        expect(mine).toEqual(templates);
      });
    });

    describe('filtered lists', () => {
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
  });
}
