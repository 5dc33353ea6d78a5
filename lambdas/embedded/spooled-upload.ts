/**
 * A CSV upload as the import reads it: twice, first to check the whole file, then to import it. The first
 * read streams from the socket with backpressure and copies each chunk to a file in a private temporary
 * folder (0700, the file 0600: it holds phone numbers); later reads read the copy. Past `maxBytes` the read
 * fails with a TooLargeError and nothing more is taken from the socket, so an upload of any size costs at
 * most `maxBytes` of disk and a few chunks of memory.
 */
import { createReadStream } from 'node:fs';
import { mkdtemp, open, rm } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TooLargeError } from '../core/errors.js';
import { IMPORT_LIMITS, overLimitMessage } from '../core/subscribers/import-limits.js';

export class SpooledUpload {
  private folder: string | undefined;
  private state: 'unread' | 'reading' | 'read' | 'abandoned' | 'disposed' = 'unread';

  constructor(
    private readonly req: IncomingMessage,
    private readonly maxBytes: number = IMPORT_LIMITS.bytes,
  ) {}

  /** The upload from its start: from the socket the first time, from the copy once that read has ended. */
  readonly read = (): AsyncIterable<Uint8Array> => {
    if (this.state === 'unread') {
      this.state = 'reading';
      return this.readSocket();
    }
    if (this.state === 'read' && this.folder !== undefined) return createReadStream(this.copyPath(this.folder));
    throw new Error('an upload can be read again only after it has been read to its end');
  };

  /** Removes the copy, once the import is done with it; a read still under way then makes none. */
  async dispose(): Promise<void> {
    this.state = 'disposed';
    if (this.folder !== undefined) await rm(this.folder, { recursive: true, force: true });
  }

  private async *readSocket(): AsyncGenerator<Uint8Array> {
    const folder = await mkdtemp(join(tmpdir(), 'loa-upload-'));
    if (this.state === 'disposed') {
      await rm(folder, { recursive: true, force: true });
      return;
    }
    this.folder = folder;
    const copy = await open(this.copyPath(folder), 'wx', 0o600);
    let bytes = 0;
    try {
      for await (const chunk of bodyChunks(this.req)) {
        bytes += chunk.byteLength;
        if (bytes > this.maxBytes) throw new TooLargeError(overLimitMessage(IMPORT_LIMITS, 'bytes'));
        await copy.write(chunk);
        yield chunk;
      }
      if (this.state === 'reading') this.state = 'read';
    } finally {
      await copy.close();
      if (this.state === 'reading') this.state = 'abandoned';
    }
  }

  private copyPath(folder: string): string {
    return join(folder, 'upload.csv');
  }
}

/**
 * The body as it arrives, with backpressure. Unlike the request's own async iterator, abandoning this one
 * (an import that fails on its header or a limit) does not destroy the socket, so the error can still be
 * answered; the server then decides whether to drain the rest or close.
 */
function bodyChunks(req: IncomingMessage): AsyncIterable<Uint8Array> {
  const HIGH_WATER = 16;
  return {
    [Symbol.asyncIterator]() {
      const queue: Buffer[] = [];
      let ended = false;
      let failure: Error | undefined;
      let detached = false;
      let wake: (() => void) | undefined;
      const notify = () => {
        wake?.();
        wake = undefined;
      };
      req.on('data', (chunk: Buffer) => {
        if (detached) return;
        queue.push(chunk);
        if (queue.length >= HIGH_WATER) req.pause();
        notify();
      });
      req.once('end', () => {
        ended = true;
        notify();
      });
      req.once('error', (error) => {
        failure = error;
        notify();
      });
      return {
        async next(): Promise<IteratorResult<Uint8Array>> {
          for (;;) {
            const chunk = queue.shift();
            if (chunk) return { value: chunk, done: false };
            if (failure) throw failure;
            if (ended) return { value: undefined, done: true };
            req.resume();
            await new Promise<void>((resolve) => (wake = resolve));
          }
        },
        async return(): Promise<IteratorResult<Uint8Array>> {
          detached = true;
          queue.length = 0;
          req.pause();
          return { value: undefined, done: true };
        },
      };
    },
  };
}
