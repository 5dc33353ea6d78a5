/** Where the file of an import is sent, and read from: S3 on AWS, the data folder in the embedded runtime. */

/** How the caller sends the file: a PUT of the CSV to `url`, with these headers. */
export interface UploadTarget {
  method: 'PUT';
  url: string;
  headers: Record<string, string>;
  /** Until when the URL takes the file, where it expires (a presigned URL). */
  expiresAt?: string;
}

export interface ImportUploads {
  uploadFor(importId: string): Promise<UploadTarget>;
  /**
   * Takes the file sent to the API itself and starts its import (the embedded runtime). Undefined where
   * files go elsewhere (S3).
   * @throws TooLargeError past the import's byte limit; ConflictError when the import already has its file.
   */
  receive?(importId: string, file: AsyncIterable<string | Uint8Array>): Promise<void>;
}

export interface ImportFiles {
  /** The import's file from byte `from` to its end, as it is read (never whole in memory). */
  read(importId: string, from: number): AsyncIterable<Uint8Array>;
}
