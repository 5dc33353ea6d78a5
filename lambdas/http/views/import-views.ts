/** What the routes of imports in slices return. */
import { z } from 'zod';
import { IMPORT_STATUSES, type SubscriberImport } from '../../core/imports/subscriber-import.js';
import { IMPORT_LIMITS } from '../../core/subscribers/import-limits.js';
import { timestamp } from './view-fields.js';

const uploadView = z
  .strictObject({
    method: z.literal('PUT'),
    url: z.string().describe('Where to PUT the CSV: an S3 presigned URL on AWS, this API (PUT /v1/imports/{id}/file) embedded'),
    headers: z.record(z.string(), z.string()).describe('Headers to send with the PUT, as given'),
    expiresAt: timestamp.optional().describe('After this the URL takes nothing: create another import'),
  })
  .meta({ id: 'ImportUpload' });

export const createdImportView = z
  .strictObject({
    id: z.string(),
    status: z.literal('waiting-for-file'),
    upload: uploadView,
  })
  .meta({ id: 'CreatedImport' });

export const importView = z
  .strictObject({
    id: z.string().describe('Recorded as the source of every subscriber written, and in the audit entry'),
    status: z.enum(IMPORT_STATUSES),
    fileName: z.string().optional(),
    createdBy: z.string(),
    createdAt: timestamp,
    updatedAt: timestamp,
    startedAt: timestamp.optional(),
    finishedAt: timestamp.optional(),
    fileBytes: z.number().int().optional().describe('The size of the file, once it is there'),
    bytesRead: z.number().int().describe('Bytes of the file imported so far'),
    header: z.array(z.string()).optional().describe('The first line of the file, as read'),
    rowsRead: z.number().int().describe('Rows read so far: imported, updated or refused'),
    imported: z.number().int(),
    updated: z.number().int(),
    refusedCount: z.number().int().describe('Every refused row, listed or not'),
    refused: z
      .array(z.strictObject({ line: z.number().int(), reason: z.string() }))
      .max(IMPORT_LIMITS.listedRefusals)
      .describe(`The first ${IMPORT_LIMITS.listedRefusals} refused rows, by line of the file`),
    error: z.string().optional().describe('Why the import failed (a file over a limit, a wrong header)'),
  })
  .meta({ id: 'SubscriberImport' });

/** The import as callers see it: who created it by id, and where it stands. */
export function viewOfImport(found: SubscriberImport): z.infer<typeof importView> {
  const { createdBy, linesRead: _lines, ...shown } = found;
  return { ...shown, createdBy: createdBy.id };
}
