import { type CsvError, parse } from 'csv-parse/stream';
import { ValidationError } from '../errors.js';
import { type Carrier, CARRIERS, parseCarrier } from './carriers.js';
import { quoteInput, TAG_LIMITS } from './import-limits.js';
import { normalizePhone } from './phone-number.js';

/**
 * One subscriber read from an import file. The area is only checked for presence here: whether it exists
 * is for the import use case to ask the store.
 */
export interface SubscriberRow {
  /** 1-based line of the file where the row starts; the header is line 1. */
  line: number;
  /** E.164. */
  phone: string;
  area: string;
  tags: string[];
  /** The carrier column when it is filled in, else the guess from the prefix, else undefined. */
  carrier: Carrier | undefined;
  carrierSource: 'explicit' | 'prefix' | 'unknown';
}

/** A line of an import file that cannot become a subscriber, with the reason in words for whoever made the file. */
export interface RejectedRow {
  line: number;
  reason: string;
}

export function isRejected(row: SubscriberRow | RejectedRow): row is RejectedRow {
  return 'reason' in row;
}

/**
 * Beyond this many bytes a row is taken to be an unclosed quote swallowing the rest of the file, and is
 * dropped rather than buffered: real subscriber rows are a few hundred bytes.
 */
const MAX_ROW_BYTES = 64 * 1024;

const TAG_SEPARATOR = ';';

/** How csv-parse reads an import file, here and where the import counts its rows. */
export const CSV_OPTIONS = {
  bom: true,
  relax_column_count: true,
  relax_quotes: true,
  skip_empty_lines: true,
  skip_records_with_error: true,
  max_record_size: MAX_ROW_BYTES,
} as const;

/**
 * Reads a subscriber import file one row at a time, so a file of a million rows never sits in memory.
 * The first line must name the columns phone, area and tags, and may name carrier; names are matched
 * without regard to case or surrounding spaces, and other columns are ignored. Each further row comes
 * out as a SubscriberRow or, when it cannot be one, a RejectedRow saying why; rows with nothing in them
 * are skipped. A stray quote inside a value is kept as text rather than failing the rest of the file.
 *
 * @throws ValidationError (field `header`) if the file is empty or its first line lacks a required column.
 */
export async function* readSubscriberCsv(input: AsyncIterable<string | Buffer | Uint8Array>): AsyncGenerator<SubscriberRow | RejectedRow> {
  for await (const item of readSubscriberCsvFrom(input)) if (item.kind === 'row') yield item.row;
}

/** Where a record of the file ends: the bytes from the file's start to past its line break, and its last line. */
export interface CsvPosition {
  bytes: number;
  line: number;
}

/** What an import that stopped at a record's end needs to read on from there: the header it read, and where. */
export interface CsvResume {
  header: string[];
  at: CsvPosition;
}

/**
 * What readSubscriberCsvFrom reads, in file order: the header, then each row with where its record ends
 * (none for a stretch csv-parse could not read, which ends no record), and rows with nothing in them.
 */
export type CsvItem =
  | { kind: 'header'; columns: string[]; end: CsvPosition }
  | { kind: 'row'; row: SubscriberRow | RejectedRow; end?: CsvPosition }
  | { kind: 'blank'; end: CsvPosition };

/**
 * readSubscriberCsv with the position after each record, so that an import can stop at a record's end
 * and read on later from that byte (`input` then starts there, and `resume` gives the header and the
 * lines before). Rows come out with the same checks, lines and reasons as from the start.
 */
export async function* readSubscriberCsvFrom(
  input: AsyncIterable<string | Buffer | Uint8Array>,
  resume?: CsvResume,
): AsyncGenerator<CsvItem> {
  const lines = new LineCounter(resume?.at.line ?? 0);
  const skipped = new SkippedStretches(lines);
  const records = ReadableStream.from(asBuffers(input)).pipeThrough(
    parse({
      ...CSV_OPTIONS,
      // A file read on from the middle has no byte order mark; a row cannot start with one either.
      bom: resume === undefined,
      info: true,
      on_skip: (error) => {
        if (error !== undefined) skipped.add(error);
      },
    }),
  ) as ReadableStream<ParsedRecord>;

  const offset = resume?.at.bytes ?? 0;
  let columns: ColumnPositions | undefined = resume && findColumns(resume.header);
  for await (const { record, info } of records) {
    for (const row of skipped.rejectionsBefore(info.records)) yield { kind: 'row', row };
    const line = lines.startOf(record, info.empty_lines);
    const end = { bytes: offset + info.bytes, line: lines.last };
    if (columns === undefined) {
      columns = findColumns(record);
      yield { kind: 'header', columns: record, end };
      continue;
    }
    const row = readRow(record, line, columns);
    yield row === undefined ? { kind: 'blank', end } : { kind: 'row', row, end };
  }
  for (const row of skipped.rejectionsBefore(Number.POSITIVE_INFINITY)) yield { kind: 'row', row };
  if (columns === undefined) {
    throw ValidationError.field('header', 'the file has no header line; its first line must name the columns phone, area and tags');
  }
}

/** What csv-parse gives for each record with `info: true`: the fields and its counters at that point. */
interface ParsedRecord {
  record: string[];
  /** `bytes`: read so far, up to past the record's line break. */
  info: { records: number; empty_lines: number; bytes: number };
}

/**
 * csv-parse's web stream wants Buffers (it joins leftovers with Buffer.concat). It works on bytes and
 * decodes each field itself, so a character split across two chunks survives.
 */
async function* asBuffers(input: AsyncIterable<string | Buffer | Uint8Array>): AsyncGenerator<Buffer> {
  for await (const chunk of input) {
    yield typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  }
}

/**
 * Finds the line each record starts on. csv-parse only knows the line a record ends on, and counts a CRLF
 * inside quotes as two lines, so we count for ourselves: a record starts on the line after the previous
 * one ended, past any empty lines csv-parse skipped, and ends as many lines later as it holds line breaks.
 */
class LineCounter {
  private emptyLines = 0;

  /** `lastLine`: the lines before the part of the file read. */
  constructor(private lastLine: number) {}

  /** The last line of the last record or stretch read. */
  get last(): number {
    return this.lastLine;
  }

  startOf(record: string[], emptyLinesSoFar: number): number {
    const first = this.firstLineAfter(emptyLinesSoFar);
    this.lastLine = first + record.reduce((breaks, field) => breaks + countLineBreaks(field), 0);
    return first;
  }

  /** A skipped stretch has no fields to count line breaks in, so we trust csv-parse's line count for its end. */
  startOfSkipped(stretch: SkippedStretch): number {
    const first = this.firstLineAfter(stretch.emptyLinesBefore);
    this.lastLine = Math.max(first, stretch.lastLine);
    return first;
  }

  private firstLineAfter(emptyLinesSoFar: number): number {
    const first = this.lastLine + 1 + emptyLinesSoFar - this.emptyLines;
    this.emptyLines = emptyLinesSoFar;
    return first;
  }
}

function countLineBreaks(text: string): number {
  return text.match(/\r\n|\r|\n/g)?.length ?? 0;
}

/** A part of the file csv-parse could not read as a record, with its counters at the moment it gave up. */
interface SkippedStretch {
  recordsBefore: number;
  emptyLinesBefore: number;
  lastLine: number;
  reason: string;
}

/**
 * Holds the syntax errors csv-parse reports through its callback while it runs ahead of us, until the
 * rows before them have come out, so that everything is yielded in file order.
 */
class SkippedStretches {
  private readonly waiting: SkippedStretch[] = [];
  private lastReported: number | undefined;

  constructor(private readonly lines: LineCounter) {}

  add(error: CsvError): void {
    this.waiting.push({
      recordsBefore: Number(error.records),
      emptyLinesBefore: Number(error.empty_lines),
      lastLine: Number(error.lines),
      reason: describeSyntaxError(error),
    });
  }

  /** The rejections for the stretches that came before the record with this 1-based number. */
  *rejectionsBefore(recordNumber: number): Generator<RejectedRow> {
    while (this.waiting.length > 0 && (this.waiting[0] as SkippedStretch).recordsBefore < recordNumber) {
      const stretch = this.waiting.shift() as SkippedStretch;
      const line = this.lines.startOfSkipped(stretch);
      // csv-parse reports one broken stretch once per chunk it reads into it; one rejection is enough.
      if (stretch.recordsBefore !== this.lastReported) {
        this.lastReported = stretch.recordsBefore;
        yield { line, reason: stretch.reason };
      }
    }
  }
}

function describeSyntaxError(error: CsvError): string {
  switch (error.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'a quote opened on this line is never closed, so the rest of the file could not be read';
    case 'CSV_MAX_RECORD_SIZE':
      return (
        `the row starting on this line runs past ${MAX_ROW_BYTES} bytes, probably because a quote is not closed; ` +
        'the rows after it may be lost'
      );
    default:
      // csv-parse's own message may quote the whole row; its code says enough.
      return `this line is not valid CSV (${error.code})`;
  }
}

const REQUIRED_COLUMNS = ['phone', 'area', 'tags'] as const;
const OPTIONAL_COLUMNS = ['carrier'] as const;

/** Where each column we read sits in a row, and how many fields every row must have. */
interface ColumnPositions {
  phone: number;
  area: number;
  tags: number;
  carrier: number | undefined;
  width: number;
}

function findColumns(header: string[]): ColumnPositions {
  const names = header.map((name) => name.trim().toLowerCase());
  for (const column of [...REQUIRED_COLUMNS, ...OPTIONAL_COLUMNS]) {
    if (names.indexOf(column) !== names.lastIndexOf(column)) {
      throw ValidationError.field('header', `the column "${column}" appears more than once`);
    }
  }
  const missing = REQUIRED_COLUMNS.filter((column) => !names.includes(column));
  if (missing.length > 0) {
    throw ValidationError.field(
      'header',
      `the first line lacks the column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}; ` +
        'it must name the columns phone, area and tags, separated by commas (carrier is optional)',
    );
  }
  const carrier = names.indexOf('carrier');
  return {
    phone: names.indexOf('phone'),
    area: names.indexOf('area'),
    tags: names.indexOf('tags'),
    carrier: carrier === -1 ? undefined : carrier,
    width: header.length,
  };
}

/**
 * Turns one record into a subscriber or a rejection; undefined for a row with nothing in it, such as
 * the `,,,` lines spreadsheets leave below the data.
 */
function readRow(record: string[], line: number, columns: ColumnPositions): SubscriberRow | RejectedRow | undefined {
  if (record.every((field) => field.trim() === '')) return undefined;
  if (record.length !== columns.width) {
    return { line, reason: `wrong number of columns: expected ${columns.width}, found ${record.length}` };
  }
  // NFC, as all text received (lambdas/http/nfc-text.ts): a tag typed decomposed matches the same tag typed precomposed.
  const field = (position: number): string => (record[position] ?? '').trim().normalize('NFC');
  const spanningLines = (['phone', 'area', 'tags', 'carrier'] as const).find((column) => {
    const position = columns[column];
    return position !== undefined && countLineBreaks(field(position)) > 0;
  });
  if (spanningLines !== undefined) {
    const reason = `the ${spanningLines} value runs over several lines; a closing quote is probably missing`;
    return { line, reason };
  }

  const phone = field(columns.phone);
  if (phone === '') return { line, reason: 'missing phone number' };
  // The phone parser quotes what it was given; nothing this long is a number, so it is not asked.
  if (phone.length > LONGEST_PHONE_INPUT) return { line, reason: `invalid phone number ${quoteInput(phone)}: it is far too long` };
  const normalized = normalizePhone(phone);
  if (!normalized.ok) return { line, reason: normalized.message };

  const area = field(columns.area);
  if (area === '') return { line, reason: 'missing area' };

  const tags = readTags(field(columns.tags));
  const tagProblem = checkTags(tags);
  if (tagProblem !== undefined) return { line, reason: tagProblem };

  const subscriber = { line, phone: normalized.e164, area, tags };
  const explicitCarrier = columns.carrier === undefined ? '' : field(columns.carrier);
  if (explicitCarrier === '') {
    const guess = normalized.carrier;
    return { ...subscriber, carrier: guess, carrierSource: guess === undefined ? 'unknown' : 'prefix' };
  }
  const carrier = parseCarrier(explicitCarrier);
  if (carrier === undefined) {
    const expected = `expected one of ${CARRIERS.join(', ')} or leave it empty`;
    return { line, reason: `unknown carrier ${quoteInput(explicitCarrier)}; ${expected}` };
  }
  return { ...subscriber, carrier, carrierSource: 'explicit' };
}

/** Longer than any way of writing a Vietnamese mobile number with spaces, dots, brackets and a 0084 prefix. */
const LONGEST_PHONE_INPUT = 40;

function checkTags(tags: string[]): string | undefined {
  if (tags.length > TAG_LIMITS.perSubscriber) {
    return `${tags.length} tags; a subscriber may have at most ${TAG_LIMITS.perSubscriber}`;
  }
  const long = tags.find((tag) => [...tag].length > TAG_LIMITS.characters);
  if (long !== undefined) {
    return `the tag ${quoteInput(long)} has ${[...long].length} characters; a tag may have at most ${TAG_LIMITS.characters}`;
  }
  // The stores keep tags joined by a control character, and no one types one on purpose.
  const unprintable = tags.find((tag) => /\p{Cc}/u.test(tag));
  return unprintable === undefined ? undefined : `the tag ${quoteInput(unprintable)} holds a control character`;
}

/** Tags as written, trimmed, without empties or repeats. */
function readTags(cell: string): string[] {
  return [
    ...new Set(
      cell
        .split(TAG_SEPARATOR)
        .map((tag) => tag.trim())
        .filter((tag) => tag !== ''),
    ),
  ];
}
