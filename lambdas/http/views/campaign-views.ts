/** What the campaign routes return: campaigns with their receipt counts, receipts and the cost estimate. */
import { z } from 'zod';
import type { CampaignEstimate, CarrierEstimate, GatewayEstimate } from '../../core/campaigns/campaign-estimate.js';
import type { CampaignView } from '../../core/campaigns/campaign-use-cases.js';
import {
  CampaignStatus,
  ReceiptStatus,
  type Campaign,
  type CampaignSchedule,
  type Receipt,
  type ReceiptCounts,
  type StatusCounts,
} from '../../core/model.js';
import { CARRIERS } from '../../core/subscribers/carriers.js';
import { smsEncoding } from './template-views.js';
import { describing, reviewFields, timestamp } from './view-fields.js';

export const priority = z.enum(['normal', 'emergency']);

export const scheduleView = describing<CampaignSchedule>()(
  z
    .strictObject({
      expression: z.string().describe('at(...), rate(...) or cron(...)'),
      timezone: z.string().describe('IANA name'),
    })
    .meta({ id: 'Schedule' }),
);

export const campaignView = describing<Campaign>()(
  z
    .strictObject({
      id: z.string(),
      name: z.string(),
      templateId: z.string(),
      templateVersion: z.number().int(),
      segmentId: z.string(),
      variables: z.record(z.string(), z.string()),
      priority,
      schedule: scheduleView.optional(),
      test: z.boolean(),
      recipients: z.array(z.string()).optional().describe('Sent to these numbers instead of the segment (crew messages of tours)'),
      stripDiacritics: z.boolean(),
      text: z.string().describe('The message as it will be sent'),
      sms: z.strictObject({ encoding: smsEncoding, parts: z.number().int() }),
      status: z.enum(CampaignStatus),
      createdBy: z.string(),
      createdAt: timestamp,
      nextFireAt: timestamp.optional().describe('When the next run starts; absent once none is due'),
      runCount: z.number().int(),
      revision: z.number().int(),
      ...reviewFields,
    })
    .meta({ id: 'Campaign' }),
);

const statusCountFields = {
  queued: z.number().int(),
  submitted: z.number().int(),
  delivered: z.number().int(),
  failed: z.number().int(),
  expired: z.number().int(),
  total: z.number().int(),
};

export const statusCountsView = describing<StatusCounts>()(z.strictObject(statusCountFields).meta({ id: 'StatusCounts' }));

export const receiptCountsView = describing<ReceiptCounts>()(
  z
    .strictObject({
      ...statusCountFields,
      byCarrier: z.record(z.string(), statusCountsView).describe("By carrier code, 'unknown' for receipts without one"),
    })
    .meta({ id: 'ReceiptCounts' }),
);

export const campaignWithCountsView = describing<CampaignView>()(
  campaignView.extend({ counts: receiptCountsView }).meta({ id: 'CampaignWithCounts' }),
);

export const receiptView = describing<Receipt>()(
  z
    .strictObject({
      campaignId: z.string(),
      runId: z.string(),
      phone: z.string(),
      carrier: z.enum(CARRIERS).optional(),
      areaCode: z.string().optional().describe("The subscriber's area when queued; absent for listed numbers"),
      status: z.enum(ReceiptStatus),
      test: z.boolean(),
      gatewayId: z.string().optional(),
      gatewayMessageId: z.string().optional(),
      attempts: z.number().int(),
      error: z.string().optional(),
      queuedAt: timestamp,
      submittedAt: timestamp.optional(),
      doneAt: timestamp.optional(),
    })
    .meta({ id: 'Receipt' }),
);

const carrierEstimateView = describing<CarrierEstimate>()(
  z
    .strictObject({
      recipients: z.number().int(),
      parts: z.number().int(),
      pricePerPart: z.number().optional(),
      cost: z.number().optional(),
      gatewayId: z.string().optional().describe("The first gateway of the carrier's route"),
      partsPerSecond: z.number().optional().describe("That gateway's configured rate"),
      sendingSeconds: z.number().int().optional().describe("This carrier's parts at that rate, as if it had the gateway to itself"),
    })
    .meta({ id: 'CarrierEstimate' }),
);

const gatewayEstimateView = describing<GatewayEstimate>()(
  z
    .strictObject({
      carriers: z.array(z.string()).describe('The carriers whose messages go through this gateway first'),
      parts: z.number().int(),
      partsPerSecond: z.number().optional(),
      sendingSeconds: z.number().int().optional(),
    })
    .meta({ id: 'GatewayEstimate' }),
);

export const campaignEstimateView = describing<CampaignEstimate>()(
  z
    .strictObject({
      encoding: smsEncoding,
      partsPerMessage: z.number().int(),
      recipients: z.number().int(),
      parts: z.number().int(),
      cost: z.number().optional().describe("Present when every carrier reached has a price (a '*' price covers the others)"),
      currency: z.string().optional(),
      sendingSeconds: z
        .number()
        .int()
        .optional()
        .describe("The least the sending takes at the gateways' configured rates; present when every gateway reached has one"),
      byCarrier: z.record(z.string(), carrierEstimateView),
      byGateway: z.record(z.string(), gatewayEstimateView).optional(),
    })
    .meta({ id: 'CampaignEstimate' }),
);
