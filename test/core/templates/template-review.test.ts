/**
 * The four-eyes review of template versions: one version pending at a time (a new submission supersedes
 * the one before), a superseded version never approved, and the approval's hash of what it decided.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { approvalHash, canonicalJson } from '../../../lambdas/core/auth/approval-hash.js';
import type { Caller } from '../../../lambdas/core/auth/caller.js';
import { ConflictError } from '../../../lambdas/core/errors.js';
import {
  addTemplateVersion,
  approveTemplate,
  createTemplate,
  getTemplate,
  submitTemplate,
  templateApprovedContent,
} from '../../../lambdas/core/templates/template-use-cases.js';
import { openSqliteDeps, type SqliteDeps } from '../../sqlite-deps.js';

const author: Caller = { id: 'lan', roles: ['author'] };
const approver: Caller = { id: 'minh', roles: ['approver'] };
const PLACEHOLDERS = [{ name: 'advice', maxLength: 60 }];

let sqlite: SqliteDeps;
let minutes: number;

beforeEach(() => {
  minutes = 0;
  // A minute later at every call: each submission has its own time.
  sqlite = openSqliteDeps({ clock: { now: () => new Date(Date.UTC(2026, 10, 28, 3, minutes++)) } });
});
afterEach(() => sqlite.close());

async function auditOf(templateId: string) {
  const entries = (await sqlite.deps.audit.listAudit({ limit: 100 }, { subject: templateId })).items;
  return entries.map((entry) => ({ action: entry.action, details: entry.details }));
}

const statuses = async (templateId: string) => (await getTemplate(sqlite.deps, templateId)).versions.map((version) => version.status);

describe('one pending version per template', () => {
  it('supersedes the pending version when a newer one is submitted, says so in the audit, and never approves it', async () => {
    const { deps } = sqlite;
    const template = await createTemplate(deps, author, { name: 'Khuyến cáo', body: 'Khuyến cáo: {{advice}}', placeholders: PLACEHOLDERS });
    await submitTemplate(deps, author, template.id, 1);
    await addTemplateVersion(deps, author, template.id, { body: 'Sở Y tế khuyến cáo: {{advice}}', placeholders: PLACEHOLDERS });

    expect(await statuses(template.id)).toEqual(['pending_approval', 'draft']);
    await submitTemplate(deps, author, template.id, 2);

    expect(await statuses(template.id)).toEqual(['superseded', 'pending_approval']);
    expect(await auditOf(template.id)).toContainEqual({ action: 'template.superseded', details: { version: 1, supersededBy: 2 } });
    const refused = approveTemplate(deps, approver, template.id, 1);
    await expect(refused).rejects.toThrow(ConflictError);
    await expect(refused).rejects.toThrow(/superseded/);
    await expect(submitTemplate(deps, author, template.id, 1)).rejects.toThrow(ConflictError);

    await approveTemplate(deps, approver, template.id, 2);
    expect(await statuses(template.id)).toEqual(['superseded', 'approved']);
  });

  it('lets the later submission stand when an older draft is submitted after a newer one', async () => {
    const { deps } = sqlite;
    const template = await createTemplate(deps, author, { name: 'Mất nước', body: 'Cúp nước sáng mai', placeholders: [] });
    await addTemplateVersion(deps, author, template.id, { body: 'Cúp nước chiều mai', placeholders: [] });
    await submitTemplate(deps, author, template.id, 2);
    await submitTemplate(deps, author, template.id, 1);

    expect(await statuses(template.id)).toEqual(['pending_approval', 'superseded']);
    expect(await auditOf(template.id)).toContainEqual({ action: 'template.superseded', details: { version: 2, supersededBy: 1 } });
  });
});

describe("an approval's hash", () => {
  it('is the sha256 of the canonical JSON of what was approved, on the version and in the audit entry', async () => {
    const { deps } = sqlite;
    const template = await createTemplate(deps, author, { name: 'Khuyến cáo', body: 'Khuyến cáo: {{advice}}', placeholders: PLACEHOLDERS });
    await submitTemplate(deps, author, template.id);
    const approved = (await approveTemplate(deps, approver, template.id, 1)).versions[0]!;

    const recomputed = approvalHash({
      templateId: template.id,
      version: 1,
      channel: 'sms',
      body: 'Khuyến cáo: {{advice}}',
      placeholders: [{ name: 'advice', maxLength: 60 }],
    });
    expect(approved.approvedHash).toMatch(/^[0-9a-f]{64}$/);
    expect(approved.approvedHash).toBe(recomputed);
    expect(approved.approvedHash).toBe(approvalHash(templateApprovedContent(template, approved)));
    expect(await auditOf(template.id)).toContainEqual({ action: 'template.approved', details: { version: 1, approvedHash: recomputed } });
  });

  it('changes when the content changes, and not when only its fields are written in another order', async () => {
    const { deps } = sqlite;
    const template = await createTemplate(deps, author, { name: 'Khuyến cáo', body: 'Khuyến cáo: {{advice}}', placeholders: PLACEHOLDERS });
    await submitTemplate(deps, author, template.id);
    await approveTemplate(deps, approver, template.id, 1);
    await addTemplateVersion(deps, author, template.id, { body: 'Khuyến cáo: {{advice}}.', placeholders: PLACEHOLDERS });
    await submitTemplate(deps, author, template.id, 2);
    const [first, second] = (await approveTemplate(deps, approver, template.id, 2)).versions;

    expect(second!.approvedHash).not.toBe(first!.approvedHash);
    expect(canonicalJson({ b: [2, { d: 1, c: undefined }], a: 'Đà Nẵng' })).toBe('{"a":"Đà Nẵng","b":[2,{"d":1}]}');
    expect(approvalHash({ a: 1, b: 2 })).toBe(approvalHash({ b: 2, a: 1 }));
  });
});
