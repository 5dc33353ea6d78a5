import { z } from 'zod';
import {
  approveCampaign,
  cancelCampaign,
  createCampaign,
  getCampaign,
  listCampaigns,
  listReceipts,
  pauseCampaign,
  rejectCampaign,
  resumeCampaign,
  submitCampaign,
} from '../../core/campaigns/campaign-use-cases.js';
import { estimateCampaign } from '../../core/campaigns/campaign-estimate.js';
import { CampaignStatus, RECEIPT_STATUSES } from '../../core/model.js';
import { ALL_BUT_CREW, created, name, ok, pageQuery, route, stateChange, type Access } from '../route.js';
import { campaignEstimateView, campaignView, campaignWithCountsView, receiptView } from '../views/campaign-views.js';
import { PHONE_WHOLE_FOR, pageWithPhonesFor, withRecipientsFor } from '../views/phone-views.js';
import { pageOf } from '../views/view-fields.js';
import { creatorQuery, decidedRevision, reviewFilter, statusList } from './review-query.js';

const TAG = 'campaigns';
const CAMPAIGN_STATUSES = Object.values(CampaignStatus) as [CampaignStatus, ...CampaignStatus[]];
const VIEW = { description: 'The campaign with its receipt counts', schema: campaignWithCountsView };
const id = z.string().min(1).max(100);

const action = (verb: 'submit' | 'pause' | 'resume' | 'cancel', summary: string, access: Access, run: typeof submitCampaign) =>
  stateChange({ path: `/v1/campaigns/{id}/${verb}`, summary, tag: TAG, access, view: VIEW, run });

export const campaignRoutes = [
  route({
    method: 'POST',
    path: '/v1/campaigns',
    summary: 'Create a campaign (a draft) from an approved template version and a segment',
    tag: TAG,
    access: ['author', 'integration'],
    body: z.strictObject({
      name,
      templateId: id,
      templateVersion: z.number().int().min(1),
      segmentId: id,
      variables: z.record(z.string(), z.string().max(1600)).default({}),
      priority: z
        .enum(['normal', 'emergency'])
        .default('normal')
        .describe('Emergency traffic ignores quiet hours and daily caps; a recurring emergency fires at most once an hour'),
      schedule: z
        .strictObject({
          expression: z.string().min(1).max(256).describe('EventBridge Scheduler: at(...), rate(...) or cron(...)'),
          timezone: z.string().min(1).max(64).optional().describe('IANA name; defaults to the deployment time zone'),
        })
        .optional()
        .describe('Without a schedule the campaign sends as soon as it is approved'),
      test: z.boolean().default(false).describe('Sends only to the configured test numbers'),
      stripDiacritics: z.boolean().default(false),
    }),
    idempotent: true,
    responses: { 201: VIEW },
    handle: async ({ deps, caller, body }) => created(await createCampaign(deps, caller, body)),
  }),
  route({
    method: 'GET',
    path: '/v1/campaigns',
    summary: 'List campaigns; by status (?status=sending,scheduled,paused), creator (?createdBy=me) or awaiting the caller (?awaiting=me)',
    description: 'A filtered page may hold fewer items than asked, even none, with a nextCursor: on AWS it stops after a bounded read.',
    tag: TAG,
    access: ALL_BUT_CREW,
    query: pageQuery.extend({ status: statusList(CAMPAIGN_STATUSES).optional(), ...creatorQuery }),
    responses: { 200: { description: 'A page of campaigns, without their counts', schema: pageOf(campaignView) } },
    handle: async ({ deps, caller, query }) => {
      const { limit, cursor } = query;
      const page = await listCampaigns(
        deps,
        { limit, ...(cursor && { cursor }) },
        reviewFilter(caller, query, CampaignStatus.pendingApproval),
      );
      return ok({ ...page, items: page.items.map((campaign) => withRecipientsFor(caller, campaign)) });
    },
  }),
  route({
    method: 'GET',
    path: '/v1/campaigns/{id}',
    summary: 'A campaign with its receipt counts',
    tag: TAG,
    access: ALL_BUT_CREW,
    responses: { 200: VIEW },
    handle: async ({ deps, caller, params }) => ok(withRecipientsFor(caller, await getCampaign(deps, params.id!))),
  }),
  route({
    method: 'GET',
    path: '/v1/campaigns/{id}/estimate',
    summary: 'Recipients, message parts, cost and sending time by carrier if the campaign were sent now',
    tag: TAG,
    access: ALL_BUT_CREW,
    responses: { 200: { description: 'The estimate, in total and by carrier', schema: campaignEstimateView } },
    handle: async ({ deps, params }) => ok(await estimateCampaign(deps, params.id!)),
  }),
  action('submit', 'Submit a draft campaign for approval', ['author', 'integration'], submitCampaign),
  route({
    method: 'POST',
    path: '/v1/campaigns/{id}/approve',
    summary: 'Approve the revision of a pending campaign the approver saw; never by its creator. Arms the schedule',
    description: '409 if the campaign changed since that revision. The approval records `approvedHash`, the sha256 of what it decided.',
    tag: TAG,
    access: ['approver'],
    body: z.strictObject({ revision: decidedRevision }),
    idempotent: true,
    responses: { 200: VIEW },
    handle: async ({ deps, caller, params, body }) => ok(await approveCampaign(deps, caller, params.id!, body.revision)),
  }),
  route({
    method: 'POST',
    path: '/v1/campaigns/{id}/reject',
    summary: 'Send the revision of a pending campaign the approver saw back to draft with a reason; never by its creator',
    tag: TAG,
    access: ['approver'],
    body: z.strictObject({ reason: z.string().trim().min(1).max(1000), revision: decidedRevision }),
    idempotent: true,
    responses: { 200: VIEW },
    handle: async ({ deps, caller, params, body }) => ok(await rejectCampaign(deps, caller, params.id!, body.reason, body.revision)),
  }),
  action('pause', 'Hold the senders and the schedule', ['operator'], pauseCampaign),
  action('resume', 'Resume a paused campaign', ['operator'], resumeCampaign),
  action('cancel', 'Stop the campaign for good', ['operator'], cancelCampaign),
  route({
    method: 'GET',
    path: '/v1/campaigns/{id}/receipts',
    summary: 'Receipts of a campaign, one per recipient and run',
    tag: TAG,
    access: ['operator', 'viewer'],
    query: pageQuery.extend({
      status: z.enum(RECEIPT_STATUSES).optional(),
      runId: z.string().min(1).max(100).optional(),
    }),
    responses: { 200: { description: 'A page of receipts; numbers whole to operators, masked to viewers', schema: pageOf(receiptView) } },
    handle: async ({ deps, caller, params, query }) => {
      const { status, runId, limit, cursor } = query;
      const page = await listReceipts(
        deps,
        params.id!,
        { ...(status && { status }), ...(runId && { runId }) },
        { limit, ...(cursor && { cursor }) },
      );
      return ok(pageWithPhonesFor(caller, page, PHONE_WHOLE_FOR.receipts));
    },
  }),
];
