import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nationalMobile } from './phone-arbitraries.js';
import { CARRIERS, carrierFromPrefix } from '../../../lambdas/core/subscribers/carriers.js';
import { TAG_LIMITS } from '../../../lambdas/core/subscribers/import-limits.js';
import { readSubscriberCsv, type RejectedRow, type SubscriberRow } from '../../../lambdas/core/subscribers/subscriber-csv.js';

const RUNS = { numRuns: 200 };

/** Text of every sort a spreadsheet cell holds, CSV's own characters and Vietnamese in both forms included. */
const cellCharacter = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...'abcđếộữ ĐƯ0123456789-_/.') },
  { weight: 1, arbitrary: fc.constantFrom(',', '"', "'", '\t', 'e\u0301', '😀') },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
);
const hasLineBreak = (text: string) => /[\r\n]/.test(text);
const cell = (maxLength: number) =>
  fc
    .string({ unit: cellCharacter, minLength: 1, maxLength })
    .filter((text) => text.trim() === text && text !== '' && !hasLineBreak(text) && !text.includes('\u2028'));
/** Tags hold no separator and no control character (the stores join tags with one). */
const tag = cell(20).filter((text) => !text.includes(';') && !/\p{Cc}/u.test(text));
/** A column the import ignores: anything, line breaks and quotes included. */
const note = fc.string({ unit: fc.oneof(cellCharacter, fc.constantFrom('\n', '\r\n', '""')), maxLength: 30 });

type GeneratedRow =
  | { kind: 'valid'; national: string; typed: string; area: string; tags: string[]; carrier: string; note: string }
  | { kind: 'invalid'; phone: string; area: string; tags: string[]; carrier: string; note: string };

const validRow = fc
  .record({
    kind: fc.constant('valid' as const),
    national: nationalMobile,
    prefix: fc.constantFrom('0', '+84', '0084 ', '(0'),
    area: cell(20),
    tags: fc.uniqueArray(tag, { maxLength: 5, selector: (text) => text.normalize('NFC') }),
    carrier: fc.constantFrom('', ...CARRIERS),
    note,
  })
  .map(
    ({ prefix, ...row }): GeneratedRow => ({
      ...row,
      typed: prefix === '(0' ? `(0${row.national.slice(0, 2)}) ${row.national.slice(2)}` : `${prefix}${row.national}`,
    }),
  );

/** A row that cannot become a subscriber: a letter in the number, no area, too many tags, an area over two lines, a bad carrier. */
const invalidRow = fc
  .record({
    national: nationalMobile,
    area: cell(20),
    tags: fc.uniqueArray(tag, { maxLength: 3 }),
    carrier: fc.constantFrom('', 'viettel'),
    note,
    flaw: fc.constantFrom('letter', 'no area', 'tags', 'two lines', 'carrier'),
  })
  .map(
    ({ national, area, tags, carrier, note, flaw }): GeneratedRow => ({
      kind: 'invalid',
      phone: flaw === 'letter' ? `09x${national}` : `0${national}`,
      area: flaw === 'no area' ? '' : flaw === 'two lines' ? `${area}\n${area}` : area,
      tags: flaw === 'tags' ? Array.from({ length: TAG_LIMITS.perSubscriber + 1 }, (_, n) => `t${n}`) : tags,
      carrier: flaw === 'carrier' ? 'skytel' : carrier,
      note,
    }),
  );

/** Quoted when it must be (or when asked), its quotes doubled. */
function csvField(value: string, alwaysQuote: boolean): string {
  return alwaysQuote || /[",\r\n]/.test(value) || value !== value.trim() ? `"${value.replaceAll('"', '""')}"` : value;
}

function lineBreaks(text: string): number {
  return text.match(/\r\n|\r|\n/g)?.length ?? 0;
}

/** The file, and for each row the line it starts on and what the reader must make of it. */
function writeFile(rows: GeneratedRow[], newline: string, alwaysQuote: boolean, bom: boolean) {
  let line = 2;
  const expected: Array<SubscriberRow | RejectedRow> = [];
  const lines = ['note,phone,area,tags,carrier'];
  for (const row of rows) {
    const phone = row.kind === 'valid' ? row.typed : row.phone;
    const fields = [row.note, phone, row.area, row.tags.join(';'), row.carrier];
    lines.push(fields.map((field) => csvField(field, alwaysQuote)).join(','));
    if (row.kind === 'valid') {
      const e164 = `+84${row.national}`;
      const explicit = row.carrier !== '';
      const guess = carrierFromPrefix(e164);
      expected.push({
        line,
        phone: e164,
        area: row.area.normalize('NFC'),
        tags: row.tags.map((text) => text.normalize('NFC')),
        carrier: explicit ? row.carrier : guess,
        carrierSource: explicit ? 'explicit' : guess === undefined ? 'unknown' : 'prefix',
      } as SubscriberRow);
    } else {
      expected.push({ line, reason: expect.any(String) });
    }
    line += 1 + fields.reduce((sum, field) => sum + lineBreaks(field), 0);
  }
  return { text: `${bom ? '\ufeff' : ''}${lines.join(newline)}${newline}`, expected };
}

/** The file's bytes, cut at the given points (through multi-byte characters too), as an upload arrives. */
async function* chunked(text: string, cuts: number[]): AsyncGenerator<Uint8Array> {
  const bytes = Buffer.from(text, 'utf8');
  const points = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
  let from = 0;
  for (const point of [...points, bytes.length]) {
    yield bytes.subarray(from, point);
    from = point;
  }
}

async function readAll(input: AsyncIterable<Uint8Array>): Promise<Array<SubscriberRow | RejectedRow>> {
  const rows: Array<SubscriberRow | RejectedRow> = [];
  for await (const row of readSubscriberCsv(input)) rows.push(row);
  return rows;
}

describe('the subscriber CSV reader, for generated files', () => {
  it('gives back every row written, or refuses it with its line number: none is dropped', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof({ weight: 3, arbitrary: validRow }, { weight: 1, arbitrary: invalidRow }), { maxLength: 12 }),
        fc.constantFrom('\n', '\r\n'),
        fc.boolean(),
        fc.boolean(),
        fc.array(fc.nat(), { maxLength: 4 }),
        async (rows, newline, alwaysQuote, bom, cuts) => {
          const { text, expected } = writeFile(rows, newline, alwaysQuote, bom);

          expect(await readAll(chunked(text, cuts))).toEqual(expected);
        },
      ),
      RUNS,
    );
  });
});
