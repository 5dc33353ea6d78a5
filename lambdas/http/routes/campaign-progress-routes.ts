import { z } from 'zod';
import { campaignProgress, type CampaignProgress } from '../../core/campaigns/campaign-progress.js';
import { CampaignStatus, type DeliveredInMinute } from '../../core/model.js';
import { ALL_BUT_CREW, ok, route } from '../route.js';
import { statusCountsView } from '../views/campaign-views.js';
import { describing, timestamp } from '../views/view-fields.js';

const deliveredInMinuteView = describing<DeliveredInMinute>()(
  z
    .strictObject({
      minute: timestamp.describe('Start of the UTC minute'),
      delivered: z.number().int().describe('Receipts whose delivery report is of that minute'),
    })
    .meta({ id: 'DeliveredInMinute' }),
);

export const campaignProgressView = describing<CampaignProgress>()(
  z
    .strictObject({
      campaignId: z.string(),
      status: z.enum(CampaignStatus),
      test: z.boolean().describe('A test campaign: it sends only to the test numbers'),
      counts: statusCountsView,
      byCarrier: z.record(z.string(), statusCountsView).describe("By carrier code, 'unknown' for numbers of no known carrier"),
      byArea: z
        .record(z.string(), statusCountsView)
        .describe("By the area code each recipient had when queued, 'unknown' for numbers that are no subscriber"),
      deliveredOverTime: z.array(deliveredInMinuteView).describe('Oldest first; minutes with no delivery are left out'),
      updatedAt: timestamp.describe('When these counts were read'),
    })
    .meta({ id: 'CampaignProgress' }),
);

export const campaignProgressRoutes = [
  route({
    method: 'GET',
    path: '/v1/campaigns/{id}/progress',
    // Read from counters, never from the receipts: the console polls it every 2 seconds whatever the size.
    summary: 'Live progress of a campaign, all runs together: receipts by status, carrier and area, deliveries by minute',
    tag: 'campaigns',
    access: ALL_BUT_CREW,
    responses: { 200: { description: 'The campaign progress', schema: campaignProgressView } },
    handle: async ({ deps, params }) => ok(await campaignProgress(deps, params.id!)),
  }),
];
