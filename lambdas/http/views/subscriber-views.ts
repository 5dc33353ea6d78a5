/** What the subscriber and opt-out routes return. */
import { z } from 'zod';
import type { OptOut, Subscriber } from '../../core/model.js';
import { CARRIERS } from '../../core/subscribers/carriers.js';
import type { ImportReport } from '../../core/subscribers/import-subscribers.js';
import { describing, timestamp } from './view-fields.js';

export const subscriberView = describing<Subscriber & { optedOut: boolean }>()(
  z
    .strictObject({
      phone: z.string().describe('E.164'),
      areaCode: z.string(),
      areaPath: z.string(),
      tags: z.array(z.string()),
      carrier: z.enum(CARRIERS).optional(),
      carrierSource: z.enum(['explicit', 'prefix', 'unknown']),
      updatedAt: timestamp,
      optedOut: z.boolean(),
    })
    .meta({ id: 'Subscriber' }),
);

export const importReportView = describing<ImportReport>()(
  z
    .strictObject({
      imported: z.number().int(),
      updated: z.number().int(),
      rejected: z.array(z.strictObject({ line: z.number().int(), reason: z.string() })).describe('The refused rows, by line of the file'),
    })
    .meta({ id: 'ImportReport' }),
);

export const optOutView = describing<OptOut>()(
  z
    .strictObject({
      phone: z.string().describe('E.164'),
      source: z.string(),
      by: z.string(),
      at: timestamp,
    })
    .meta({ id: 'OptOut' }),
);
