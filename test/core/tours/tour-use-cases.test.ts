/**
 * Loudspeaker tours end to end over a real SQLite store: planning a tour under the rules, the second
 * person's approval, the crew lead's SMS at each start (through the real campaign dispatcher), and what
 * the crew confirms or fails to confirm afterwards.
 */
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteQueue } from '../../../lambdas/adapters/sqlite/sqlite-queue.js';
import { openSqliteStores, type SqliteStores } from '../../../lambdas/adapters/sqlite/sqlite-stores.js';
import { registerAreas } from '../../../lambdas/core/areas/area-use-cases.js';
import type { Caller } from '../../../lambdas/core/auth/caller.js';
import { DEFAULT_CONFIG } from '../../../lambdas/core/config.js';
import type { DispatchDeps } from '../../../lambdas/core/dispatch/dispatcher.js';
import { ConflictError, ForbiddenError, ValidationError } from '../../../lambdas/core/errors.js';
import { DEFAULT_HEALTH_POLICY } from '../../../lambdas/core/gateways/gateway-health.js';
import { GatewayRouter } from '../../../lambdas/core/gateways/gateway-router.js';
import type { Campaign } from '../../../lambdas/core/model.js';
import { storesIn, type Gateway, type OutgoingSms, type SubmitResult } from '../../../lambdas/core/ports.js';
import { approveTemplate, createTemplate, submitTemplate } from '../../../lambdas/core/templates/template-use-cases.js';
import type { Tour, Van } from '../../../lambdas/core/tours/tour-model.js';
import {
  approveTour,
  cancelTour,
  confirmTour,
  createTour,
  dispatchTour,
  getTour,
  markMissedTourRuns,
  submitTour,
  type NewTour,
} from '../../../lambdas/core/tours/tour-use-cases.js';
import { createVan, setVanCrew, setVanStatus } from '../../../lambdas/core/tours/van-use-cases.js';
import { newTempFolder } from '../../temp-folder.js';
import { sendEverythingDue } from '../dispatch/send-everything-due.js';
import { TEST_PSEUDONYMIZER } from '../../test-pseudonymizer.js';

// ---- people, places and times --------------------------------------------------------------------------

const planner: Caller = { id: 'lan', roles: ['author'] };
const approver: Caller = { id: 'minh', roles: ['approver'] };
const operator: Caller = { id: 'hoa', roles: ['operator'] };
const crew: Caller = { id: 'hung', roles: ['crew'] };

const CREW_LEAD_PHONE = '+84912345678';
const COMMUNE = '26734';
const BINH_MINH = 'AP-BM';
const DONG_TAM = 'KP-DT';
/** A primary school: a quiet area. */
const SCHOOL = 'TH-HB';

// Asia/Ho_Chi_Minh is UTC+7 all year.
/** When the tours are planned: Monday 30 November 2026, 09:00 local. */
const MONDAY_0900_LOCAL = new Date('2026-11-30T02:00:00Z');
/** The default tour's start: Tuesday 1 December 2026, 07:00 local. */
const TUESDAY_0700_LOCAL = new Date('2026-12-01T00:00:00Z');
/** The default route, 07:00-07:30 Binh Minh, 15 min travel, 07:45-08:05 Dong Tam, ends here. */
const TUESDAY_0805_LOCAL = new Date('2026-12-01T01:05:00Z');
/** The crew may confirm until the planned end plus config.tours.confirmWithinMinutes (120). */
const TUESDAY_1005_LOCAL = new Date('2026-12-01T03:05:00Z');
const WEDNESDAY_0700_LOCAL = new Date('2026-12-02T00:00:00Z');

const minutesBefore = (date: Date, minutes: number) => new Date(date.getTime() - minutes * 60_000);

// ---- the system under test -----------------------------------------------------------------------------

class TestGateway implements Gateway {
  readonly id = 'test-gateway';
  readonly messagesPerSecond = undefined;
  readonly sent: OutgoingSms[] = [];
  async submit(message: OutgoingSms): Promise<SubmitResult> {
    this.sent.push(message);
    return { outcome: 'accepted', messageId: `m-${message.reference}` };
  }
}

/** What the use cases asked the scheduler to arm and disarm. */
interface SchedulerCalls {
  toursScheduled: Tour[];
  toursUnscheduled: string[];
  campaignsScheduled: Campaign[];
}

let now: Date;
let store: SqliteStores;
let queue: SqliteQueue;
let gateway: TestGateway;
let scheduler: SchedulerCalls;
let deps: DispatchDeps;
let van: Van;
/** The approved loudspeaker script every tour reads. */
let script: { id: string; name: string };

beforeEach(async () => {
  const dir = newTempFolder('loa-tours-');
  now = MONDAY_0900_LOCAL;
  const clock = { now: () => now };
  store = openSqliteStores(join(dir, 'loa.db'));
  queue = SqliteQueue.open(join(dir, 'queue.db'), clock);
  gateway = new TestGateway();
  scheduler = { toursScheduled: [], toursUnscheduled: [], campaignsScheduled: [] };
  deps = {
    ...storesIn(store),
    queue,
    clock,
    config: DEFAULT_CONFIG,
    pseudonymizer: TEST_PSEUDONYMIZER,
    scheduler: {
      campaignScheduled: async (campaign) => void scheduler.campaignsScheduled.push(campaign),
      campaignUnscheduled: async () => {},
      tourScheduled: async (tour) => void scheduler.toursScheduled.push(tour),
      tourUnscheduled: async (id) => void scheduler.toursUnscheduled.push(id),
    },
    gateways: new GatewayRouter([gateway], [{ carriers: ['*'], gateways: [gateway.id] }], DEFAULT_HEALTH_POLICY, clock, async () => {}),
  };

  await registerAreas(deps, operator, [
    { code: 'DN', name: 'Đồng Nai' },
    { code: COMMUNE, name: 'Xã Tân Lợi', parentCode: 'DN' },
    { code: BINH_MINH, name: 'Ấp Bình Minh', parentCode: COMMUNE },
    { code: DONG_TAM, name: 'Khu phố Đồng Tâm', parentCode: COMMUNE },
    { code: SCHOOL, name: 'Trường Tiểu học Hòa Bình', parentCode: COMMUNE, quiet: true },
  ]);
  van = await createVan(deps, operator, {
    plate: '60A-123.45',
    kind: 'van',
    crewLead: { name: 'Nguyễn Văn Hùng', phone: '0912 345 678' },
    homeCommune: COMMUNE,
  });
  van = await setVanCrew(deps, operator, van.id, [crew.id]);
  script = await approvedScript('Phòng chống sốt xuất huyết');
});

afterEach(() => {
  queue.close();
  store.close();
});

// ---- helpers -------------------------------------------------------------------------------------------

/** A loudspeaker script written by the planner and approved by a second person. */
async function approvedScript(name: string) {
  const template = await createTemplate(deps, planner, {
    name,
    channel: 'loudspeaker',
    body: 'Kính thưa bà con, hãy đậy kín dụng cụ chứa nước và diệt lăng quăng, bọ gậy quanh nhà. Xin cảm ơn.',
    placeholders: [],
    repetitionsPerStop: 2,
  });
  await submitTemplate(deps, planner, template.id);
  await approveTemplate(deps, approver, template.id, 1);
  return { id: template.id, name };
}

/** The default tour: Tuesday 07:00 local, Binh Minh 30 min then Dong Tam 20 min. */
function plan(overrides: Partial<NewTour> = {}): NewTour {
  return {
    name: 'Phòng chống sốt xuất huyết, Tân Lợi',
    vanId: van.id,
    scriptId: script.id,
    scriptVersion: 1,
    schedule: { expression: 'at(2026-12-01T07:00:00)' },
    stops: [
      { areaCode: BINH_MINH, minutes: 30 },
      { areaCode: DONG_TAM, minutes: 20 },
    ],
    priority: 'normal',
    ...overrides,
  };
}

async function approvedTour(overrides: Partial<NewTour> = {}): Promise<Tour> {
  const tour = await createTour(deps, planner, plan(overrides));
  const submitted = await submitTour(deps, planner, tour.id);
  return approveTour(deps, approver, tour.id, submitted.revision);
}

/** The error a promise rejects with, to look at more than its class. */
async function failure(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => expect.fail('expected the call to be refused'),
    (error: unknown) => error as Error,
  );
}

async function crewCampaigns(): Promise<Campaign[]> {
  return (await store.campaigns.listCampaigns({ limit: 100 })).items;
}

async function runsOf(tourId: string) {
  const runs = await store.tours.tourRunsBetween('2026-01-01T00:00:00Z', '2027-01-01T00:00:00Z');
  return runs.filter((run) => run.tourId === tourId);
}

// ---- the tests -----------------------------------------------------------------------------------------

describe('planning and approving a tour', () => {
  it('goes from draft to pending approval to approved, and arms the scheduler for the first start', async () => {
    const draft = await createTour(deps, planner, plan());
    expect(draft).toMatchObject({ status: 'draft', createdBy: planner.id, warnings: [], schedule: { timezone: 'Asia/Ho_Chi_Minh' } });

    await expect(approveTour(deps, approver, draft.id, draft.revision)).rejects.toThrow(ConflictError);
    expect((await getTour(deps, draft.id)).status).toBe('draft');

    const submitted = await submitTour(deps, planner, draft.id);
    expect(submitted.status).toBe('pending_approval');
    await expect(approveTour(deps, planner, draft.id, submitted.revision)).rejects.toThrow(ForbiddenError);
    expect(scheduler.toursScheduled).toEqual([]);

    const approved = await approveTour(deps, approver, draft.id, submitted.revision);
    expect(approved).toMatchObject({ status: 'approved', decidedBy: approver.id, nextFireAt: TUESDAY_0700_LOCAL.toISOString() });
    expect(await getTour(deps, draft.id)).toEqual(approved);
    expect(scheduler.toursScheduled).toHaveLength(1);
    expect(scheduler.toursScheduled[0]).toMatchObject({ id: draft.id, nextFireAt: TUESDAY_0700_LOCAL.toISOString() });
  });

  it('reads only a loudspeaker script that a second person approved', async () => {
    const unapproved = await createTemplate(deps, planner, {
      name: 'Chưa duyệt',
      channel: 'loudspeaker',
      body: 'Kính thưa bà con.',
      placeholders: [],
    });
    await submitTemplate(deps, planner, unapproved.id);
    const notYet = await failure(createTour(deps, planner, plan({ scriptId: unapproved.id })));
    expect(notYet).toBeInstanceOf(ValidationError);
    expect((notYet as ValidationError).problems.map((problem) => problem.field)).toEqual(['scriptVersion']);

    const sms = await createTemplate(deps, planner, { name: 'Tin nhắn', body: 'Thong bao', placeholders: [] });
    await submitTemplate(deps, planner, sms.id);
    await approveTemplate(deps, approver, sms.id, 1);
    const wrongChannel = await failure(createTour(deps, planner, plan({ scriptId: sms.id })));
    expect(wrongChannel).toBeInstanceOf(ValidationError);
    expect((wrongChannel as ValidationError).problems.map((problem) => problem.field)).toEqual(['scriptId']);
  });
});

describe('the rules, through the use cases', () => {
  it('refuses a second tour for the same van that overlaps an approved one, naming it', async () => {
    const first = await approvedTour();

    // 07:30 local, while the van is still in Binh Minh on the first tour.
    const error = await failure(
      createTour(deps, planner, plan({ name: 'Tiêm chủng', schedule: { expression: 'at(2026-12-01T07:30:00)' } })),
    );
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.message).toContain(`van ${van.plate} is on tour ${first.id}`);
    expect(error.message).toContain('2026-12-01 07:00-08:05 (Asia/Ho_Chi_Minh)');

    // Travel time respected: 08:20 local is free.
    await expect(createTour(deps, planner, plan({ schedule: { expression: 'at(2026-12-01T08:20:00)' } }))).resolves.toMatchObject({
      status: 'draft',
    });
  });

  it('names the field of a schedule it cannot read: the expression or the time zone', async () => {
    const badExpression = await failure(createTour(deps, planner, plan({ schedule: { expression: 'every friday' } })));
    expect((badExpression as ValidationError).problems.map((problem) => problem.field)).toEqual(['schedule.expression']);
    const badZone = await failure(
      createTour(deps, planner, plan({ schedule: { expression: 'cron(0 7 * * ? *)', timezone: 'Mars/Olympus' } })),
    );
    expect((badZone as ValidationError).problems.map((problem) => problem.field)).toEqual(['schedule.timezone']);
    expect((await store.tours.listTours({}, { limit: 10 })).items).toEqual([]);
  });

  it('refuses a normal tour at 21:30 local whose route runs into the quiet hours at 22:00', async () => {
    const error = await failure(createTour(deps, planner, plan({ schedule: { expression: 'at(2026-11-30T21:30:00)' } })));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.message).toContain('2026-11-30 21:30-22:35 (Asia/Ho_Chi_Minh) reaches into the night quiet hours 22:00-06:00');
    expect((error as ValidationError).problems.every((problem) => problem.field === 'schedule')).toBe(true);
    expect((await store.tours.listTours({}, { limit: 10 })).items).toEqual([]);
  });

  it('refuses even an emergency tour that runs into the quiet hours', async () => {
    const error = await failure(
      createTour(deps, planner, plan({ priority: 'emergency', schedule: { expression: 'at(2026-11-30T21:30:00)' } })),
    );
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.message).toMatch(/quiet hours 22:00-06:00: no broadcasting then, not even in an emergency/);
  });

  it('skips a quiet area in a normal tour with a warning that survives submit and approve', async () => {
    const stops = [
      { areaCode: BINH_MINH, minutes: 30 },
      { areaCode: SCHOOL, minutes: 10 },
      { areaCode: DONG_TAM, minutes: 20 },
    ];
    const warning = `area ${SCHOOL} (Trường Tiểu học Hòa Bình) is a quiet area (hospital or school): the tour passes it by`;
    const expectSkipped = (tour: Tour) => {
      expect(tour.stops.map((stop) => stop.areaCode)).toEqual([BINH_MINH, DONG_TAM]);
      expect(tour.warnings).toEqual([warning]);
    };

    const created = await createTour(deps, planner, plan({ stops }));
    expectSkipped(created);
    const submitted = await submitTour(deps, planner, created.id);
    expectSkipped(submitted);
    expectSkipped(await approveTour(deps, approver, created.id, submitted.revision));
    expectSkipped(await getTour(deps, created.id));
  });

  it('keeps a quiet area in an emergency tour', async () => {
    const stops = [
      { areaCode: BINH_MINH, minutes: 30 },
      { areaCode: SCHOOL, minutes: 10 },
    ];
    const tour = await approvedTour({ priority: 'emergency', stops });
    expect(tour.stops).toEqual(stops);
    expect(tour.warnings).toEqual([]);
  });
});

describe('dispatching a tour run to its crew', () => {
  it('sends the crew lead exactly one SMS per run, with the route in local time and the script, without diacritics', async () => {
    const approved = await approvedTour();
    now = TUESDAY_0700_LOCAL;

    const run = await dispatchTour(deps, approved.id);
    const runId = 'run_20261201T000000000Z';
    expect(run).toMatchObject({ tourId: approved.id, runId, status: 'dispatched', startsAt: TUESDAY_0700_LOCAL.toISOString() });
    // The same start fired again: nothing new.
    expect(await dispatchTour(deps, approved.id)).toBeUndefined();

    const campaigns = await crewCampaigns();
    expect(campaigns.map((campaign) => campaign.id)).toEqual([`cmp_${approved.id}_${runId}`]);
    expect(campaigns[0]).toMatchObject({ recipients: [CREW_LEAD_PHONE], priority: 'emergency', status: 'approved' });
    expect(scheduler.campaignsScheduled.map((campaign) => campaign.id)).toEqual([`cmp_${approved.id}_${runId}`]);
    expect(await runsOf(approved.id)).toEqual([run]);
    expect(await getTour(deps, approved.id)).toMatchObject({ status: 'dispatched', runCount: 1 });
    expect((await getTour(deps, approved.id)).nextFireAt).toBeUndefined();

    await sendEverythingDue(deps);
    await sendEverythingDue(deps);

    expect(gateway.sent).toHaveLength(1);
    const [sms] = gateway.sent;
    expect(sms!.to).toBe(CREW_LEAD_PHONE);
    expect(sms!.text).toBe(
      'Loa 60A-123.45, 2026-12-01: 07:00 Ap Binh Minh (30 ph); 07:45 Khu pho Dong Tam (20 ph). ' +
        `Bai: Phong chong sot xuat huyet (${script.id} v1). Xac nhan khi xong.`,
    );
    expect(sms!.text).toMatch(/^[\x20-\x7e]*$/);
    const receipts = (await store.receipts.listReceipts(`cmp_${approved.id}_${runId}`, {}, { limit: 10 })).items;
    expect(receipts).toEqual([expect.objectContaining({ phone: CREW_LEAD_PHONE, status: 'submitted' })]);
  });

  it('re-arms a recurring tour for its next start, and each start is its own run and SMS', async () => {
    const approved = await approvedTour({ schedule: { expression: 'cron(0 7 * * ? *)' } });
    expect(approved.nextFireAt).toBe(TUESDAY_0700_LOCAL.toISOString());

    now = TUESDAY_0700_LOCAL;
    await dispatchTour(deps, approved.id);
    const afterFirst = await getTour(deps, approved.id);
    expect(afterFirst).toMatchObject({ status: 'approved', nextFireAt: WEDNESDAY_0700_LOCAL.toISOString(), runCount: 1 });
    expect(scheduler.toursScheduled.at(-1)).toMatchObject({ id: approved.id, nextFireAt: WEDNESDAY_0700_LOCAL.toISOString() });
    await sendEverythingDue(deps);

    // A fire delivered again for Tuesday, once Tuesday's run went out, starts nothing.
    expect(await dispatchTour(deps, approved.id)).toBeUndefined();

    now = WEDNESDAY_0700_LOCAL;
    await dispatchTour(deps, approved.id);
    await sendEverythingDue(deps);

    expect((await runsOf(approved.id)).map((run) => run.startsAt)).toEqual([
      TUESDAY_0700_LOCAL.toISOString(),
      WEDNESDAY_0700_LOCAL.toISOString(),
    ]);
    expect((await crewCampaigns()).map((campaign) => campaign.id).sort()).toEqual([
      `cmp_${approved.id}_run_20261201T000000000Z`,
      `cmp_${approved.id}_run_20261202T000000000Z`,
    ]);
    expect(gateway.sent.map((sms) => sms.to)).toEqual([CREW_LEAD_PHONE, CREW_LEAD_PHONE]);
    expect(gateway.sent[1]!.text).toContain('2026-12-02: 07:00 Ap Binh Minh');
    expect(await getTour(deps, approved.id)).toMatchObject({ status: 'approved', runCount: 2, nextFireAt: '2026-12-03T00:00:00.000Z' });
  });

  it('after an outage, dispatches the overdue start once and re-arms the next start still to come', async () => {
    const approved = await approvedTour({ schedule: { expression: 'cron(0 7 * * ? *)' } });
    // Nothing ran from Tuesday 07:00 until Thursday 09:00 local.
    now = new Date('2026-12-03T02:00:00Z');
    for (let round = 0; round < 3; round++) {
      for (const due of await store.tours.toursDue(now.toISOString(), 10)) await dispatchTour(deps, due.id);
    }
    expect((await runsOf(approved.id)).map((run) => run.startsAt)).toEqual([TUESDAY_0700_LOCAL.toISOString()]);
    expect(await getTour(deps, approved.id)).toMatchObject({ status: 'approved', nextFireAt: '2026-12-04T00:00:00.000Z' });
  });

  it('does not dispatch a start before it is due', async () => {
    const approved = await approvedTour();
    now = minutesBefore(TUESDAY_0700_LOCAL, 5);
    expect(await dispatchTour(deps, approved.id)).toBeUndefined();
    expect(await crewCampaigns()).toEqual([]);
    expect(await runsOf(approved.id)).toEqual([]);
  });
});

describe('confirming a run, or missing it', () => {
  async function dispatchedTour(): Promise<Tour> {
    const approved = await approvedTour();
    now = TUESDAY_0700_LOCAL;
    await dispatchTour(deps, approved.id);
    return getTour(deps, approved.id);
  }

  it('marks an unconfirmed run missed at confirmBy, not a minute before', async () => {
    const tour = await dispatchedTour();
    const [run] = await runsOf(tour.id);
    expect(run!.endsAt).toBe(TUESDAY_0805_LOCAL.toISOString());
    expect(run!.confirmBy).toBe(TUESDAY_1005_LOCAL.toISOString());

    now = minutesBefore(TUESDAY_1005_LOCAL, 1);
    expect(await markMissedTourRuns(deps)).toBe(0);
    expect((await runsOf(tour.id))[0]!.status).toBe('dispatched');
    expect((await getTour(deps, tour.id)).status).toBe('dispatched');

    now = TUESDAY_1005_LOCAL;
    expect(await markMissedTourRuns(deps)).toBe(1);
    expect((await runsOf(tour.id))[0]!.status).toBe('missed');
    expect((await getTour(deps, tour.id)).status).toBe('missed');
    expect(await markMissedTourRuns(deps)).toBe(0);
  });

  it('completes a run and its tour when the crew confirms every stop in time', async () => {
    const tour = await dispatchedTour();
    now = new Date(TUESDAY_0805_LOCAL.getTime() + 10 * 60_000);

    const run = await confirmTour(deps, crew, tour.id, {});
    expect(run.status).toBe('completed');
    expect(run.confirmed).toEqual([
      { areaCode: BINH_MINH, at: now.toISOString(), by: crew.id },
      { areaCode: DONG_TAM, at: now.toISOString(), by: crew.id },
    ]);
    expect((await getTour(deps, tour.id)).status).toBe('completed');

    now = TUESDAY_1005_LOCAL;
    expect(await markMissedTourRuns(deps)).toBe(0);
    expect((await getTour(deps, tour.id)).status).toBe('completed');
  });

  it('keeps a partly confirmed run dispatched with its note, and refuses an area not in the run', async () => {
    const tour = await dispatchedTour();
    now = new Date('2026-12-01T00:35:00Z');

    const partial = await confirmTour(deps, crew, tour.id, { areas: [BINH_MINH], note: 'Mất điện ở Bình Minh, đọc bằng loa tay' });
    expect(partial.status).toBe('dispatched');
    expect(partial.confirmed.map((stop) => stop.areaCode)).toEqual([BINH_MINH]);
    expect(partial.notes).toEqual([{ at: now.toISOString(), by: crew.id, text: 'Mất điện ở Bình Minh, đọc bằng loa tay' }]);
    expect((await getTour(deps, tour.id)).status).toBe('dispatched');

    const error = await failure(confirmTour(deps, crew, tour.id, { areas: [SCHOOL] }));
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).problems).toEqual([
      { field: 'areas.0', message: expect.stringContaining(`${SCHOOL} is not a stop`) },
    ]);

    now = TUESDAY_0805_LOCAL;
    const done = await confirmTour(deps, crew, tour.id, { areas: [DONG_TAM] });
    expect(done.status).toBe('completed');
    expect(done.notes).toHaveLength(1);
    expect((await runsOf(tour.id))[0]).toEqual(done);
    expect((await getTour(deps, tour.id)).status).toBe('completed');
  });

  it('marks a partly confirmed run missed too, keeping what was confirmed', async () => {
    const tour = await dispatchedTour();
    await confirmTour(deps, crew, tour.id, { areas: [BINH_MINH] });
    now = TUESDAY_1005_LOCAL;
    expect(await markMissedTourRuns(deps)).toBe(1);
    const [run] = await runsOf(tour.id);
    expect(run).toMatchObject({ status: 'missed', confirmed: [expect.objectContaining({ areaCode: BINH_MINH })] });
    expect((await getTour(deps, tour.id)).status).toBe('missed');
  });
});

describe('cancelling a tour', () => {
  it('unschedules it, and its start then dispatches nobody', async () => {
    const approved = await approvedTour();
    const cancelled = await cancelTour(deps, operator, approved.id);
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.nextFireAt).toBeUndefined();
    expect(scheduler.toursUnscheduled).toEqual([approved.id]);

    now = TUESDAY_0700_LOCAL;
    expect(await store.tours.toursDue(now.toISOString(), 10)).toEqual([]);
    expect(await dispatchTour(deps, approved.id)).toBeUndefined();
    await sendEverythingDue(deps);
    expect(await crewCampaigns()).toEqual([]);
    expect(await runsOf(approved.id)).toEqual([]);
    expect(gateway.sent).toEqual([]);
  });

  it('calls off the run under way: it is cancelled, never missed', async () => {
    const approved = await approvedTour();
    now = TUESDAY_0700_LOCAL;
    await dispatchTour(deps, approved.id);
    await cancelTour(deps, operator, approved.id);
    expect((await runsOf(approved.id)).map((run) => run.status)).toEqual(['cancelled']);

    now = TUESDAY_1005_LOCAL;
    expect(await markMissedTourRuns(deps)).toBe(0);
    expect((await getTour(deps, approved.id)).status).toBe('cancelled');
    await expect(confirmTour(deps, crew, approved.id, {})).rejects.toThrow(/was cancelled/);
  });

  it('frees the van for another tour at the same time', async () => {
    const approved = await approvedTour();
    await cancelTour(deps, operator, approved.id);
    await expect(approvedTour({ name: 'Thay thế' })).resolves.toMatchObject({ status: 'approved' });
  });
});

describe('vans', () => {
  it('stores the crew lead phone in E.164', () => {
    expect(van).toMatchObject({ crewLead: { name: 'Nguyễn Văn Hùng', phone: CREW_LEAD_PHONE }, homeCommune: COMMUNE, status: 'active' });
  });

  it('refuses an invalid crew lead phone and an unknown home commune', async () => {
    const badPhone = await failure(
      createVan(deps, operator, {
        plate: '60B-555.55',
        kind: 'motorbike',
        crewLead: { name: 'Trần Thị Mai', phone: '12345' },
        homeCommune: COMMUNE,
      }),
    );
    expect(badPhone).toBeInstanceOf(ValidationError);
    expect((badPhone as ValidationError).problems.map((problem) => problem.field)).toEqual(['crewLead.phone']);

    const badCommune = await failure(
      createVan(deps, operator, {
        plate: '60B-555.55',
        kind: 'motorbike',
        crewLead: { name: 'Trần Thị Mai', phone: '0987654321' },
        homeCommune: '99999',
      }),
    );
    expect(badCommune).toBeInstanceOf(ValidationError);
    expect((badCommune as ValidationError).problems).toEqual([{ field: 'homeCommune', message: 'unknown area 99999' }]);
    expect((await store.tours.listVans({ limit: 10 })).items.map((stored) => stored.id)).toEqual([van.id]);
  });

  it('gets no new tours while in maintenance, and gets them again once back', async () => {
    const inMaintenance = await setVanStatus(deps, operator, van.id, 'maintenance');
    expect(inMaintenance).toMatchObject({ status: 'maintenance', warnings: [] });

    const error = await failure(createTour(deps, planner, plan()));
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.message).toContain('60A-123.45 is in maintenance');

    await setVanStatus(deps, operator, van.id, 'active');
    await expect(createTour(deps, planner, plan())).resolves.toMatchObject({ status: 'draft' });
  });

  it('names the tours it still has when it goes into maintenance', async () => {
    const draft = await createTour(deps, planner, plan({ name: 'Chưa nộp' }));
    const approved = await approvedTour();

    const inMaintenance = await setVanStatus(deps, operator, van.id, 'maintenance');

    expect(inMaintenance.warnings).toEqual([`Tour ${approved.id} (${approved.name}) is still approved, next start ${approved.nextFireAt}`]);
    expect(inMaintenance.warnings.join()).not.toContain(draft.id);
    expect((await setVanStatus(deps, operator, van.id, 'maintenance')).warnings).toHaveLength(1);
    expect((await setVanStatus(deps, operator, van.id, 'active')).warnings).toEqual([]);
  });
});
