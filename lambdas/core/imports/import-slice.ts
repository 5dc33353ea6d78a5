/**
 * One slice of an import in slices: from the byte where the import stands (always a row's end), it reads
 * the file on, writes its rows in batches as the synchronous import does (ImportBatchWriter: the same
 * checks, the same refusals, upserts by phone), and saves its progress after each batch, so that a crash
 * repeats at most one batch, which the upserts make harmless. It stops at the end of the file, or after
 * `maxRows` rows, or when `shouldStop()` says so (a Lambda running out of time): the next slice reads on.
 *
 * The first slice checks the whole file first, as the synchronous import does: a file over a limit fails
 * the import before a row is written, and so does a wrong header.
 */
import type { Caller } from '../auth/caller.js';
import { audit } from '../audit/audit.js';
import type { Deps } from '../deps.js';
import { type LoaError, NotFoundError, TooLargeError, ValidationError } from '../errors.js';
import { ImportBatchWriter, type ImportedRow } from '../subscribers/import-batch.js';
import { checkImportFile } from '../subscribers/import-file.js';
import { IMPORT_LIMITS, type ImportLimits } from '../subscribers/import-limits.js';
import { BATCH } from '../subscribers/import-subscribers.js';
import { type CsvPosition, isRejected, readSubscriberCsvFrom, type RejectedRow } from '../subscribers/subscriber-csv.js';
import type { ImportFiles } from './import-files.js';
import { FINISHED_IMPORT_STATUSES, type ImportRecord, type ImportStatus } from './subscriber-import.js';

export type ImportSliceDeps = Pick<Deps, 'audience' | 'audit' | 'clock' | 'config' | 'pseudonymizer' | 'imports'> & {
  files: ImportFiles;
};

export interface SliceOptions {
  /** The most rows this slice reads (batches are cut to it). */
  maxRows: number;
  /** Asked after each batch: true stops the slice there. */
  shouldStop?: () => boolean;
  limits?: ImportLimits;
}

export interface SliceOutcome {
  status: ImportStatus;
  /** Whether another slice is needed: the import is still importing and this slice stopped early. */
  more: boolean;
  /** Rows this slice read. */
  rows: number;
}

/** @throws NotFoundError when there is no such import. */
export async function importSlice(deps: ImportSliceDeps, importId: string, options: SliceOptions): Promise<SliceOutcome> {
  const limits = options.limits ?? IMPORT_LIMITS;
  const current = await deps.imports.getImport(importId);
  if (!current) throw new NotFoundError(`No import ${importId}`);
  if (FINISHED_IMPORT_STATUSES.includes(current.status)) return { status: current.status, more: false, rows: 0 };
  const { refused: listedBefore, ...stored } = current;
  let record: ImportRecord = stored;
  let listed = listedBefore.length;

  /** Saves `next` if no other slice moved the import; false when one did (this slice then stops). */
  const save = async (next: ImportRecord, newlyRefused: RejectedRow[] = []): Promise<boolean> => {
    const toList = newlyRefused.sort((a, b) => a.line - b.line).slice(0, Math.max(0, limits.listedRefusals - listed));
    const saved = await deps.imports.saveImportProgress({ ...next, updatedAt: deps.clock.now().toISOString() }, record, toList);
    if (saved) {
      record = next;
      listed += toList.length;
    }
    return saved;
  };
  const fail = async (error: LoaError): Promise<SliceOutcome> => {
    const at = deps.clock.now().toISOString();
    if (!(await save({ ...record, status: 'failed', error: error.message, finishedAt: at }))) return lost(record);
    await audit(deps, record.createdBy.id, 'subscribers.import-failed', 'subscribers', {
      importId,
      ...(record.fileName !== undefined && { fileName: record.fileName }),
      error: error.message,
    });
    return { status: 'failed', more: false, rows: 0 };
  };

  if (record.status === 'waiting-for-file') {
    let fileBytes = 0;
    const counted = async function* () {
      for await (const chunk of deps.files.read(importId, 0)) {
        fileBytes += chunk.byteLength;
        yield chunk;
      }
    };
    try {
      await checkImportFile({ read: counted }, limits);
    } catch (error) {
      if (error instanceof TooLargeError) return fail(error);
      throw error;
    }
    const at = deps.clock.now().toISOString();
    if (!(await save({ ...record, status: 'importing', startedAt: at, fileBytes }))) return lost(record);
  }

  const writer = new ImportBatchWriter(deps, record.createdBy, importId, record.fileName);
  const batchSize = Math.max(1, Math.min(BATCH, options.maxRows));
  let batch: ImportedRow[] = [];
  let refused: RejectedRow[] = [];
  let rowsInBatch = 0;
  let rows = 0;
  let header = record.header;
  let end: CsvPosition = { bytes: record.bytesRead, line: record.linesRead };

  /** Writes the batch and saves the import as standing at `end`; false when another slice moved it. */
  const flush = async (status: ImportStatus): Promise<boolean> => {
    const written = await writer.write(batch, (row) => refused.push(row));
    const at = deps.clock.now().toISOString();
    const next: ImportRecord = {
      ...record,
      status,
      ...(header && { header }),
      bytesRead: end.bytes,
      linesRead: end.line,
      rowsRead: record.rowsRead + rowsInBatch,
      imported: record.imported + written.inserted,
      updated: record.updated + written.updated,
      refusedCount: record.refusedCount + refused.length,
      ...(status === 'done' && { finishedAt: at }),
    };
    if (status === 'done') await auditDone(deps, record.createdBy, next);
    const saved = await save(next, refused);
    batch = [];
    refused = [];
    rowsInBatch = 0;
    return saved;
  };

  const atEnd = record.fileBytes !== undefined && record.bytesRead >= record.fileBytes;
  const input = atEnd ? empty() : deps.files.read(importId, record.bytesRead);
  const resume = header && record.bytesRead > 0 ? { header, at: end } : undefined;
  try {
    for await (const item of readSubscriberCsvFrom(input, resume)) {
      if (item.kind === 'header') header = item.columns;
      else if (item.kind === 'row') {
        rowsInBatch += 1;
        rows += 1;
        if (isRejected(item.row)) refused.push(item.row);
        else batch.push(writer.subscriberOf(item.row, deps.clock.now().toISOString()));
      }
      if (item.end === undefined) continue;
      end = item.end;
      if (batch.length + refused.length < batchSize) continue;
      if (!(await flush('importing'))) return lost(record);
      if (rows >= options.maxRows || options.shouldStop?.()) return { status: 'importing', more: true, rows };
    }
  } catch (error) {
    if (error instanceof ValidationError || error instanceof TooLargeError) return fail(error);
    throw error;
  }
  if (!(await flush('done'))) return lost(record);
  return { status: 'done', more: false, rows };
}

/** Another slice moved the import while this one worked: it goes on from there, this one stops. */
function lost(record: ImportRecord): SliceOutcome {
  return { status: record.status, more: false, rows: 0 };
}

async function* empty(): AsyncGenerator<Uint8Array> {}

/** The same entry as the synchronous import's, by whoever created the import. */
async function auditDone(deps: Pick<Deps, 'audit' | 'clock'>, by: Caller, done: ImportRecord): Promise<void> {
  await audit(deps, by.id, 'subscribers.imported', 'subscribers', {
    importId: done.id,
    ...(done.fileName !== undefined && { fileName: done.fileName }),
    imported: done.imported,
    updated: done.updated,
    refused: done.refusedCount,
  });
}
