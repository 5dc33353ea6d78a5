/**
 * The Scheduler port on Amazon EventBridge Scheduler: one schedule per scheduled campaign, named after the
 * campaign, in Loa's schedule group, invoking the schedule-target Lambda with `{"campaignId": "..."}`.
 *
 * - The expression is checked by the core's parser first (lambdas/core/schedules/schedule-expression.ts),
 *   so an expression EventBridge would refuse never reaches AWS: the use case gets a ValidationError.
 * - CreateSchedule, or UpdateSchedule when the schedule already exists (ConflictException): resuming a
 *   paused campaign, or a second approval after an API retry, re-arms the same schedule. UpdateSchedule
 *   replaces every field, so both calls send the same complete definition.
 * - `at()` schedules are one-time: ActionAfterCompletion DELETE removes them once fired. `rate()` and
 *   `cron()` schedules stay (NONE) until the campaign is cancelled.
 * - `rate()` schedules get a StartDate, their first fire, so that EventBridge's fires fall where the core
 *   computes them: every period from the approval time (`decidedAt`). EventBridge refuses a StartDate more
 *   than 5 minutes in the past, so when the approval is older than that (a resume days later) the
 *   StartDate is the next fire on the same grid instead (`nextFireAt`, or the core's first fire from now).
 *   `cron()` and `at()` fire on the wall clock of their time zone and need no StartDate.
 * - A campaign without a schedule is sent now: no schedule is made; `launchNow` (given by the handlers,
 *   which send a launch message to the fan-out queue) starts it at once.
 * - Pausing and resuming act on the campaign, not on the schedule: a schedule firing for a paused
 *   campaign finds nothing to launch (the core's launchRun refuses it).
 * - Loudspeaker tours get schedules the same way, named after the tour, with `{"tourId": "..."}`.
 */
import {
  CreateScheduleCommand,
  DeleteScheduleCommand,
  UpdateScheduleCommand,
  type CreateScheduleCommandInput,
  type SchedulerClient,
} from '@aws-sdk/client-scheduler';
import type { Campaign } from '../../core/model.js';
import type { Clock, Scheduler } from '../../core/ports.js';
import type { Tour } from '../../core/tours/tour-model.js';
import { fireTimes, parseSchedule, type Schedule } from '../../core/schedules/schedule-expression.js';
import { awsErrorName } from '../aws-sdk-errors.js';
import { SchedulerConfigError } from './errors.js';

export type LaunchNow = (campaignId: string) => Promise<void>;

export interface ScheduleRetryPolicy {
  /** 0-185 (EventBridge's default is 185). */
  maximumRetryAttempts: number;
  /** 60-86,400 seconds: a fire not delivered by then goes to the dead-letter queue. */
  maximumEventAgeInSeconds: number;
}

export interface EventBridgeSchedulerConfig {
  /** The schedule group Loa's schedules live in. */
  groupName: string;
  /** ARN of the schedule-target Lambda function. */
  targetArn: string;
  /** ARN of the role EventBridge Scheduler assumes to invoke the target (lambda:InvokeFunction). */
  roleArn: string;
  /** ARN of the standard SQS queue receiving fires that could not be delivered. */
  deadLetterArn: string;
  /** Starts a campaign that has no schedule (send now). */
  launchNow: LaunchNow;
  /** Defaults to DEFAULT_SCHEDULE_RETRY. */
  retry?: ScheduleRetryPolicy;
  /** For the StartDate of rate schedules; defaults to the system clock. */
  clock?: Clock;
}

/**
 * Retries over at most one hour: a fire that cannot reach the target in an hour is better looked at
 * (dead-letter queue, alarm) than delivered a day late.
 */
export const DEFAULT_SCHEDULE_RETRY: ScheduleRetryPolicy = { maximumRetryAttempts: 10, maximumEventAgeInSeconds: 3_600 };

/** EventBridge refuses a StartDate more than 5 minutes in the past; keep a minute's margin. */
const START_DATE_MAX_AGE_MS = 4 * 60_000;
const SCHEDULE_NAME = /^[0-9a-zA-Z-_.]{1,64}$/;
const systemClock: Clock = { now: () => new Date() };

/** What the schedule hands the schedule-target Lambda as its event: a campaign's fire or a tour's start. */
export type ScheduleTargetInput = { campaignId: string } | { tourId: string };

/** What a schedule is made from: a campaign or a tour, both approved with a schedule. */
interface Scheduled {
  id: string;
  schedule: { expression: string; timezone: string };
  decidedAt?: string;
  nextFireAt?: string;
}

export class EventBridgeScheduler implements Scheduler {
  private readonly retry: ScheduleRetryPolicy;
  private readonly clock: Clock;

  constructor(
    readonly client: SchedulerClient,
    private readonly config: EventBridgeSchedulerConfig,
  ) {
    if (!SCHEDULE_NAME.test(config.groupName)) throw new SchedulerConfigError(`Invalid schedule group name "${config.groupName}"`);
    this.retry = config.retry ?? DEFAULT_SCHEDULE_RETRY;
    const { maximumRetryAttempts: attempts, maximumEventAgeInSeconds: age } = this.retry;
    if (!Number.isInteger(attempts) || attempts < 0 || attempts > 185) {
      throw new SchedulerConfigError(`maximumRetryAttempts must be a whole number 0-185, got ${attempts}`);
    }
    if (!Number.isInteger(age) || age < 60 || age > 86_400) {
      throw new SchedulerConfigError(`maximumEventAgeInSeconds must be a whole number 60-86400, got ${age}`);
    }
    this.clock = config.clock ?? systemClock;
  }

  async campaignScheduled(campaign: Campaign): Promise<void> {
    if (!campaign.schedule) return this.config.launchNow(campaign.id);
    await this.upsert({ ...campaign, schedule: campaign.schedule }, { campaignId: campaign.id });
  }

  /** Deletes the campaign's schedule; one already gone (fired one-time schedule, repeated cancel) is fine. */
  async campaignUnscheduled(campaignId: string): Promise<void> {
    await this.delete(campaignId);
  }

  /** A tour's schedule is its own (named after the tour): each fire dispatches the crew of that start. */
  async tourScheduled(tour: Tour): Promise<void> {
    await this.upsert(tour, { tourId: tour.id });
  }

  async tourUnscheduled(tourId: string): Promise<void> {
    await this.delete(tourId);
  }

  private async upsert(scheduled: Scheduled, target: ScheduleTargetInput): Promise<void> {
    const input = this.scheduleInput(scheduled, target, parseSchedule(scheduled.schedule.expression, scheduled.schedule.timezone));
    try {
      await this.client.send(new CreateScheduleCommand(input));
    } catch (error) {
      if (awsErrorName(error) !== 'ConflictException') throw error;
      await this.client.send(new UpdateScheduleCommand(input));
    }
  }

  private async delete(id: string): Promise<void> {
    try {
      await this.client.send(new DeleteScheduleCommand({ Name: scheduleName(id), GroupName: this.config.groupName }));
    } catch (error) {
      if (awsErrorName(error) !== 'ResourceNotFoundException') throw error;
    }
  }

  /** The complete schedule definition, the same for CreateSchedule and UpdateSchedule. */
  private scheduleInput(scheduled: Scheduled, input: ScheduleTargetInput, schedule: Schedule): CreateScheduleCommandInput {
    const startDate = schedule.kind === 'rate' ? this.rateStartDate(scheduled, schedule) : undefined;
    return {
      Name: scheduleName(scheduled.id),
      GroupName: this.config.groupName,
      ScheduleExpression: schedule.expression,
      ScheduleExpressionTimezone: schedule.timezone,
      ...(startDate && { StartDate: startDate }),
      FlexibleTimeWindow: { Mode: 'OFF' },
      State: 'ENABLED',
      ActionAfterCompletion: schedule.kind === 'at' ? 'DELETE' : 'NONE',
      Target: {
        Arn: this.config.targetArn,
        RoleArn: this.config.roleArn,
        Input: JSON.stringify(input),
        RetryPolicy: {
          MaximumRetryAttempts: this.retry.maximumRetryAttempts,
          MaximumEventAgeInSeconds: this.retry.maximumEventAgeInSeconds,
        },
        DeadLetterConfig: { Arn: this.config.deadLetterArn },
      },
    };
  }

  /**
   * The first fire of a rate schedule on the core's grid (every period from `decidedAt`), no older than
   * EventBridge accepts.
   */
  private rateStartDate(scheduled: Scheduled, schedule: Schedule): Date {
    const now = this.clock.now();
    const oldest = now.getTime() - START_DATE_MAX_AGE_MS;
    const anchor = new Date(scheduled.decidedAt ?? scheduled.nextFireAt ?? now.toISOString());
    if (anchor.getTime() >= oldest) return anchor;
    if (scheduled.nextFireAt && Date.parse(scheduled.nextFireAt) >= oldest) return new Date(scheduled.nextFireAt);
    // A rate schedule always has a next fire.
    return fireTimes(schedule, { from: now, count: 1, start: anchor })[0] ?? now;
  }
}

function scheduleName(id: string): string {
  if (!SCHEDULE_NAME.test(id)) throw new SchedulerConfigError(`Id "${id}" cannot name a schedule (1-64 of 0-9 a-z A-Z - _ .)`);
  return id;
}
