/** What the audit route returns: one entry of the append-only log. */
import { z } from 'zod';
import type { AuditEntry } from '../../core/model.js';
import { describing, timestamp } from './view-fields.js';

export const auditEntryView = describing<AuditEntry>()(
  z
    .strictObject({
      id: z.string(),
      at: timestamp,
      actor: z.string(),
      action: z.string().describe('e.g. template.approved'),
      subject: z.string().describe('The id of what was acted on'),
      details: z.record(z.string(), z.unknown()).optional(),
    })
    .meta({ id: 'AuditEntry' }),
);
