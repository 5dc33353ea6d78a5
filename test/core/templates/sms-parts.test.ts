import { describe, expect, it } from 'vitest';
import { countSmsParts, isGsm7, splitSmsParts } from '../../../lambdas/core/templates/sms-parts.js';

/** The GSM 03.38 basic set read column by column from the published table, ESC left out. */
const GSM_BASIC_BY_COLUMN = [
  '@£$¥èéùìòÇ\nØø\rÅå',
  'Δ_ΦΓΛΩΠΨΣΘΞÆæßÉ',
  ' !"#¤%&\'()*+,-./',
  '0123456789:;<=>?',
  '¡ABCDEFGHIJKLMNO',
  'PQRSTUVWXYZÄÖÑÜ§',
  '¿abcdefghijklmno',
  'pqrstuvwxyzäöñüà',
];
const GSM_EXTENSION = ['\f', '^', '{', '}', '\\', '[', '~', ']', '|', '€'];
const VIETNAMESE = 'Người dân cần đeo khẩu trang khi ra khỏi nhà.';

describe('isGsm7', () => {
  it('accepts all 127 characters of the basic set', () => {
    const basic = GSM_BASIC_BY_COLUMN.join('');
    expect([...basic]).toHaveLength(127);
    for (const character of basic) expect(isGsm7(character), JSON.stringify(character)).toBe(true);
  });

  it('accepts the ten characters of the extension table', () => {
    for (const character of GSM_EXTENSION) expect(isGsm7(character), JSON.stringify(character)).toBe(true);
  });

  it('refuses characters that only look like GSM ones', () => {
    const ohmSign = '\u2126';
    const greekCapitalAlpha = '\u0391';
    const lookalikes = ['á', 'ç', ohmSign, greekCapitalAlpha, 'α', '`', '¢', '“', '’', '–', '\t', '\u001b'];
    for (const character of lookalikes) expect(isGsm7(character), JSON.stringify(character)).toBe(false);
  });

  it('refuses Vietnamese letters such as đ, ư, ơ and ă', () => {
    for (const character of ['đ', 'Đ', 'ư', 'ơ', 'ă', 'â', 'ê', 'ô', 'ễ']) {
      expect(isGsm7(character), character).toBe(false);
    }
  });

  it('accepts the few accented letters GSM has, such as à, but not the dot below of ẹ', () => {
    expect(isGsm7('Bà là mẹ')).toBe(false);
    expect(isGsm7('Bà là')).toBe(true);
  });
});

describe('countSmsParts', () => {
  it('counts an empty text as one GSM-7 part of zero units, as carriers bill it', () => {
    expect(countSmsParts('')).toEqual({ encoding: 'GSM-7', parts: 1, units: 0 });
  });

  it('fits 160 GSM-7 characters in one part and needs two for 161', () => {
    expect(countSmsParts('a'.repeat(160))).toEqual({ encoding: 'GSM-7', parts: 1, units: 160 });
    expect(countSmsParts('a'.repeat(161))).toEqual({ encoding: 'GSM-7', parts: 2, units: 161 });
  });

  it('fits 306 GSM-7 characters in two parts of 153 and needs three for 307', () => {
    expect(countSmsParts('a'.repeat(306)).parts).toBe(2);
    expect(countSmsParts('a'.repeat(307)).parts).toBe(3);
  });

  it('counts each extension character as two septets', () => {
    expect(countSmsParts('[x]').units).toBe(5);
    expect(countSmsParts('€'.repeat(80))).toEqual({ encoding: 'GSM-7', parts: 1, units: 160 });
    expect(countSmsParts(`${'€'.repeat(80)}a`)).toEqual({ encoding: 'GSM-7', parts: 2, units: 161 });
  });

  it('counts line feed and carriage return as one septet and form feed as two', () => {
    expect(countSmsParts('\r\n').units).toBe(2);
    expect(countSmsParts('\f').units).toBe(2);
  });

  it('fits 70 UCS-2 characters in one part and needs two for 71', () => {
    expect(countSmsParts('ễ'.repeat(70))).toEqual({ encoding: 'UCS-2', parts: 1, units: 70 });
    expect(countSmsParts('ễ'.repeat(71))).toEqual({ encoding: 'UCS-2', parts: 2, units: 71 });
  });

  it('fits 134 UCS-2 characters in two parts of 67 and needs three for 135', () => {
    expect(countSmsParts('ễ'.repeat(134)).parts).toBe(2);
    expect(countSmsParts('ễ'.repeat(135)).parts).toBe(3);
  });

  it('sends Vietnamese with diacritics as UCS-2, one unit per composed letter', () => {
    expect(countSmsParts(VIETNAMESE)).toEqual({ encoding: 'UCS-2', parts: 1, units: VIETNAMESE.length });
  });

  it('turns a whole message into UCS-2 for a single character outside GSM', () => {
    expect(countSmsParts(`${'a'.repeat(100)}ư`)).toEqual({ encoding: 'UCS-2', parts: 2, units: 101 });
  });

  it('counts decomposed Vietnamese as it is, each combining mark a unit of its own', () => {
    const decomposed = VIETNAMESE.normalize('NFD');
    expect(countSmsParts(decomposed).units).toBe(decomposed.length);
    expect(decomposed.length).toBeGreaterThan(VIETNAMESE.length);
  });

  it('counts an emoji as two UTF-16 code units', () => {
    expect(countSmsParts('😀')).toEqual({ encoding: 'UCS-2', parts: 1, units: 2 });
    expect(countSmsParts('😀'.repeat(35)).parts).toBe(1);
    expect(countSmsParts('😀'.repeat(36)).parts).toBe(2);
  });

  // Published segmentation table: https://helpdesk.fonedynamics.com/support/solutions/articles/17000105417-sms-segmentation
  it.each([
    [161, 2],
    [306, 2],
    [307, 3],
    [459, 3],
    [460, 4],
    [765, 5],
    [766, 6],
    [918, 6],
  ])('matches the published GSM-7 table: %i characters are %i parts', (length, parts) => {
    expect(countSmsParts('x'.repeat(length)).parts).toBe(parts);
  });

  it.each([
    [71, 2],
    [134, 2],
    [135, 3],
    [201, 3],
    [202, 4],
    [335, 5],
    [336, 6],
    [402, 6],
  ])('matches the published UCS-2 table: %i characters are %i parts', (length, parts) => {
    expect(countSmsParts('Đ'.repeat(length)).parts).toBe(parts);
  });
});

describe('splitSmsParts', () => {
  it('returns a text that fits one part unchanged', () => {
    expect(splitSmsParts('Hello')).toEqual({ encoding: 'GSM-7', parts: ['Hello'] });
  });

  it('returns an empty text as one empty part', () => {
    expect(splitSmsParts('')).toEqual({ encoding: 'GSM-7', parts: [''] });
  });

  it('cuts GSM-7 text into parts of 153 characters', () => {
    const { parts } = splitSmsParts('a'.repeat(307));
    expect(parts.map((part) => part.length)).toEqual([153, 153, 1]);
  });

  it('moves an escape pair that would straddle a boundary to the next part', () => {
    const text = `${'a'.repeat(152)}€${'b'.repeat(10)}`;
    const { encoding, parts } = splitSmsParts(text);
    expect(encoding).toBe('GSM-7');
    expect(parts).toEqual(['a'.repeat(152), `€${'b'.repeat(10)}`]);
  });

  it('counts the extra parts that escape pairs at boundaries cost', () => {
    // 76 euro signs fill 152 of a part's 153 septets; the 77th starts a new part each time.
    const text = '€'.repeat(154);
    expect(countSmsParts(text).units).toBe(308);
    expect(countSmsParts(text).parts).toBe(3);
    expect(splitSmsParts(text).parts.map((part) => part.length)).toEqual([76, 76, 2]);
  });

  it('cuts UCS-2 text into parts of 67 code units', () => {
    const { encoding, parts } = splitSmsParts('ễ'.repeat(135));
    expect(encoding).toBe('UCS-2');
    expect(parts.map((part) => part.length)).toEqual([67, 67, 1]);
  });

  it('never cuts a surrogate pair in two', () => {
    const text = `${'ễ'.repeat(66)}😀${'ễ'.repeat(10)}`;
    const { parts } = splitSmsParts(text);
    expect(parts).toEqual(['ễ'.repeat(66), `😀${'ễ'.repeat(10)}`]);
    const loneSurrogate = /\p{Cs}/u;
    for (const part of parts) expect(part).not.toMatch(loneSurrogate);
  });

  it('keeps every part within its size and joins back to the original text', () => {
    const samples = [
      `${VIETNAMESE} `.repeat(9),
      'Lịch tiêm {đợt 2} ~ [phường 3] | 😷 '.repeat(8),
      'Lich tiem {dot 2} ~ [phuong 3] | € '.repeat(12),
    ];
    for (const text of samples) {
      const { encoding, parts } = splitSmsParts(text);
      expect(parts.join('')).toBe(text);
      expect(parts.length).toBeGreaterThan(1);
      const partSize = encoding === 'GSM-7' ? 153 : 67;
      for (const part of parts) expect(countSmsParts(part).units).toBeLessThanOrEqual(partSize);
    }
  });
});
