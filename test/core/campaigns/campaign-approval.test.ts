/**
 * A campaign's approval names the revision the approver looked at, and records the hash of what that
 * revision sends.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { approvalHash } from '../../../lambdas/core/auth/approval-hash.js';
import {
  approveCampaign,
  campaignApprovedContent,
  getCampaign,
  rejectCampaign,
  submitCampaign,
} from '../../../lambdas/core/campaigns/campaign-use-cases.js';
import { ConflictError } from '../../../lambdas/core/errors.js';
import { openSqliteDeps, type SqliteDeps } from '../../sqlite-deps.js';
import { aCampaignToDni, approver, author } from './campaign-fixture.js';

const TEMPLATE = { body: 'Cúp nước {{when}}', placeholders: [{ name: 'when', maxLength: 30 }] };

let sqlite: SqliteDeps;

beforeEach(async () => {
  sqlite = openSqliteDeps({ clock: { now: () => new Date('2026-11-28T03:00:00Z') } });
  await sqlite.deps.audience.putAreas([{ code: 'DNI', name: 'Đồng Nai', path: 'DNI' }]);
});
afterEach(() => sqlite.close());

async function pendingCampaign(variables = { when: 'sáng mai' }) {
  const campaign = await aCampaignToDni(sqlite.deps, TEMPLATE, { variables });
  return submitCampaign(sqlite.deps, author, campaign.id);
}

describe('approving a campaign', () => {
  it('refuses a revision other than the stored one, changing nothing', async () => {
    const { deps } = sqlite;
    const seen = await pendingCampaign();
    // Another approver sends it back, and its author submits it again: what was seen is not what is there.
    const rejected = await rejectCampaign(deps, approver, seen.id, 'Ghi rõ giờ', seen.revision);
    const resubmitted = await submitCampaign(deps, author, rejected.id);

    await expect(approveCampaign(deps, approver, seen.id, seen.revision)).rejects.toThrow(ConflictError);
    await expect(rejectCampaign(deps, approver, seen.id, 'Sai', seen.revision)).rejects.toThrow(/revision 4, not 2/);
    expect(await getCampaign(deps, seen.id)).toEqual(resubmitted);

    const approved = await approveCampaign(deps, approver, seen.id, resubmitted.revision);
    expect(approved.status).toBe('approved');
  });

  it('records the hash of what it decided on the campaign and in the audit, which a recomputation equals', async () => {
    const { deps } = sqlite;
    const pending = await pendingCampaign();
    const approved = await approveCampaign(deps, approver, pending.id, pending.revision);

    const segment = (await deps.audience.getSegment(pending.segmentId))!;
    const recomputed = approvalHash({
      id: pending.id,
      name: 'C',
      template: { id: pending.templateId, version: 1 },
      variables: { when: 'sáng mai' },
      stripDiacritics: false,
      text: 'Cúp nước sáng mai',
      segment: { id: segment.id, filter: segment.filter },
      test: false,
      priority: 'normal',
    });
    expect(approved.approvedHash).toBe(recomputed);
    expect(approvalHash(await campaignApprovedContent(deps, pending))).toBe(recomputed);
    const entry = (await deps.audit.listAudit({ limit: 10 }, { subject: pending.id, action: 'campaign.approve' })).items[0];
    expect(entry?.details).toMatchObject({ revision: pending.revision, approvedHash: recomputed });
  });

  it('gives another hash to a campaign that sends another text', async () => {
    const { deps } = sqlite;
    const morning = await pendingCampaign({ when: 'sáng mai' });
    const evening = await pendingCampaign({ when: 'chiều mai' });
    const content = await campaignApprovedContent(deps, morning);

    const hashes = [
      (await approveCampaign(deps, approver, morning.id, morning.revision)).approvedHash,
      (await approveCampaign(deps, approver, evening.id, evening.revision)).approvedHash,
    ];
    expect(hashes[0]).not.toBe(hashes[1]);
    expect(approvalHash({ ...content, text: 'Cúp nước chiều mai' })).not.toBe(hashes[0]);
  });
});
