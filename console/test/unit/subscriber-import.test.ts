import { describe, expect, it } from 'vitest';
import { csvCell, refusedRowsToCsv } from '../../src/pages/subscribers/refused-csv';
import { uploadPercent } from '../../src/pages/subscribers/upload-progress';

describe('the refused rows of an import as a CSV file', () => {
  it('writes a header and one line per refused row, CRLF ended', () => {
    const csv = refusedRowsToCsv(
      [
        { line: 3, reason: 'not a mobile number' },
        { line: 7, reason: 'unknown area "DNI-X"' },
      ],
      { line: 'Dòng', reason: 'Lý do' },
    );
    expect(csv).toBe('Dòng,Lý do\r\n3,not a mobile number\r\n7,"unknown area ""DNI-X"""\r\n');
  });

  it("prefixes a cell that a spreadsheet would run as a formula with '", () => {
    expect(csvCell('=HYPERLINK("http://evil")')).toBe(`"'=HYPERLINK(""http://evil"")"`);
    expect(csvCell('+84 912')).toBe("'+84 912");
    expect(csvCell('-1')).toBe("'-1");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\tcmd')).toBe("'\tcmd");
  });

  it('leaves ordinary text and numbers alone, quoting only commas, quotes and line breaks', () => {
    expect(csvCell('missing phone')).toBe('missing phone');
    expect(csvCell('a, b')).toBe('"a, b"');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell(12)).toBe('12');
    expect(csvCell('email a=b')).toBe('email a=b');
  });
});

describe('the progress of an upload', () => {
  it('is the share sent, in whole percent', () => {
    expect(uploadPercent(0, 2000)).toBe(0);
    expect(uploadPercent(999, 2000)).toBe(49);
    expect(uploadPercent(2000, 2000)).toBe(100);
  });

  it('never passes 100 and is unknown when the browser cannot tell the size', () => {
    expect(uploadPercent(2100, 2000)).toBe(100);
    expect(uploadPercent(500, 0)).toBeUndefined();
    expect(uploadPercent(500, 2000, false)).toBeUndefined();
  });
});
