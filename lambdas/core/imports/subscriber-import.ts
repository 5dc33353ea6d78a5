/**
 * An import of a subscriber file too large to import within one request: created first, the file then
 * uploaded where the runtime says (S3, or the embedded server itself), then imported in slices that each
 * read on from where the last one stopped. Its progress and its refused rows are kept here.
 */
import type { Caller } from '../auth/caller.js';
import type { RejectedRow } from '../subscribers/subscriber-csv.js';

export const IMPORT_STATUSES = ['waiting-for-file', 'importing', 'done', 'failed'] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];

/** Statuses an import leaves no more. */
export const FINISHED_IMPORT_STATUSES: readonly ImportStatus[] = ['done', 'failed'];

/** What is kept of an import, but its refused rows (kept apart, a batch at a time). */
export interface ImportRecord {
  id: string;
  status: ImportStatus;
  /** As the caller named the file; kept as the subscribers' source. */
  fileName?: string;
  /** Who created it: its roles decide the subscribers' source and, for a limited client, the areas it may import into. */
  createdBy: Caller;
  createdAt: string;
  updatedAt: string;
  /** When the file was found and the import began. */
  startedAt?: string;
  finishedAt?: string;
  /** The file's size, once it is there. */
  fileBytes?: number;
  /** Bytes of the file read and imported, always up to a row's end: the next slice reads on from here. */
  bytesRead: number;
  /** Lines of the file up to bytesRead, so that rows read later are named by their line in the file. */
  linesRead: number;
  /** The first line of the file, as read. */
  header?: string[];
  /** Rows read (imported, updated or refused). */
  rowsRead: number;
  imported: number;
  updated: number;
  /** Every refused row, listed or not. */
  refusedCount: number;
  /** Why the import failed (a file over a limit, a wrong header). */
  error?: string;
}

export interface SubscriberImport extends ImportRecord {
  /** The first refused rows by line (at most IMPORT_LIMITS.listedRefusals), with the reason. */
  refused: RejectedRow[];
}

/** Where an import stands, which a slice saving its progress expects to find unchanged. */
export type ImportPosition = Pick<ImportRecord, 'status' | 'bytesRead'>;
