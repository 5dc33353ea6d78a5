/**
 * A tour's approval names the revision the approver looked at, and records the hash of what it decided:
 * the van, the route, the start and the script text the crew reads.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { registerAreas } from '../../../lambdas/core/areas/area-use-cases.js';
import { approvalHash } from '../../../lambdas/core/auth/approval-hash.js';
import type { Caller } from '../../../lambdas/core/auth/caller.js';
import { ConflictError } from '../../../lambdas/core/errors.js';
import { approveTemplate, createTemplate, submitTemplate } from '../../../lambdas/core/templates/template-use-cases.js';
import {
  approveTour,
  createTour,
  getTour,
  rejectTour,
  submitTour,
  tourApprovedContent,
  tourScript,
  type NewTour,
} from '../../../lambdas/core/tours/tour-use-cases.js';
import { createVan } from '../../../lambdas/core/tours/van-use-cases.js';
import { openSqliteDeps, type SqliteDeps } from '../../sqlite-deps.js';

const planner: Caller = { id: 'lan', roles: ['author'] };
const approver: Caller = { id: 'minh', roles: ['approver'] };
const operator: Caller = { id: 'hoa', roles: ['operator'] };
const SCRIPT_TEXT = 'Kính thưa bà con, hãy đậy kín dụng cụ chứa nước và diệt lăng quăng quanh nhà. Xin cảm ơn.';

let sqlite: SqliteDeps;
let plan: NewTour;

beforeEach(async () => {
  // Monday 30 November 2026, 09:00 in Ho Chi Minh City.
  sqlite = openSqliteDeps({ clock: { now: () => new Date('2026-11-30T02:00:00Z') } });
  const { deps } = sqlite;
  await registerAreas(deps, operator, [
    { code: 'DN', name: 'Đồng Nai' },
    { code: 'TL', name: 'Xã Tân Lợi', parentCode: 'DN' },
    { code: 'BM', name: 'Ấp Bình Minh', parentCode: 'TL' },
    { code: 'DT', name: 'Khu phố Đồng Tâm', parentCode: 'TL' },
  ]);
  const van = await createVan(deps, operator, {
    plate: '60A-123.45',
    kind: 'van',
    crewLead: { name: 'Nguyễn Văn Hùng', phone: '0912 345 678' },
    homeCommune: 'TL',
  });
  const script = await createTemplate(deps, planner, {
    name: 'Sốt xuất huyết',
    channel: 'loudspeaker',
    body: SCRIPT_TEXT,
    placeholders: [],
  });
  await submitTemplate(deps, planner, script.id);
  await approveTemplate(deps, approver, script.id, 1);
  plan = {
    name: 'Phòng chống sốt xuất huyết',
    vanId: van.id,
    scriptId: script.id,
    scriptVersion: 1,
    schedule: { expression: 'at(2026-12-01T07:00:00)' },
    stops: [
      { areaCode: 'BM', minutes: 30 },
      { areaCode: 'DT', minutes: 20 },
    ],
    priority: 'normal',
  };
});
afterEach(() => sqlite.close());

async function pendingTour(overrides: Partial<NewTour> = {}) {
  const tour = await createTour(sqlite.deps, planner, { ...plan, ...overrides });
  return submitTour(sqlite.deps, planner, tour.id);
}

describe('approving a tour', () => {
  it('refuses a revision other than the stored one, changing nothing', async () => {
    const { deps } = sqlite;
    const seen = await pendingTour();
    const rejected = await rejectTour(deps, approver, seen.id, 'Thêm một điểm dừng', seen.revision);
    const resubmitted = await submitTour(deps, planner, rejected.id);

    await expect(approveTour(deps, approver, seen.id, seen.revision)).rejects.toThrow(ConflictError);
    await expect(rejectTour(deps, approver, seen.id, 'Sai', seen.revision)).rejects.toThrow(/revision 4, not 2/);
    expect(await getTour(deps, seen.id)).toEqual(resubmitted);
    expect((await approveTour(deps, approver, seen.id, resubmitted.revision)).status).toBe('approved');
  });

  it('refuses a route the rules would now change from what the approver saw', async () => {
    const { deps } = sqlite;
    const pending = await pendingTour();
    // A school opens in Dong Tam: a normal tour would now pass it by.
    await registerAreas(deps, operator, [{ code: 'DT', name: 'Khu phố Đồng Tâm', parentCode: 'TL', quiet: true }]);

    const refused = approveTour(deps, approver, pending.id, pending.revision);
    await expect(refused).rejects.toThrow(ConflictError);
    await expect(refused).rejects.toThrow(/its author submits it again/);
    expect(await getTour(deps, pending.id)).toEqual(pending);
  });

  it('shows the approver the text the crew will read', async () => {
    const pending = await pendingTour();
    expect(await tourScript(sqlite.deps, pending.id)).toMatchObject({ text: SCRIPT_TEXT, code: `${plan.scriptId} v1` });
  });

  it('records the hash of the route and the script text, on the tour and in the audit, which a recomputation equals', async () => {
    const { deps } = sqlite;
    const pending = await pendingTour();
    const approved = await approveTour(deps, approver, pending.id, pending.revision);

    const recomputed = approvalHash({
      id: pending.id,
      name: plan.name,
      vanId: plan.vanId,
      stops: plan.stops,
      schedule: { expression: 'at(2026-12-01T07:00:00)', timezone: 'Asia/Ho_Chi_Minh' },
      priority: 'normal',
      script: { id: plan.scriptId, version: 1, body: SCRIPT_TEXT, repetitionsPerStop: 2 },
    });
    expect(approved.approvedHash).toBe(recomputed);
    const script = (await deps.templates.getTemplateVersion(plan.scriptId, 1))!;
    expect(approvalHash(tourApprovedContent(pending, script))).toBe(recomputed);
    const entry = (await deps.audit.listAudit({ limit: 10 }, { subject: pending.id, action: 'tour.approved' })).items[0];
    expect(entry?.details).toEqual({ revision: pending.revision, approvedHash: recomputed });
  });

  it('gives another hash to another route, and to another script text', async () => {
    const { deps } = sqlite;
    const script = (await deps.templates.getTemplateVersion(plan.scriptId, 1))!;
    const long = await pendingTour();
    const short = await pendingTour({ stops: [{ areaCode: 'BM', minutes: 30 }], schedule: { expression: 'at(2026-12-02T07:00:00)' } });

    const longHash = (await approveTour(deps, approver, long.id, long.revision)).approvedHash;
    const shortHash = (await approveTour(deps, approver, short.id, short.revision)).approvedHash;
    expect(shortHash).not.toBe(longHash);
    expect(approvalHash(tourApprovedContent(long, { ...script, body: `${SCRIPT_TEXT} ` }))).not.toBe(longHash);
  });
});
