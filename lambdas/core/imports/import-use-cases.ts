import type { Caller } from '../auth/caller.js';
import type { Deps } from '../deps.js';
import { ConflictError, NotFoundError } from '../errors.js';
import { newId } from '../ids.js';
import type { UploadTarget } from './import-files.js';
import type { ImportRecord, SubscriberImport } from './subscriber-import.js';

type ImportDeps = Pick<Deps, 'imports' | 'clock'> & Required<Pick<Deps, 'importUploads'>>;

/** Creates an import waiting for its file, and says where to send the file. */
export async function createImport(
  deps: ImportDeps,
  caller: Caller,
  input: { fileName?: string },
): Promise<{ id: string; status: 'waiting-for-file'; upload: UploadTarget }> {
  const now = deps.clock.now();
  const at = now.toISOString();
  const record: ImportRecord = {
    id: newId('imp', now),
    status: 'waiting-for-file',
    ...(input.fileName !== undefined && { fileName: input.fileName }),
    createdBy: { id: caller.id, roles: [...caller.roles] },
    createdAt: at,
    updatedAt: at,
    bytesRead: 0,
    linesRead: 0,
    rowsRead: 0,
    imported: 0,
    updated: 0,
    refusedCount: 0,
  };
  await deps.imports.insertImport(record);
  return { id: record.id, status: 'waiting-for-file', upload: await deps.importUploads.uploadFor(record.id) };
}

/**
 * The import, for whoever created it, or any operator: the refused rows quote the file's rows. Another
 * caller gets a 404, as for an import that does not exist.
 */
export async function getImport(deps: Pick<Deps, 'imports'>, caller: Caller, id: string): Promise<SubscriberImport> {
  const found = await deps.imports.getImport(id);
  if (!found || (found.createdBy.id !== caller.id && !caller.roles.includes('operator'))) throw new NotFoundError(`No import ${id}`);
  return found;
}

/** The file of an import sent to the API itself (embedded runtime), by whoever created the import. */
export async function receiveImportFile(
  deps: Pick<Deps, 'imports'> & Required<Pick<Deps, 'importUploads'>>,
  caller: Caller,
  id: string,
  file: AsyncIterable<string | Uint8Array>,
): Promise<SubscriberImport> {
  const found = await deps.imports.getImport(id);
  if (!found || found.createdBy.id !== caller.id) throw new NotFoundError(`No import ${id}`);
  const receive = deps.importUploads.receive?.bind(deps.importUploads);
  if (!receive) throw new NotFoundError(`Here the file of import ${id} goes to the upload URL POST /v1/imports gave, not to the API`);
  if (found.status !== 'waiting-for-file') throw new ConflictError(`Import ${id} already has its file (it is ${found.status})`);
  await receive(id, file);
  return (await deps.imports.getImport(id)) ?? found;
}
