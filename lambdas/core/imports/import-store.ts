import type { RejectedRow } from '../subscribers/subscriber-csv.js';
import type { ImportPosition, ImportRecord, SubscriberImport } from './subscriber-import.js';

/** Where imports and their refused rows are kept. */
export interface ImportStore {
  /** @throws ConflictError when an import with its id exists. */
  insertImport(record: ImportRecord): Promise<void>;
  /** The import with its listed refused rows, by line. */
  getImport(id: string): Promise<SubscriberImport | undefined>;
  /**
   * Replaces the import with `next` and adds `newlyRefused` to its listed refused rows, in one write, only
   * if it still stands at `from` (status and bytes read): false, and nothing written, when another slice
   * moved it since. A slice that repeats a batch after a crash thus never counts its rows twice.
   */
  saveImportProgress(next: ImportRecord, from: ImportPosition, newlyRefused: RejectedRow[]): Promise<boolean>;
}
