import { z } from 'zod';
import { createImport, getImport, receiveImportFile } from '../../core/imports/import-use-cases.js';
import { NotFoundError } from '../../core/errors.js';
import type { Deps } from '../../core/deps.js';
import { IMPORT_LIMITS } from '../../core/subscribers/import-limits.js';
import { created, ok, route } from '../route.js';
import { createdImportView, importView, viewOfImport } from '../views/import-views.js';

const TAG = 'subscribers';
/** The roles of the synchronous import (POST /v1/subscribers/import). */
const IMPORTERS = ['operator', 'integration'] as const;

const fileName = z
  .string()
  .trim()
  .min(1)
  .max(255)
  .regex(/^[^\p{Cc}]*$/u, 'may not contain control characters')
  .describe("The file's name, recorded as the subscribers' source and in the audit");

/** Deps with where files are uploaded: a runtime without it takes no imports in slices. */
function withUploads(deps: Deps): Deps & Required<Pick<Deps, 'importUploads'>> {
  const { importUploads } = deps;
  if (!importUploads) throw new NotFoundError('This runtime takes no imports in slices; use POST /v1/subscribers/import');
  return { ...deps, importUploads };
}

export const importRoutes = [
  route({
    method: 'POST',
    path: '/v1/imports',
    summary: 'Start an import of a large subscriber CSV (a province): returns its id and where to PUT the file',
    description:
      `The file (columns phone, area, tags, optional carrier; at most ${IMPORT_LIMITS.bytes / (1024 * 1024)} MB and ` +
      `${IMPORT_LIMITS.rows.toLocaleString('en')} rows) is then sent with the method, URL and headers given; it is imported ` +
      'in the background, its rows checked as by POST /v1/subscribers/import. Follow it with GET /v1/imports/{id}.',
    tag: TAG,
    access: IMPORTERS,
    body: z.strictObject({ fileName: fileName.optional() }),
    responses: { 201: { description: 'The import, waiting for its file, and where to upload it', schema: createdImportView } },
    handle: async ({ deps, caller, body }) => created(await createImport(withUploads(deps), caller, body)),
  }),
  route({
    method: 'GET',
    path: '/v1/imports/{id}',
    summary: 'An import: where it stands, its counts, and its first refused rows with line and reason',
    description: 'Seen by whoever created it and by operators.',
    tag: TAG,
    access: IMPORTERS,
    responses: { 200: { description: 'The import', schema: importView } },
    handle: async ({ deps, caller, params }) => ok(viewOfImport(await getImport(deps, caller, params.id!))),
  }),
  route({
    method: 'PUT',
    path: '/v1/imports/{id}/file',
    summary: 'The file of an import, sent to the embedded server (the URL POST /v1/imports gave); the import then starts',
    description:
      `Embedded runtime only (on AWS the file goes to S3: 404 here). By whoever created the import; at most ` +
      `${IMPORT_LIMITS.bytes / (1024 * 1024)} MB (413 beyond); 409 once the import has its file.`,
    tag: TAG,
    access: IMPORTERS,
    body: 'csv',
    responses: { 202: { description: 'The file is kept; the import runs in the background', schema: importView } },
    handle: async ({ deps, caller, params, body }) => ({
      status: 202,
      body: viewOfImport(await receiveImportFile(withUploads(deps), caller, params.id!, body())),
    }),
  }),
];
