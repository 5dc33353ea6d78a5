import { approvalHash } from '../auth/approval-hash.js';
import type { Caller } from '../auth/caller.js';
import { requireRevisionSeen, requireSecondPerson } from '../auth/four-eyes.js';
import { audit } from '../audit/audit.js';
import type { Deps } from '../deps.js';
import { ConflictError, NotFoundError, ValidationError } from '../errors.js';
import { newId } from '../ids.js';
import type { CampaignFilter } from '../list-filters.js';
import {
  CampaignStatus,
  type Campaign,
  type CampaignSchedule,
  type Page,
  type PageRequest,
  type Receipt,
  type ReceiptCounts,
} from '../model.js';
import { fireTimes, firesMoreThanHourly, parseSchedule } from '../schedules/schedule-expression.js';
import { inScheduleFields } from '../schedules/schedule-fields.js';
import { requireSegment } from '../segments/segment-use-cases.js';
import { stripDiacritics } from '../templates/diacritics.js';
import { render } from '../templates/placeholders.js';
import { countSmsParts } from '../templates/sms-parts.js';
import { approvedVersion } from '../templates/template-use-cases.js';
import { requireCampaignState } from './campaign-status.js';

/** What the author chooses; the time zone of a schedule defaults to the deployment's. */
export type NewCampaign = Pick<
  Campaign,
  'name' | 'templateId' | 'templateVersion' | 'segmentId' | 'variables' | 'priority' | 'test' | 'stripDiacritics'
> & { schedule?: { expression: string; timezone?: string } };

export type CampaignView = Campaign & { counts: ReceiptCounts };

export async function createCampaign(deps: Deps, caller: Caller, input: NewCampaign): Promise<CampaignView> {
  const version = await approvedVersion(deps, input.templateId, input.templateVersion, 'sms');
  await requireSegment(deps, input.segmentId).catch((error: unknown) => {
    throw error instanceof NotFoundError ? ValidationError.field('segmentId', error.message) : error;
  });
  // Body and values arrive in NFC; joined, a value starting with a combining mark could compose further.
  const rendered = render(version.body, version.placeholders, input.variables).normalize('NFC');
  const text = input.stripDiacritics ? stripDiacritics(rendered) : rendered;
  const now = deps.clock.now();
  const schedule = input.schedule && {
    expression: input.schedule.expression,
    timezone: input.schedule.timezone ?? deps.config.timezone,
  };
  if (schedule && inScheduleFields(() => firstFire(schedule, now, now)) === undefined) {
    throw ValidationError.field('schedule.expression', `${schedule.expression} never fires after ${now.toISOString()}`);
  }
  // Emergency traffic passes quiet hours and daily caps: repeated, it must not be able to text a province every minute.
  if (input.priority === 'emergency' && schedule && firesMoreThanHourly(parseSchedule(schedule.expression, schedule.timezone))) {
    throw ValidationError.field(
      'schedule.expression',
      `an emergency campaign fires at most once an hour; ${schedule.expression} fires more often`,
    );
  }
  if (input.test && deps.config.testNumbers.length === 0) {
    throw ValidationError.field('test', 'no test numbers are configured (LOA_TEST_NUMBERS)');
  }
  const { encoding, parts } = countSmsParts(text);
  const campaign: Campaign = {
    id: newId('cmp', now),
    name: input.name,
    templateId: input.templateId,
    templateVersion: input.templateVersion,
    segmentId: input.segmentId,
    variables: input.variables,
    priority: input.priority,
    test: input.test,
    stripDiacritics: input.stripDiacritics,
    text,
    sms: { encoding, parts },
    status: CampaignStatus.draft,
    createdBy: caller.id,
    createdAt: now.toISOString(),
    runCount: 0,
    revision: 1,
    ...(schedule && { schedule }),
  };
  await deps.campaigns.insertCampaign(campaign);
  await audit(deps, caller.id, 'campaign.created', campaign.id, { test: campaign.test, priority: campaign.priority });
  return withCounts(deps, campaign);
}

export async function submitCampaign(deps: Deps, caller: Caller, id: string): Promise<CampaignView> {
  return change(deps, caller, id, 'submit', (campaign, now) => ({
    ...campaign,
    status: CampaignStatus.pendingApproval,
    submittedAt: now.toISOString(),
  }));
}

/**
 * Approval arms the campaign: with a schedule it waits for the first fire; without one it is due at
 * once. The creator never approves their own campaign. The approver names the revision they looked at,
 * and the approval records the hash of what that revision sends.
 */
export async function approveCampaign(deps: Deps, caller: Caller, id: string, revision: number): Promise<CampaignView> {
  const seen = await requireCampaign(deps, id);
  requireRevisionSeen(seen, revision, `Campaign ${id}`);
  const approvedHash = approvalHash(await campaignApprovedContent(deps, seen));
  const view = await change(
    deps,
    caller,
    id,
    'approve',
    (campaign, now) => {
      // Read again by the change: one that moved on since `seen` is not approved with `seen`'s hash.
      requireRevisionSeen(campaign, revision, `Campaign ${id}`);
      requireSecondPerson(caller, campaign.createdBy, `Campaign ${campaign.id}`);
      const nextFire = campaign.schedule ? firstFire(campaign.schedule, now, now) : now;
      if (!nextFire) throw new ConflictError(`Campaign ${campaign.id}'s schedule has no fire time left`);
      return {
        ...campaign,
        status: campaign.schedule ? CampaignStatus.scheduled : CampaignStatus.approved,
        decidedBy: caller.id,
        decidedAt: now.toISOString(),
        nextFireAt: nextFire.toISOString(),
        approvedHash,
      };
    },
    { revision, approvedHash },
  );
  await deps.scheduler.campaignScheduled(view);
  return view;
}

/**
 * Exactly what approving a campaign decides, as its approval hash covers it: the message as it will be
 * sent and the template version it came from, who receives it (the segment and its filter, or the listed
 * numbers), when, and how urgently.
 */
export async function campaignApprovedContent(deps: Pick<Deps, 'audience'>, campaign: Campaign) {
  const segment = campaign.segmentId ? await deps.audience.getSegment(campaign.segmentId) : undefined;
  return {
    id: campaign.id,
    name: campaign.name,
    template: { id: campaign.templateId, version: campaign.templateVersion },
    variables: campaign.variables,
    stripDiacritics: campaign.stripDiacritics,
    text: campaign.text,
    segment: { id: campaign.segmentId, filter: segment?.filter },
    recipients: campaign.recipients,
    test: campaign.test,
    schedule: campaign.schedule,
    priority: campaign.priority,
  };
}

export async function rejectCampaign(deps: Deps, caller: Caller, id: string, reason: string, revision: number): Promise<CampaignView> {
  return change(
    deps,
    caller,
    id,
    'reject',
    (campaign, now) => {
      requireRevisionSeen(campaign, revision, `Campaign ${id}`);
      requireSecondPerson(caller, campaign.createdBy, `Campaign ${campaign.id}`);
      return {
        ...campaign,
        status: CampaignStatus.draft,
        decidedBy: caller.id,
        decidedAt: now.toISOString(),
        rejectionReason: reason,
      };
    },
    { reason, revision },
  );
}

/** Pausing holds the senders and the schedule; a paused campaign's due fires wait for resume. */
export async function pauseCampaign(deps: Deps, caller: Caller, id: string): Promise<CampaignView> {
  return change(deps, caller, id, 'pause', (campaign) => ({ ...campaign, status: CampaignStatus.paused }));
}

/**
 * Resuming goes back to sending when a run is unfinished, else back to waiting for the schedule; fires
 * a recurring campaign missed while paused are skipped, not sent late in a burst.
 */
export async function resumeCampaign(deps: Deps, caller: Caller, id: string): Promise<CampaignView> {
  const unfinished = (await deps.campaigns.listUnfinishedRuns()).some((run) => run.campaignId === id);
  const view = await change(deps, caller, id, 'resume', (campaign, now) => {
    if (unfinished) return { ...campaign, status: CampaignStatus.sending };
    const nextFire =
      campaign.nextFireAt && campaign.schedule && isPast(campaign.nextFireAt, now)
        ? firstFire(campaign.schedule, now, new Date(campaign.decidedAt ?? now))
        : campaign.nextFireAt && new Date(campaign.nextFireAt);
    if (!nextFire) return { ...campaign, status: CampaignStatus.completed, nextFireAt: undefined };
    return {
      ...campaign,
      status: campaign.schedule ? CampaignStatus.scheduled : CampaignStatus.approved,
      nextFireAt: nextFire.toISOString(),
    };
  });
  if (view.nextFireAt) await deps.scheduler.campaignScheduled(view);
  return view;
}

/** Cancel stops further sends at once: senders fail whatever of it is still queued. */
export async function cancelCampaign(deps: Deps, caller: Caller, id: string): Promise<CampaignView> {
  const view = await change(deps, caller, id, 'cancel', (campaign) => ({
    ...campaign,
    status: CampaignStatus.cancelled,
    nextFireAt: undefined,
  }));
  await deps.scheduler.campaignUnscheduled(id);
  return view;
}

export async function getCampaign(deps: Deps, id: string): Promise<CampaignView> {
  return withCounts(deps, await requireCampaign(deps, id));
}

export async function listCampaigns(deps: Deps, page: PageRequest, filter: CampaignFilter = {}): Promise<Page<Campaign>> {
  return deps.campaigns.listCampaigns(page, filter);
}

export async function listReceipts(
  deps: Deps,
  campaignId: string,
  filter: { status?: Receipt['status']; runId?: string },
  page: PageRequest,
): Promise<Page<Receipt>> {
  await requireCampaign(deps, campaignId);
  return deps.receipts.listReceipts(campaignId, filter, page);
}

export async function requireCampaign(deps: Pick<Deps, 'campaigns' | 'receipts'>, id: string): Promise<Campaign> {
  const campaign = await deps.campaigns.getCampaign(id);
  if (!campaign) throw new NotFoundError(`No campaign ${id}`);
  return campaign;
}

/** The first fire at or after `from`; a rate schedule counts from `start`. */
export function firstFire(schedule: CampaignSchedule, from: Date, start: Date): Date | undefined {
  return fireTimes(parseSchedule(schedule.expression, schedule.timezone), { from, count: 1, start })[0];
}

async function change(
  deps: Deps,
  caller: Caller,
  id: string,
  action: 'submit' | 'approve' | 'reject' | 'pause' | 'resume' | 'cancel',
  next: (campaign: Campaign, now: Date) => Campaign,
  details?: Record<string, unknown>,
): Promise<CampaignView> {
  const campaign = await requireCampaign(deps, id);
  requireCampaignState(campaign, action);
  const updated = { ...next(campaign, deps.clock.now()), revision: campaign.revision + 1 };
  await deps.campaigns.updateCampaign(updated);
  await audit(deps, caller.id, `campaign.${action}`, id, { from: campaign.status, to: updated.status, ...details });
  return withCounts(deps, updated);
}

async function withCounts(deps: Pick<Deps, 'campaigns' | 'receipts'>, campaign: Campaign): Promise<CampaignView> {
  return { ...campaign, counts: await deps.receipts.campaignCounts(campaign.id) };
}

function isPast(iso: string, now: Date): boolean {
  return new Date(iso).getTime() < now.getTime();
}
