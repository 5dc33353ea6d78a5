/**
 * Imports in slices on AWS: the caller PUTs the file straight to S3 with a presigned URL (the API never
 * carries it), at `imports/<id>.csv` of the import bucket; the import Lambda reads it from a byte on with a
 * Range GET, streamed. The bucket deletes the files after a week.
 *
 * The upload is write-once (`If-None-Match: *`, signed): a second PUT to the URL within its 15 minutes is
 * refused by S3 (412), so the file cannot change under the slices that read it on from a byte offset.
 */
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { ImportFiles, ImportUploads, UploadTarget } from '../../core/imports/import-files.js';
import type { Clock } from '../../core/ports.js';

/** How long a presigned URL takes the file. */
export const UPLOAD_URL_SECONDS = 15 * 60;
const CSV = 'text/csv';
const KEY = /^imports\/(imp_[0-9a-z]+)\.csv$/;

/** The object key of an import's file. */
export function importKey(importId: string): string {
  return `imports/${importId}.csv`;
}

/** The import an object key is the file of, or undefined for any other key. */
export function importIdOfKey(key: string): string | undefined {
  return KEY.exec(key)?.[1];
}

export class S3ImportUploads implements ImportUploads {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
    private readonly clock: Clock,
  ) {}

  async uploadFor(importId: string): Promise<UploadTarget> {
    const put = new PutObjectCommand({ Bucket: this.bucket, Key: importKey(importId), ContentType: CSV, IfNoneMatch: '*' });
    const url = await getSignedUrl(this.s3, put, { expiresIn: UPLOAD_URL_SECONDS });
    const expiresAt = new Date(this.clock.now().getTime() + UPLOAD_URL_SECONDS * 1000).toISOString();
    return { method: 'PUT', url, headers: { 'content-type': CSV, 'if-none-match': '*' }, expiresAt };
  }
}

export class S3ImportFiles implements ImportFiles {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  async *read(importId: string, from: number): AsyncGenerator<Uint8Array> {
    const answer = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: importKey(importId), Range: `bytes=${from}-` }));
    const body = answer.Body as AsyncIterable<Uint8Array> & { destroy?: () => void };
    if (!body) return;
    try {
      yield* body;
    } finally {
      // A slice that stops early leaves the rest unread: the connection is let go, not drained.
      body.destroy?.();
    }
  }
}
