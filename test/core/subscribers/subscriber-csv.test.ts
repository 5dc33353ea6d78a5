import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../lambdas/core/errors.js';
import { isRejected, readSubscriberCsv, type RejectedRow, type SubscriberRow } from '../../../lambdas/core/subscribers/subscriber-csv.js';

async function* chunksOf(...chunks: Array<string | Uint8Array>): AsyncGenerator<string | Uint8Array> {
  yield* chunks;
}

async function readAll(input: AsyncIterable<string | Uint8Array>): Promise<Array<SubscriberRow | RejectedRow>> {
  const rows: Array<SubscriberRow | RejectedRow> = [];
  for await (const row of readSubscriberCsv(input)) rows.push(row);
  return rows;
}

function readText(text: string): Promise<Array<SubscriberRow | RejectedRow>> {
  return readAll(chunksOf(text));
}

async function headerProblem(text: string): Promise<ValidationError> {
  const error = await readText(text).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(ValidationError);
  expect((error as ValidationError).problems.map((problem) => problem.field)).toEqual(['header']);
  return error as ValidationError;
}

describe('readSubscriberCsv', () => {
  it('reads each row into an E.164 number, its area, its tags and the carrier its prefix suggests', async () => {
    const rows = await readText('phone,area,tags\n0912 345 678,HN-001,nong dan;thanh nien\n+84 98 123 4567,HN-002,\n');

    expect(rows).toEqual([
      { line: 2, phone: '+84912345678', area: 'HN-001', tags: ['nong dan', 'thanh nien'], carrier: 'vinaphone', carrierSource: 'prefix' },
      { line: 3, phone: '+84981234567', area: 'HN-002', tags: [], carrier: 'viettel', carrierSource: 'prefix' },
    ]);
  });

  it('matches header names whatever their case and surrounding spaces, in any order, ignoring other columns', async () => {
    const rows = await readText(' Tags ,Name,  PHONE,Area \nvip,Nguyen Van A,0912345678,HN-001\n');

    expect(rows).toEqual([
      { line: 2, phone: '+84912345678', area: 'HN-001', tags: ['vip'], carrier: 'vinaphone', carrierSource: 'prefix' },
    ]);
  });

  it('tolerates a byte order mark, whether the file arrives as text or as bytes', async () => {
    const text = '\uFEFFphone,area,tags\n0912345678,HN-001,a\n';

    expect(await readText(text)).toMatchObject([{ line: 2, phone: '+84912345678' }]);
    expect(await readAll(chunksOf(new TextEncoder().encode(text)))).toMatchObject([{ line: 2, phone: '+84912345678' }]);
  });

  it('lets a filled-in carrier column win over the prefix, since numbers move between carriers', async () => {
    const rows = await readText('phone,area,tags,carrier\n0912345678,HN-001,a,Viettel\n0981234567,HN-001,a,\n');

    expect(rows).toMatchObject([
      { line: 2, carrier: 'viettel', carrierSource: 'explicit' },
      { line: 3, carrier: 'viettel', carrierSource: 'prefix' },
    ]);
  });

  it('leaves the carrier unknown when neither the column nor the prefix names one', async () => {
    const rows = await readText('phone,area,tags\n0301234567,HN-001,a\n');

    expect(rows).toEqual([{ line: 2, phone: '+84301234567', area: 'HN-001', tags: ['a'], carrier: undefined, carrierSource: 'unknown' }]);
  });

  it('keeps tags as written but trimmed, dropping empty and repeated ones', async () => {
    const rows = await readText('phone,area,tags\n0912345678,HN-001, Nông dân ;;Thanh niên; Nông dân ;\n');

    expect(rows).toMatchObject([{ tags: ['Nông dân', 'Thanh niên'] }]);
  });

  it('rejects rows it cannot use, saying why in plain words', async () => {
    const rows = await readText(
      [
        'phone,area,tags,carrier',
        'abc,HN-001,a,',
        '024 3825 1234,HN-001,a,',
        '+1 212 555 0100,HN-001,a,',
        ',HN-001,a,',
        '0912345678,  ,a,',
        '0912345678,HN-001,a,foo',
        '0912345678,HN-001,a',
        '0912345678,HN-001,a,,extra',
        '0981234567,HN-001,a,',
      ].join('\n'),
    );

    expect(rows.filter(isRejected)).toEqual([
      {
        line: 2,
        reason: 'invalid phone number "abc": only digits, spaces, dots, dashes, brackets and a leading + are allowed',
      },
      { line: 3, reason: 'not a mobile number: "024 3825 1234" is a landline' },
      { line: 4, reason: 'not a Vietnamese number: "+1 212 555 0100" has country code +1, not +84' },
      { line: 5, reason: 'missing phone number' },
      { line: 6, reason: 'missing area' },
      {
        line: 7,
        reason: 'unknown carrier "foo"; expected one of viettel, vinaphone, mobifone, vietnamobile, gmobile, itel, reddi or leave it empty',
      },
      { line: 8, reason: 'wrong number of columns: expected 4, found 3' },
      { line: 9, reason: 'wrong number of columns: expected 4, found 5' },
    ]);
    expect(rows.filter((row) => !isRejected(row))).toMatchObject([{ line: 10, phone: '+84981234567' }]);
  });

  it('skips empty lines and the all-empty rows spreadsheets leave, while counting them as lines', async () => {
    const rows = await readText('phone,area,tags\n\n0912345678,HN-001,a\n,,\n   \n\n0981234567,HN-002,b\n,,\n');

    expect(rows).toMatchObject([
      { line: 3, phone: '+84912345678' },
      { line: 7, phone: '+84981234567' },
    ]);
  });

  it('numbers lines correctly after a quoted value that spans lines, with LF or CRLF line ends', async () => {
    for (const newline of ['\n', '\r\n']) {
      const text = ['phone,area,tags,note', '0912345678,HN-001,a,"two', 'lines"', '', '0981234567,HN-002,b,x', ''].join(newline);

      expect(await readText(text)).toMatchObject([
        { line: 2, phone: '+84912345678' },
        { line: 5, phone: '+84981234567' },
      ]);
    }
  });

  it('rejects a row whose phone, area or tags run over several lines, as a closing quote is probably missing', async () => {
    const rows = await readText('phone,area,tags\n0912345678,"HN-001\n0981234567,HN-002",a\n0971234567,HN-003,b\n');

    expect(rows).toEqual([
      { line: 2, reason: 'the area value runs over several lines; a closing quote is probably missing' },
      expect.objectContaining({ line: 4, phone: '+84971234567' }),
    ]);
  });

  it('keeps a stray quote inside a value as text instead of failing the rest of the file', async () => {
    const rows = await readText('phone,area,tags\n0912345678,Ap "Moi",a\n0981234567,"HN-002"x,b\n0971234567,HN-003,c\n');

    expect(rows).toMatchObject([
      { line: 2, area: 'Ap "Moi"' },
      { line: 3, area: '"HN-002"x' },
      { line: 4, area: 'HN-003' },
    ]);
  });

  it('reports a quote that is never closed once, at the line where it opens', async () => {
    const rows = await readText('phone,area,tags\n0912345678,HN-001,a\n\n0981234567,"HN-002,b\n0971234567,HN-003,c\n');

    expect(rows).toEqual([
      expect.objectContaining({ line: 2, phone: '+84912345678' }),
      { line: 4, reason: 'a quote opened on this line is never closed, so the rest of the file could not be read' },
    ]);
  });

  it('gives up on an unclosed quote that swallows a large file instead of holding it all in memory', async () => {
    async function* largeFileWithUnclosedQuote(): AsyncGenerator<string> {
      yield 'phone,area,tags\n0912345678,HN-001,a\n0981234567,"HN-002,b\n';
      for (let chunk = 0; chunk < 50; chunk++) yield '0971234567,HN-003,c\n'.repeat(1000);
    }

    const rows = await readAll(largeFileWithUnclosedQuote());

    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ line: 2, phone: '+84912345678' });
    expect(rows[1]).toMatchObject({ line: 3 });
    expect((rows[1] as RejectedRow).reason).toMatch(
      /^the row starting on this line runs past 65536 bytes, probably because a quote is not closed/,
    );
  });

  it('reads a file cut into chunks anywhere, even inside a multi-byte character', async () => {
    const bytes = new TextEncoder().encode('phone,area,tags\n0912345678,Phường Bến Nghé,Nông dân\n0981234567,Xã Đông Hòa,a\n');
    const oneByteChunks = Array.from(bytes, (byte) => Uint8Array.of(byte));

    expect(await readAll(chunksOf(...oneByteChunks))).toMatchObject([
      { line: 2, area: 'Phường Bến Nghé', tags: ['Nông dân'] },
      { line: 3, area: 'Xã Đông Hòa' },
    ]);
  });

  it('refuses a header that lacks phone, area or tags, naming what is missing', async () => {
    const error = await headerProblem('phone,name\n0912345678,A\n');

    expect(error.problems[0]?.message).toBe(
      'the first line lacks the columns area, tags; ' +
        'it must name the columns phone, area and tags, separated by commas (carrier is optional)',
    );
  });

  it('refuses a file separated by semicolons, since it has none of the columns', async () => {
    const error = await headerProblem('phone;area;tags\n0912345678;HN-001;a\n');

    expect(error.problems[0]?.message).toMatch(/lacks the columns phone, area, tags; .* separated by commas/);
  });

  it('refuses a header that names a column twice', async () => {
    const error = await headerProblem('phone,area,tags,Phone\n');

    expect(error.problems[0]?.message).toBe('the column "phone" appears more than once');
  });

  it('refuses an empty file for want of a header', async () => {
    await headerProblem('');
    await headerProblem('\n\n');
  });

  it('streams: 200,000 rows all come out without the file being read ahead', async () => {
    const rowCount = 200_000;
    const rowsPerChunk = 1_000;
    let chunksRead = 0;
    async function* largeFile(): AsyncGenerator<string> {
      yield 'phone,area,tags\n';
      for (let chunk = 0; chunk < rowCount / rowsPerChunk; chunk++) {
        chunksRead++;
        let text = '';
        for (let row = 0; row < rowsPerChunk; row++) {
          text += `091${String(chunk * rowsPerChunk + row).padStart(7, '0')},HN-001,a\n`;
        }
        yield text;
      }
    }

    let count = 0;
    let last: SubscriberRow | RejectedRow | undefined;
    for await (const row of readSubscriberCsv(largeFile())) {
      if (count === 0) expect(chunksRead).toBeLessThan(10);
      count++;
      last = row;
    }

    expect(count).toBe(rowCount);
    expect(last).toEqual({
      line: rowCount + 1,
      phone: '+84910199999',
      area: 'HN-001',
      tags: ['a'],
      carrier: 'vinaphone',
      carrierSource: 'prefix',
    });
  }, 120_000);

  it('passes on a failure of the source it reads from', async () => {
    async function* failingSource(): AsyncGenerator<string> {
      yield 'phone,area,tags\n0912345678,HN-001,a\n';
      throw new Error('connection reset');
    }

    await expect(readAll(failingSource())).rejects.toThrow('connection reset');
  });

  it('stops reading the source when the caller stops early', async () => {
    let finished = false;
    async function* source(): AsyncGenerator<string> {
      try {
        yield 'phone,area,tags\n';
        for (let chunk = 0; chunk < 1_000; chunk++) yield '0912345678,HN-001,a\n'.repeat(100);
      } finally {
        finished = true;
      }
    }

    for await (const row of readSubscriberCsv(source())) {
      expect(row).toMatchObject({ line: 2 });
      break;
    }

    await expect.poll(() => finished).toBe(true);
  });
});

describe('the limits on a row', () => {
  it('refuses more than 20 tags, a tag of more than 64 characters, or one holding a control character', async () => {
    const tags = (count: number) => Array.from({ length: count }, (_, index) => `t${index}`).join(';');
    const rows = await readText(
      [
        'phone,area,tags',
        `0912345678,HN,${tags(20)}`,
        `0912345679,HN,${tags(21)}`,
        `0912345670,HN,${'ệ'.repeat(64)};${'ệ'.repeat(65)}`,
        '0912345671,HN,a\u001fb',
      ].join('\n'),
    );

    expect(rows.map((row) => (isRejected(row) ? row.reason : row.tags.length))).toEqual([
      20,
      '21 tags; a subscriber may have at most 20',
      `the tag "${'ệ'.repeat(40)}…" has 65 characters; a tag may have at most 64`,
      'the tag "a\u001fb" holds a control character',
    ]);
  });

  it('quotes at most 40 characters of a value in a reason', async () => {
    const rows = await readText(`phone,area,tags,carrier\n${'1'.repeat(100)},HN,,\n0912345678,HN,,${'v'.repeat(100)}\n`);

    expect(rows).toEqual([
      { line: 2, reason: `invalid phone number "${'1'.repeat(40)}…": it is far too long` },
      { line: 3, reason: expect.stringMatching(new RegExp(`^unknown carrier "${'v'.repeat(40)}…"; `)) },
    ]);
  });
});

describe('isRejected', () => {
  it('tells a rejected row from a subscriber', () => {
    expect(isRejected({ line: 2, reason: 'missing area' })).toBe(true);
    expect(isRejected({ line: 2, phone: '+84912345678', area: 'HN-001', tags: [], carrier: undefined, carrierSource: 'unknown' })).toBe(
      false,
    );
  });
});
