/** What the gateway and delivery-report routes return. */
import { z } from 'zod';
import type { GatewayStatus } from '../../core/gateways/gateway-router.js';
import { describing, timestamp } from './view-fields.js';

/** `messagesPerSecond: undefined` leaves the key out of the JSON. */
type GatewayStatusJson = Omit<GatewayStatus, 'messagesPerSecond'> & { messagesPerSecond?: number };

export const gatewayStatusView = describing<GatewayStatusJson>()(
  z
    .strictObject({
      id: z.string(),
      state: z.enum(['up', 'down', 'recovering']),
      since: timestamp,
      messagesPerSecond: z.number().optional().describe('Configured rate in message parts a second; absent when unlimited'),
      submitsPerSecond: z.number(),
      errorRate: z.number(),
      failovers: z.number().int().describe('Messages moved on to the next gateway of their route after this one refused them'),
      stateChanges: z.number().int(),
      details: z.record(z.string(), z.unknown()).optional(),
    })
    .meta({ id: 'GatewayStatus' }),
);

export const gatewayBoardView = z.strictObject({ items: z.array(gatewayStatusView) }).meta({ id: 'GatewayBoard' });

export const deliveryReportsAcceptedView = z
  .strictObject({
    received: z.number().int(),
    applied: z.number().int().describe('Those not applied before: a repeated report is applied once'),
  })
  .meta({ id: 'DeliveryReportsAccepted' });

export const unmatchedReportsView = z.strictObject({ count: z.number().int() }).meta({ id: 'UnmatchedReports' });
