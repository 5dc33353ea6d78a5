/** What the Decree 13 routes return: everything held on a number, and what an erasure did. */
import { z } from 'zod';
import type { Erasure, SubscriberData } from '../../core/privacy/subscriber-data.js';
import { receiptView } from './campaign-views.js';
import { optOutView, subscriberView } from './subscriber-views.js';
import { describing, timestamp } from './view-fields.js';

export const subscriberDataView = describing<SubscriberData>()(
  z
    .strictObject({
      phone: z.string().describe('E.164'),
      subscriber: subscriberView.omit({ optedOut: true }).optional().describe('Absent when the number is no subscriber'),
      optOut: optOutView.optional().describe('Present when the number asked for no more messages'),
      receipts: z.array(receiptView).describe('Every message sent or queued to the number, oldest first'),
      exportedAt: timestamp,
    })
    .meta({ id: 'SubscriberData' }),
);

export const erasureView = describing<Erasure>()(
  z
    .strictObject({
      pseudonym: z.string().describe("What the number's remaining records are kept under"),
      subscriberDeleted: z.boolean(),
      optOutKept: z.boolean().describe('The opt-out is kept under the pseudonym: the number is never messaged again'),
      receiptsPseudonymized: z.number().int(),
      idempotencyRecordsDeleted: z.number().int(),
    })
    .meta({ id: 'Erasure' }),
);
