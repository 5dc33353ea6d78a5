/** What the subscriber and opt-out routes return. */
import { z } from 'zod';
import type { OptOut, Subscriber } from '../../core/model.js';
import { CARRIERS } from '../../core/subscribers/carriers.js';
import { IMPORT_LIMITS } from '../../core/subscribers/import-limits.js';
import type { ImportReport } from '../../core/subscribers/import-subscribers.js';
import { describing, timestamp } from './view-fields.js';

const subscriberSourceView = z
  .discriminatedUnion('kind', [
    z.strictObject({
      kind: z.literal('import').describe('A file imported by staff'),
      importId: z.string(),
      fileName: z.string().optional(),
    }),
    z.strictObject({
      kind: z.literal('integration').describe('A file imported by an integration client'),
      clientId: z.string().describe('The id of the client token'),
      importId: z.string(),
      fileName: z.string().optional(),
    }),
  ])
  .meta({ id: 'SubscriberSource' });

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
      source: subscriberSourceView.optional().describe('The import that last wrote the record; absent on records older than sources'),
      sourcedAt: timestamp.optional().describe('When that import ran'),
      optedOut: z.boolean(),
    })
    .meta({ id: 'Subscriber' }),
);

export const importReportView = describing<ImportReport>()(
  z
    .strictObject({
      importId: z.string().describe('Recorded as the source of every subscriber written, and in the audit entry'),
      fileName: z.string().optional().describe('As given by ?fileName='),
      imported: z.number().int(),
      updated: z.number().int(),
      refusedCount: z.number().int().describe('Every refused row, listed or not'),
      refused: z
        .array(z.strictObject({ line: z.number().int(), reason: z.string() }))
        .max(IMPORT_LIMITS.listedRefusals)
        .describe(
          `The first ${IMPORT_LIMITS.listedRefusals} refused rows, by line of the file; a reason quotes at most 40 characters of the row`,
        ),
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
