import { pipeline } from 'node:stream/promises';
import { parse } from 'csv-parse';
import { TooLargeError } from '../errors.js';
import { type ImportLimits, overLimitMessage } from './import-limits.js';
import { CSV_OPTIONS, type RejectedRow } from './subscriber-csv.js';

/** An uploaded subscriber file. */
export interface ImportFile {
  /** As the caller named it; kept as the subscribers' source. */
  name?: string;
  /** The file from its start; the import reads it twice, to check it and then to import it. */
  read(): AsyncIterable<string | Uint8Array>;
}

/**
 * Reads the whole file without keeping any of it, so that a file over a limit is refused before a single
 * row is written. It only counts records, which is many times cheaper than reading subscribers (the
 * import's own pass checks the header before it writes anything).
 *
 * @throws TooLargeError past the byte or the row limit, as soon as it is passed.
 */
export async function checkImportFile(file: ImportFile, limits: ImportLimits): Promise<void> {
  let records = 0;
  await pipeline(withinBytes(file.read(), limits), parse(CSV_OPTIONS), async (parsed: AsyncIterable<string[]>) => {
    for await (const record of parsed) {
      if (record.every((field) => field.trim() === '')) continue;
      records += 1;
      // The first record is the header.
      if (records - 1 > limits.rows) throw new TooLargeError(overLimitMessage(limits, 'rows'));
    }
  });
}

async function* withinBytes(input: AsyncIterable<string | Uint8Array>, limits: ImportLimits): AsyncGenerator<Buffer> {
  let bytes = 0;
  for await (const chunk of input) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    bytes += buffer.byteLength;
    if (bytes > limits.bytes) throw new TooLargeError(overLimitMessage(limits, 'bytes'));
    yield buffer;
  }
}

/**
 * The refused rows of an import: every one counted, the first `listed` by line kept, so that the report
 * of a file of bad rows stays small. Rows arrive nearly in line order (an unknown area is found a batch
 * later), so the list is cut back whenever it doubles.
 */
export class RefusedRows {
  private rows: RejectedRow[] = [];
  private total = 0;

  constructor(private readonly listed: number) {}

  add(row: RejectedRow): void {
    this.total += 1;
    this.rows.push(row);
    if (this.rows.length >= 2 * this.listed) this.cut();
  }

  get count(): number {
    return this.total;
  }

  first(): RejectedRow[] {
    this.cut();
    return [...this.rows];
  }

  private cut(): void {
    this.rows.sort((a, b) => a.line - b.line);
    this.rows.length = Math.min(this.rows.length, this.listed);
  }
}
