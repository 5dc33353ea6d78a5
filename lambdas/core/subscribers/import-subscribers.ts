import type { Caller } from '../auth/caller.js';
import { audit } from '../audit/audit.js';
import type { Deps } from '../deps.js';
import { NotFoundError } from '../errors.js';
import { newId } from '../ids.js';
import type { Subscriber } from '../model.js';
import { checkImportFile, type ImportFile, RefusedRows } from './import-file.js';
import { ImportBatchWriter, type ImportedRow } from './import-batch.js';
import { IMPORT_LIMITS, type ImportLimits } from './import-limits.js';
import { maskPhone, normalizePhone } from './phone-number.js';
import { isRejected, readSubscriberCsv, type RejectedRow } from './subscriber-csv.js';

export type { ImportFile } from './import-file.js';

export interface ImportReport {
  importId: string;
  fileName?: string;
  imported: number;
  updated: number;
  /** Every refused row, listed or not. */
  refusedCount: number;
  /** The first refused rows by line (at most IMPORT_LIMITS.listedRefusals), with the reason. */
  refused: RejectedRow[];
}

/** Rows written at once; the import in slices saves its progress after each batch of as many. */
export const BATCH = 1_000;

type ImportDeps = Pick<Deps, 'audience' | 'audit' | 'clock' | 'config' | 'pseudonymizer'>;

/**
 * Imports a subscriber CSV into the store in batches, upserting by phone; each subscriber written names
 * this import as its source. The file is read twice: first whole, to refuse it before anything is written
 * when it is over a limit (TooLargeError) or its header is wrong (ValidationError), then to import it.
 * Every row is either counted or refused with its line and reason.
 */
export async function importSubscribers(
  deps: ImportDeps,
  caller: Caller,
  file: ImportFile,
  limits: ImportLimits = IMPORT_LIMITS,
): Promise<ImportReport> {
  await checkImportFile(file, limits);
  const now = deps.clock.now();
  const importId = newId('imp', now);
  const writer = new ImportBatchWriter(deps, caller, importId, file.name);
  const refused = new RefusedRows(limits.listedRefusals);
  const counts = { imported: 0, updated: 0 };
  let batch: ImportedRow[] = [];

  const flush = async () => {
    const written = await writer.write(batch, (row) => refused.add(row));
    counts.imported += written.inserted;
    counts.updated += written.updated;
    batch = [];
  };

  const at = now.toISOString();
  for await (const row of readSubscriberCsv(file.read())) {
    if (isRejected(row)) {
      refused.add(row);
      continue;
    }
    batch.push(writer.subscriberOf(row, at));
    if (batch.length >= BATCH) await flush();
  }
  if (batch.length > 0) await flush();

  const report: ImportReport = {
    importId,
    ...(file.name !== undefined && { fileName: file.name }),
    ...counts,
    refusedCount: refused.count,
    refused: refused.first(),
  };
  await audit(deps, caller.id, 'subscribers.imported', 'subscribers', {
    importId,
    ...(file.name !== undefined && { fileName: file.name }),
    ...counts,
    refused: refused.count,
  });
  return report;
}

export async function getSubscriber(deps: ImportDeps, phoneInput: string): Promise<Subscriber & { optedOut: boolean }> {
  const phone = normalizePhone(phoneInput);
  const subscriber = phone.ok ? await deps.audience.getSubscriber(phone.e164) : undefined;
  if (!phone.ok || !subscriber) throw new NotFoundError(`No subscriber ${phone.ok ? maskPhone(phone.e164) : phoneInput}`);
  return { ...subscriber, optedOut: (await deps.audience.getOptOut(subscriber.phone)) !== undefined };
}
