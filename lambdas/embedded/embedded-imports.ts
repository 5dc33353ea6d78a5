/**
 * Imports in slices in the embedded runtime: the file is PUT to the server itself (PUT
 * /v1/imports/{id}/file, streamed with the server's CSV limits, spooled-upload.ts), kept in
 * DATA_DIR/imports/<id>.csv (0600, the folder 0700: it holds phone numbers) and imported in the background,
 * slice after slice, between the runtime's other work. A file is written under a temporary name and
 * renamed once whole, so a file there is a whole file: at start every one left is imported on from where
 * its import stands, and deleted once the import is done or failed.
 */
import { createReadStream } from 'node:fs';
import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ConflictError, NotFoundError, TooLargeError } from '../core/errors.js';
import type { ImportFiles, ImportUploads, UploadTarget } from '../core/imports/import-files.js';
import { importSlice, type ImportSliceDeps } from '../core/imports/import-slice.js';
import { IMPORT_LIMITS, overLimitMessage } from '../core/subscribers/import-limits.js';
import { workerLoop } from './worker-loop.js';

/** Rows a slice imports before the loop lets the sender and the API have the event loop. */
const SLICE_ROWS = 10_000;
const IDLE_MS = 1_000;
const FILE = /^(imp_[0-9a-z]+)\.csv$/;

export class EmbeddedImports implements ImportUploads, ImportFiles {
  private readonly folder: string;
  private loop: ReturnType<typeof workerLoop> | undefined;

  /** `publicUrl`: the server's address as links name it, once known (else the upload URL is a path). */
  constructor(
    dataDir: string,
    private readonly publicUrl: () => string | undefined,
  ) {
    this.folder = join(dataDir, 'imports');
  }

  async uploadFor(importId: string): Promise<UploadTarget> {
    const path = `/v1/imports/${encodeURIComponent(importId)}/file`;
    return { method: 'PUT', url: `${this.publicUrl() ?? ''}${path}`, headers: { 'content-type': 'text/csv' } };
  }

  async receive(importId: string, file: AsyncIterable<string | Uint8Array>): Promise<void> {
    await mkdir(this.folder, { recursive: true, mode: 0o700 });
    const whole = this.pathOf(importId);
    if (await exists(whole)) throw new ConflictError(`Import ${importId} already has its file`);
    const partial = `${whole}.part`;
    const out = await open(partial, 'w', 0o600);
    let bytes = 0;
    try {
      for await (const chunk of file) {
        const buffer = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
        bytes += buffer.byteLength;
        // The server refuses a larger body already; this holds for any other caller.
        if (bytes > IMPORT_LIMITS.bytes) throw new TooLargeError(overLimitMessage(IMPORT_LIMITS, 'bytes'));
        await out.write(buffer);
      }
      await out.sync();
    } catch (error) {
      await out.close();
      await rm(partial, { force: true });
      throw error;
    }
    await out.close();
    await rename(partial, whole);
    this.loop?.wake();
  }

  read(importId: string, from: number): AsyncIterable<Uint8Array> {
    return createReadStream(this.pathOf(importId), { start: from });
  }

  /** Imports every file there is, a slice at a time, until stop(). */
  start(deps: Omit<ImportSliceDeps, 'files'>, onError: (error: unknown) => void): void {
    const sliceDeps: ImportSliceDeps = { ...deps, files: this };
    this.loop = workerLoop(
      async () => {
        let worked = false;
        for (const importId of await this.waiting()) {
          const outcome = await importSlice(sliceDeps, importId, { maxRows: SLICE_ROWS }).catch((error: unknown) => {
            // A file whose import is gone (a data folder copied without its database) is only in the way.
            if (error instanceof NotFoundError) return { more: false, status: 'failed' as const };
            throw error;
          });
          if (!outcome.more && outcome.status !== 'importing') await rm(this.pathOf(importId), { force: true });
          worked ||= outcome.more;
        }
        return worked;
      },
      IDLE_MS,
      onError,
    );
  }

  async stop(): Promise<void> {
    await this.loop?.stop();
  }

  private async waiting(): Promise<string[]> {
    try {
      return (await readdir(this.folder)).flatMap((name) => FILE.exec(name)?.[1] ?? []);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
  }

  private pathOf(importId: string): string {
    if (!/^imp_[0-9a-z]+$/.test(importId)) throw new Error(`not an import id: ${importId}`);
    return join(this.folder, `${importId}.csv`);
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
