import {
  ConflictException,
  CreateScheduleCommand,
  DeleteScheduleCommand,
  ResourceNotFoundException,
  SchedulerClient,
  UpdateScheduleCommand,
} from '@aws-sdk/client-scheduler';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { SchedulerConfigError } from '../../../lambdas/adapters/scheduler/errors.js';
import {
  DEFAULT_SCHEDULE_RETRY,
  EventBridgeScheduler,
  type EventBridgeSchedulerConfig,
} from '../../../lambdas/adapters/scheduler/eventbridge-scheduler.js';
import { firstFire } from '../../../lambdas/core/campaigns/campaign-use-cases.js';
import { ValidationError } from '../../../lambdas/core/errors.js';
import type { Campaign } from '../../../lambdas/core/model.js';
import type { Tour } from '../../../lambdas/core/tours/tour-model.js';
import { nextTourStart } from '../../../lambdas/core/tours/tour-rules.js';
import { aCampaign, at, uniqueId } from '../../factories.js';
import { anAwsError } from '../aws-errors.js';

const scheduler = mockClient(SchedulerClient);
afterAll(() => scheduler.restore());
beforeEach(() => scheduler.reset());

const GROUP = 'loa-dev';
const TARGET_ARN = 'arn:aws:lambda:ap-southeast-1:123456789012:function:loa-dev-schedule-target';
const ROLE_ARN = 'arn:aws:iam::123456789012:role/loa-dev-scheduler';
const DLQ_ARN = 'arn:aws:sqs:ap-southeast-1:123456789012:loa-dev-schedule-dlq';
const APPROVED_AT = '2026-03-02T01:00:00.000Z';

function newScheduler(overrides: Partial<EventBridgeSchedulerConfig> & { now?: string } = {}) {
  const launched: string[] = [];
  const { now = APPROVED_AT, ...config } = overrides;
  const adapter = new EventBridgeScheduler(new SchedulerClient({ region: 'ap-southeast-1' }), {
    groupName: GROUP,
    targetArn: TARGET_ARN,
    roleArn: ROLE_ARN,
    deadLetterArn: DLQ_ARN,
    retry: { maximumRetryAttempts: 5, maximumEventAgeInSeconds: 900 },
    launchNow: async (campaignId) => {
      launched.push(campaignId);
    },
    clock: { now: () => new Date(now) },
    ...config,
  });
  return { adapter, launched };
}

/** A campaign just approved with this schedule, as approveCampaign leaves it. */
function aScheduledCampaign(expression: string, timezone = 'Asia/Ho_Chi_Minh', overrides: Partial<Campaign> = {}): Campaign {
  const schedule = { expression, timezone };
  const approvedAt = new Date(APPROVED_AT);
  return aCampaign({
    schedule,
    status: 'scheduled',
    decidedBy: 'approver-1',
    decidedAt: APPROVED_AT,
    nextFireAt: firstFire(schedule, approvedAt, approvedAt)?.toISOString(),
    ...overrides,
  });
}

/** A loudspeaker tour just approved with this schedule, as approveTour leaves it. */
function aScheduledTour(expression: string, timezone = 'Asia/Ho_Chi_Minh', overrides: Partial<Tour> = {}): Tour {
  const tour: Tour = {
    id: uniqueId('tour'),
    name: 'Phong chong sot xuat huyet, Tan Loi',
    vanId: uniqueId('van'),
    scriptId: uniqueId('tpl'),
    scriptVersion: 1,
    schedule: { expression, timezone },
    stops: [
      { areaCode: 'AP-BM', minutes: 30 },
      { areaCode: 'KP-DT', minutes: 20 },
    ],
    priority: 'normal',
    status: 'approved',
    warnings: [],
    createdBy: 'author-1',
    createdAt: at(-3_600),
    decidedBy: 'approver-1',
    decidedAt: APPROVED_AT,
    runCount: 0,
    revision: 3,
  };
  return { ...tour, nextFireAt: nextTourStart(tour, new Date(APPROVED_AT))?.toISOString(), ...overrides };
}

/**
 * The whole schedule definition expected for a campaign (input `{"campaignId"}`) or a tour (input
 * `{"tourId"}`), with the kind-specific fields given.
 */
function expectedSchedule(scheduled: Campaign | Tour, fields: { ActionAfterCompletion: 'DELETE' | 'NONE'; StartDate?: Date }) {
  return {
    Name: scheduled.id,
    GroupName: GROUP,
    ScheduleExpression: scheduled.schedule?.expression,
    ScheduleExpressionTimezone: scheduled.schedule?.timezone,
    ...(fields.StartDate && { StartDate: fields.StartDate }),
    FlexibleTimeWindow: { Mode: 'OFF' },
    State: 'ENABLED',
    ActionAfterCompletion: fields.ActionAfterCompletion,
    Target: {
      Arn: TARGET_ARN,
      RoleArn: ROLE_ARN,
      Input: JSON.stringify('vanId' in scheduled ? { tourId: scheduled.id } : { campaignId: scheduled.id }),
      RetryPolicy: { MaximumRetryAttempts: 5, MaximumEventAgeInSeconds: 900 },
      DeadLetterConfig: { Arn: DLQ_ARN },
    },
  };
}

function createInputs() {
  return scheduler.commandCalls(CreateScheduleCommand).map((call) => call.args[0].input);
}

describe('EventBridgeScheduler.campaignScheduled', () => {
  it('creates a recurring cron schedule named after the campaign, in its time zone, kept after it fires', async () => {
    scheduler.on(CreateScheduleCommand).resolves({ ScheduleArn: 'arn:aws:scheduler:...:schedule/loa-dev/x' });
    const campaign = aScheduledCampaign('cron(0 14 ? * FRI *)');
    const { adapter, launched } = newScheduler();

    await adapter.campaignScheduled(campaign);

    expect(createInputs()).toEqual([expectedSchedule(campaign, { ActionAfterCompletion: 'NONE' })]);
    expect(launched).toEqual([]);
  });

  it('creates a one-time at() schedule that deletes itself after it fires', async () => {
    scheduler.on(CreateScheduleCommand).resolves({ ScheduleArn: 'arn' });
    const campaign = aScheduledCampaign('at(2026-03-06T14:00:00)');
    const { adapter } = newScheduler();

    await adapter.campaignScheduled(campaign);

    expect(createInputs()).toEqual([expectedSchedule(campaign, { ActionAfterCompletion: 'DELETE' })]);
  });

  it('starts a rate() schedule at the approval, so that its fires are those the core computes', async () => {
    scheduler.on(CreateScheduleCommand).resolves({ ScheduleArn: 'arn' });
    const campaign = aScheduledCampaign('rate(6 hours)', 'UTC');
    const { adapter } = newScheduler({ now: '2026-03-02T01:00:00.250Z' });

    await adapter.campaignScheduled(campaign);

    expect(campaign.nextFireAt).toBe(APPROVED_AT);
    expect(createInputs()).toEqual([expectedSchedule(campaign, { ActionAfterCompletion: 'NONE', StartDate: new Date(APPROVED_AT) })]);
  });

  it('starts a rate() schedule re-armed days after its approval at its next fire, on the same grid', async () => {
    scheduler.on(CreateScheduleCommand).resolves({ ScheduleArn: 'arn' });
    // Resumed on 5 March at 09:30: the core moved the next fire to 13:00, six-hourly from 01:00 on 2 March.
    const campaign = aScheduledCampaign('rate(6 hours)', 'UTC', { nextFireAt: '2026-03-05T13:00:00.000Z' });
    const { adapter } = newScheduler({ now: '2026-03-05T09:30:00.000Z' });

    await adapter.campaignScheduled(campaign);

    expect(createInputs()[0]?.StartDate).toEqual(new Date('2026-03-05T13:00:00.000Z'));
  });

  it('computes the next fire on the approval grid when both the approval and nextFireAt are too old for EventBridge', async () => {
    scheduler.on(CreateScheduleCommand).resolves({ ScheduleArn: 'arn' });
    const campaign = aScheduledCampaign('rate(6 hours)', 'UTC', { nextFireAt: '2026-03-05T07:00:00.000Z' });
    const { adapter } = newScheduler({ now: '2026-03-05T09:30:00.000Z' });

    await adapter.campaignScheduled(campaign);

    expect(createInputs()[0]?.StartDate).toEqual(new Date('2026-03-05T13:00:00.000Z'));
  });

  it('replaces the schedule with UpdateSchedule when it exists already (a resume)', async () => {
    scheduler.on(CreateScheduleCommand).rejects(
      new ConflictException({
        message: 'Schedule cmp_x already exists.',
        Message: 'Schedule cmp_x already exists.',
        $metadata: { httpStatusCode: 409 },
      }),
    );
    scheduler.on(UpdateScheduleCommand).resolves({ ScheduleArn: 'arn' });
    const campaign = aScheduledCampaign('cron(30 6 * * ? *)');
    const { adapter } = newScheduler();

    await adapter.campaignScheduled(campaign);

    const expected = expectedSchedule(campaign, { ActionAfterCompletion: 'NONE' });
    expect(createInputs()).toEqual([expected]);
    expect(scheduler.commandCalls(UpdateScheduleCommand).map((call) => call.args[0].input)).toEqual([expected]);
  });

  it.each([
    ['a cron with both days given', 'cron(0 14 1 * FRI *)', 'Asia/Ho_Chi_Minh', /day-of-month and day-of-week cannot both be specified/],
    ['a five-field cron', 'cron(0 14 * * ?)', 'Asia/Ho_Chi_Minh', /cron needs 6 fields/],
    ['a plural rate of 1', 'rate(1 hours)', 'Asia/Ho_Chi_Minh', /singular/],
    ['an unknown time zone', 'cron(0 14 ? * FRI *)', 'Asia/Saigon_City', /unknown time zone/],
  ])('refuses %s with a ValidationError and never calls AWS', async (_, expression, timezone, message) => {
    const { adapter, launched } = newScheduler();

    const error = await adapter
      .campaignScheduled(aScheduledCampaign('cron(0 14 ? * FRI *)', 'UTC', { schedule: { expression, timezone } }))
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ValidationError);
    expect((error as Error).message).toMatch(message);
    expect(scheduler.calls()).toHaveLength(0);
    expect(launched).toEqual([]);
  });

  it('launches a campaign without a schedule at once, through launchNow, making no schedule', async () => {
    const campaign = aCampaign({ status: 'approved', decidedAt: APPROVED_AT, nextFireAt: APPROVED_AT });
    const { adapter, launched } = newScheduler();

    await adapter.campaignScheduled(campaign);

    expect(launched).toEqual([campaign.id]);
    expect(scheduler.calls()).toHaveLength(0);
  });

  it('rejects when launchNow fails, so the API reports it', async () => {
    const failure = new Error('fan-out queue unavailable');
    const { adapter } = newScheduler({ launchNow: vi.fn().mockRejectedValue(failure) });

    await expect(adapter.campaignScheduled(aCampaign({ status: 'approved' }))).rejects.toBe(failure);
  });

  it.each([
    ['throttled (after the SDK retries)', anAwsError('ThrottlingException', 'Rate exceeded', 429)],
    ['refused', anAwsError('ValidationException', 'Invalid RoleArn', 400)],
    ['over the quota of schedules', anAwsError('ServiceQuotaExceededException', 'Quota exceeded', 402)],
    ['failing inside AWS', anAwsError('InternalServerException', 'Internal error', 500)],
  ])('rejects with the error when CreateSchedule is %s, and does not try UpdateSchedule', async (_, error) => {
    scheduler.on(CreateScheduleCommand).rejects(error);
    const { adapter } = newScheduler();

    await expect(adapter.campaignScheduled(aScheduledCampaign('cron(0 14 ? * FRI *)'))).rejects.toBe(error);
    expect(scheduler.commandCalls(UpdateScheduleCommand)).toHaveLength(0);
  });
});

describe('EventBridgeScheduler.campaignUnscheduled', () => {
  it('deletes the campaign schedule from the group', async () => {
    scheduler.on(DeleteScheduleCommand).resolves({});
    const { adapter } = newScheduler();

    await adapter.campaignUnscheduled('cmp_0m7x2k9ab12cd34ef56');

    expect(scheduler.commandCalls(DeleteScheduleCommand).map((call) => call.args[0].input)).toEqual([
      { Name: 'cmp_0m7x2k9ab12cd34ef56', GroupName: GROUP },
    ]);
  });

  it('does nothing when there is no schedule (a one-time schedule gone after firing, a campaign sent now)', async () => {
    scheduler.on(DeleteScheduleCommand).rejects(
      new ResourceNotFoundException({
        message: 'Schedule cmp_x does not exist.',
        Message: 'Schedule cmp_x does not exist.',
        $metadata: { httpStatusCode: 404 },
      }),
    );
    const { adapter } = newScheduler();

    await expect(adapter.campaignUnscheduled('cmp_x')).resolves.toBeUndefined();
  });

  it('rejects with any other error, such as throttling', async () => {
    const error = anAwsError('ThrottlingException', 'Rate exceeded', 429);
    scheduler.on(DeleteScheduleCommand).rejects(error);
    const { adapter } = newScheduler();

    await expect(adapter.campaignUnscheduled('cmp_x')).rejects.toBe(error);
  });
});

describe('EventBridgeScheduler.tourScheduled', () => {
  it('creates a cron schedule named after the tour, firing the schedule target with {"tourId"}, kept after it fires', async () => {
    scheduler.on(CreateScheduleCommand).resolves({ ScheduleArn: 'arn:aws:scheduler:...:schedule/loa-dev/x' });
    const tour = aScheduledTour('cron(0 7 ? * TUE *)');
    const { adapter, launched } = newScheduler();

    await adapter.tourScheduled(tour);

    expect(createInputs()).toEqual([expectedSchedule(tour, { ActionAfterCompletion: 'NONE' })]);
    expect(createInputs()[0]?.Target?.Input).toBe(`{"tourId":"${tour.id}"}`);
    expect(launched).toEqual([]);
  });

  it('creates a one-time at() schedule in the tour’s time zone that deletes itself after it fires', async () => {
    scheduler.on(CreateScheduleCommand).resolves({ ScheduleArn: 'arn' });
    const tour = aScheduledTour('at(2026-03-03T07:00:00)');
    const { adapter } = newScheduler();

    await adapter.tourScheduled(tour);

    expect(tour.nextFireAt).toBe('2026-03-03T00:00:00.000Z');
    expect(createInputs()).toEqual([expectedSchedule(tour, { ActionAfterCompletion: 'DELETE' })]);
  });

  it('starts a rate() schedule at the approval, where the core puts the tour’s first start', async () => {
    scheduler.on(CreateScheduleCommand).resolves({ ScheduleArn: 'arn' });
    const tour = aScheduledTour('rate(2 days)', 'UTC');
    const { adapter } = newScheduler({ now: '2026-03-02T01:00:00.250Z' });

    await adapter.tourScheduled(tour);

    expect(tour.nextFireAt).toBe(APPROVED_AT);
    expect(createInputs()).toEqual([expectedSchedule(tour, { ActionAfterCompletion: 'NONE', StartDate: new Date(APPROVED_AT) })]);
  });

  it('replaces the schedule with UpdateSchedule when it exists already (re-armed after a start)', async () => {
    scheduler.on(CreateScheduleCommand).rejects(
      new ConflictException({
        message: 'Schedule tour_x already exists.',
        Message: 'Schedule tour_x already exists.',
        $metadata: { httpStatusCode: 409 },
      }),
    );
    scheduler.on(UpdateScheduleCommand).resolves({ ScheduleArn: 'arn' });
    // Dispatched on Tuesday 3 March at 07:00 local: the next start is a week later.
    const tour = aScheduledTour('cron(0 7 ? * TUE *)', 'Asia/Ho_Chi_Minh', {
      nextFireAt: '2026-03-10T00:00:00.000Z',
      runCount: 1,
      revision: 4,
    });
    const { adapter } = newScheduler({ now: '2026-03-03T00:00:05.000Z' });

    await adapter.tourScheduled(tour);

    const expected = expectedSchedule(tour, { ActionAfterCompletion: 'NONE' });
    expect(createInputs()).toEqual([expected]);
    expect(scheduler.commandCalls(UpdateScheduleCommand).map((call) => call.args[0].input)).toEqual([expected]);
  });

  it('rejects with the error when CreateSchedule fails otherwise, and does not try UpdateSchedule', async () => {
    const error = anAwsError('ThrottlingException', 'Rate exceeded', 429);
    scheduler.on(CreateScheduleCommand).rejects(error);
    const { adapter } = newScheduler();

    await expect(adapter.tourScheduled(aScheduledTour('cron(0 7 ? * TUE *)'))).rejects.toBe(error);
    expect(scheduler.commandCalls(UpdateScheduleCommand)).toHaveLength(0);
  });

  it('refuses, before calling AWS, an expression EventBridge would refuse and a tour id unfit to name a schedule', async () => {
    const { adapter, launched } = newScheduler();

    await expect(
      adapter.tourScheduled(aScheduledTour('cron(0 7 ? * TUE *)', 'UTC', { schedule: { expression: 'cron(0 7 * * ?)', timezone: 'UTC' } })),
    ).rejects.toThrow(ValidationError);
    await expect(adapter.tourScheduled(aScheduledTour('cron(0 7 ? * TUE *)', 'UTC', { id: 'tour:x' }))).rejects.toThrow(
      SchedulerConfigError,
    );
    expect(scheduler.calls()).toHaveLength(0);
    expect(launched).toEqual([]);
  });
});

describe('EventBridgeScheduler.tourUnscheduled', () => {
  it('deletes the tour schedule from the group', async () => {
    scheduler.on(DeleteScheduleCommand).resolves({});
    const { adapter } = newScheduler();

    await adapter.tourUnscheduled('tour_0m7x2k9ab12cd34ef56');

    expect(scheduler.commandCalls(DeleteScheduleCommand).map((call) => call.args[0].input)).toEqual([
      { Name: 'tour_0m7x2k9ab12cd34ef56', GroupName: GROUP },
    ]);
  });

  it('does nothing when there is no schedule (a one-time tour whose schedule went after firing)', async () => {
    scheduler.on(DeleteScheduleCommand).rejects(
      new ResourceNotFoundException({
        message: 'Schedule tour_x does not exist.',
        Message: 'Schedule tour_x does not exist.',
        $metadata: { httpStatusCode: 404 },
      }),
    );
    const { adapter } = newScheduler();

    await expect(adapter.tourUnscheduled('tour_x')).resolves.toBeUndefined();
  });

  it('rejects with any other error, such as throttling', async () => {
    const error = anAwsError('ThrottlingException', 'Rate exceeded', 429);
    scheduler.on(DeleteScheduleCommand).rejects(error);
    const { adapter } = newScheduler();

    await expect(adapter.tourUnscheduled('tour_x')).rejects.toBe(error);
  });
});

describe('EventBridgeScheduler configuration', () => {
  it('uses retries over one hour when none are given', async () => {
    scheduler.on(CreateScheduleCommand).resolves({ ScheduleArn: 'arn' });
    const { adapter } = newScheduler({ retry: undefined });

    await adapter.campaignScheduled(aScheduledCampaign('cron(0 14 ? * FRI *)'));

    expect(DEFAULT_SCHEDULE_RETRY).toEqual({ maximumRetryAttempts: 10, maximumEventAgeInSeconds: 3_600 });
    expect(createInputs()[0]?.Target?.RetryPolicy).toEqual({ MaximumRetryAttempts: 10, MaximumEventAgeInSeconds: 3_600 });
  });

  it.each([
    [{ maximumRetryAttempts: 186, maximumEventAgeInSeconds: 3_600 }, /maximumRetryAttempts/],
    [{ maximumRetryAttempts: -1, maximumEventAgeInSeconds: 3_600 }, /maximumRetryAttempts/],
    [{ maximumRetryAttempts: 3, maximumEventAgeInSeconds: 59 }, /maximumEventAgeInSeconds/],
    [{ maximumRetryAttempts: 3, maximumEventAgeInSeconds: 86_401 }, /maximumEventAgeInSeconds/],
  ])('refuses a retry policy EventBridge would refuse: %o', (retry, message) => {
    expect(() => newScheduler({ retry })).toThrow(SchedulerConfigError);
    expect(() => newScheduler({ retry })).toThrow(message);
  });

  it('refuses a campaign id that cannot name a schedule, before calling AWS', async () => {
    const { adapter } = newScheduler();

    await expect(adapter.campaignScheduled(aScheduledCampaign('cron(0 14 ? * FRI *)', 'UTC', { id: 'cmp:x' }))).rejects.toThrow(
      SchedulerConfigError,
    );
    expect(scheduler.calls()).toHaveLength(0);
  });
});
