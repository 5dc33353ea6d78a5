import type { Caller } from '../auth/caller.js';
import { audit } from '../audit/audit.js';
import type { Deps } from '../deps.js';
import { NotFoundError } from '../errors.js';
import type { Subscriber } from '../model.js';
import { maskPhone, normalizePhone } from './phone-number.js';
import { isRejected, readSubscriberCsv, type RejectedRow } from './subscriber-csv.js';

export interface ImportReport {
  imported: number;
  updated: number;
  rejected: RejectedRow[];
}

const BATCH = 1_000;

type ImportDeps = Pick<Deps, 'audience' | 'audit' | 'clock'>;

/**
 * Streams a subscriber CSV into the store in batches, upserting by phone. Every row is either counted
 * or reported back with its line and reason.
 */
export async function importSubscribers(deps: ImportDeps, caller: Caller, csv: AsyncIterable<string | Uint8Array>): Promise<ImportReport> {
  const report: ImportReport = { imported: 0, updated: 0, rejected: [] };
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
      if (path === undefined) report.rejected.push({ line, reason: `unknown area "${subscriber.areaCode}"` });
      else accepted.push({ ...subscriber, areaPath: path });
    }
    const counts = await deps.audience.upsertSubscribers(accepted);
    report.imported += counts.inserted;
    report.updated += counts.updated;
    batch = [];
  };

  const updatedAt = deps.clock.now().toISOString();
  for await (const row of readSubscriberCsv(csv)) {
    if (isRejected(row)) {
      report.rejected.push(row);
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
        updatedAt,
        ...(row.carrier && { carrier: row.carrier }),
      },
    });
    if (batch.length >= BATCH) await flush();
  }
  if (batch.length > 0) await flush();
  report.rejected.sort((a, b) => a.line - b.line);

  await audit(deps, caller.id, 'subscribers.imported', 'subscribers', {
    imported: report.imported,
    updated: report.updated,
    rejected: report.rejected.length,
  });
  return report;
}

export async function getSubscriber(deps: ImportDeps, phoneInput: string): Promise<Subscriber & { optedOut: boolean }> {
  const phone = normalizePhone(phoneInput);
  const subscriber = phone.ok ? await deps.audience.getSubscriber(phone.e164) : undefined;
  if (!phone.ok || !subscriber) throw new NotFoundError(`No subscriber ${phone.ok ? maskPhone(phone.e164) : phoneInput}`);
  return { ...subscriber, optedOut: (await deps.audience.getOptOut(subscriber.phone)) !== undefined };
}
