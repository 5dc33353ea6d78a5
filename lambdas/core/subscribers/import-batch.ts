import type { Caller } from '../auth/caller.js';
import { importAreaRefusal } from '../auth/client-limits.js';
import type { Deps } from '../deps.js';
import type { Subscriber, SubscriberSource } from '../model.js';
import { restoreErasedOptOuts } from '../privacy/erased-opt-outs.js';
import { quoteInput } from './import-limits.js';
import type { RejectedRow, SubscriberRow } from './subscriber-csv.js';

export type ImportBatchDeps = Pick<Deps, 'audience' | 'audit' | 'clock' | 'config' | 'pseudonymizer'>;

/** A row read from the file, as the subscriber it would write (its area path still to be found). */
export interface ImportedRow {
  line: number;
  subscriber: Subscriber;
}

/**
 * Writes the rows of one import in batches, as both imports do (the synchronous one and the one in
 * slices), so that both refuse and accept the same rows: each area is looked up once per import, a row
 * in an unknown area or one outside the caller's areas is refused, erased numbers keep their opt-out,
 * and subscribers are upserted by phone.
 */
export class ImportBatchWriter {
  private readonly areaPaths = new Map<string, string | undefined>();
  readonly source: SubscriberSource;

  constructor(
    private readonly deps: ImportBatchDeps,
    private readonly caller: Caller,
    importId: string,
    fileName: string | undefined,
  ) {
    this.source = sourceOf(caller, importId, fileName);
  }

  /** The subscriber a row writes, imported at `at`. */
  subscriberOf(row: SubscriberRow, at: string): ImportedRow {
    return {
      line: row.line,
      subscriber: {
        phone: row.phone,
        areaCode: row.area,
        areaPath: '',
        tags: row.tags,
        carrierSource: row.carrierSource,
        updatedAt: at,
        source: this.source,
        sourcedAt: at,
        ...(row.carrier && { carrier: row.carrier }),
      },
    };
  }

  /** Writes the batch; the rows refused go to `refuse`. */
  async write(batch: ImportedRow[], refuse: (row: RejectedRow) => void): Promise<{ inserted: number; updated: number }> {
    const codes = [...new Set(batch.map((row) => row.subscriber.areaCode))].filter((code) => !this.areaPaths.has(code));
    if (codes.length > 0) {
      const found = new Map((await this.deps.audience.getAreas(codes)).map((area) => [area.code, area.path]));
      for (const code of codes) this.areaPaths.set(code, found.get(code));
    }
    const accepted: Subscriber[] = [];
    for (const { line, subscriber } of batch) {
      const path = this.areaPaths.get(subscriber.areaCode);
      const outside = path === undefined ? undefined : importAreaRefusal(this.deps.config.integrationClients, this.caller, path);
      if (path === undefined) refuse({ line, reason: `unknown area ${quoteInput(subscriber.areaCode)}` });
      else if (outside) refuse({ line, reason: outside });
      else accepted.push({ ...subscriber, areaPath: path });
    }
    if (accepted.length === 0) return { inserted: 0, updated: 0 };
    await restoreErasedOptOuts(
      this.deps,
      accepted.map((subscriber) => subscriber.phone),
    );
    return this.deps.audience.upsertSubscribers(accepted);
  }
}

/** A caller acting only as an integration is a client system; anyone else is staff importing a file. */
function sourceOf(caller: Caller, importId: string, fileName: string | undefined): SubscriberSource {
  const named = fileName !== undefined ? { fileName } : {};
  if (caller.roles.includes('integration') && !caller.roles.includes('operator')) {
    return { kind: 'integration', clientId: caller.id, importId, ...named };
  }
  return { kind: 'import', importId, ...named };
}
