import type { Caller } from '../auth/caller.js';
import { audit } from '../audit/audit.js';
import { importAreaRefusal } from '../auth/client-limits.js';
import type { Deps } from '../deps.js';
import { NotFoundError } from '../errors.js';
import { newId } from '../ids.js';
import { restoreErasedOptOuts } from '../privacy/erased-opt-outs.js';
import type { Subscriber, SubscriberSource } from '../model.js';
import { checkImportFile, type ImportFile, RefusedRows } from './import-file.js';
import { IMPORT_LIMITS, type ImportLimits, quoteInput } from './import-limits.js';
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

const BATCH = 1_000;

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
  const source = sourceOf(caller, importId, file.name);
  const refused = new RefusedRows(limits.listedRefusals);
  const counts = { imported: 0, updated: 0 };
  const areaPaths = new Map<string, string | undefined>();
  let batch: { line: number; subscriber: Subscriber }[] = [];

  const flush = async () => {
    const codes = [...new Set(batch.map((row) => row.subscriber.areaCode))].filter((code) => !areaPaths.has(code));
    if (codes.length > 0) {
      const found = new Map((await deps.audience.getAreas(codes)).map((area) => [area.code, area.path]));
      for (const code of codes) areaPaths.set(code, found.get(code));
    }
    const accepted: Subscriber[] = [];
    for (const { line, subscriber } of batch) {
      const path = areaPaths.get(subscriber.areaCode);
      const outside = path === undefined ? undefined : importAreaRefusal(deps.config.integrationClients, caller, path);
      if (path === undefined) refused.add({ line, reason: `unknown area ${quoteInput(subscriber.areaCode)}` });
      else if (outside) refused.add({ line, reason: outside });
      else accepted.push({ ...subscriber, areaPath: path });
    }
    await restoreErasedOptOuts(
      deps,
      accepted.map((subscriber) => subscriber.phone),
    );
    const written = await deps.audience.upsertSubscribers(accepted);
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
    batch.push({
      line: row.line,
      subscriber: {
        phone: row.phone,
        areaCode: row.area,
        areaPath: '',
        tags: row.tags,
        carrierSource: row.carrierSource,
        updatedAt: at,
        source,
        sourcedAt: at,
        ...(row.carrier && { carrier: row.carrier }),
      },
    });
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

/** A caller acting only as an integration is a client system; anyone else is staff importing a file. */
function sourceOf(caller: Caller, importId: string, fileName: string | undefined): SubscriberSource {
  const named = fileName !== undefined ? { fileName } : {};
  if (caller.roles.includes('integration') && !caller.roles.includes('operator')) {
    return { kind: 'integration', clientId: caller.id, importId, ...named };
  }
  return { kind: 'import', importId, ...named };
}

export async function getSubscriber(deps: ImportDeps, phoneInput: string): Promise<Subscriber & { optedOut: boolean }> {
  const phone = normalizePhone(phoneInput);
  const subscriber = phone.ok ? await deps.audience.getSubscriber(phone.e164) : undefined;
  if (!phone.ok || !subscriber) throw new NotFoundError(`No subscriber ${phone.ok ? maskPhone(phone.e164) : phoneInput}`);
  return { ...subscriber, optedOut: (await deps.audience.getOptOut(subscriber.phone)) !== undefined };
}
