import { describe, expect, it } from 'vitest';
import { countScript, countSms, undeclaredPlaceholders } from '../../src/pages/templates/template-counter.js';

/** 300 characters of Vietnamese with tone marks, as an author would type a notice. */
function vietnameseNotice(length: number): string {
  const sentence = 'Thông báo: lịch tiêm phòng dại cho chó mèo tại nhà văn hóa thôn Đông vào sáng thứ Bảy. ';
  return sentence.repeat(Math.ceil(length / sentence.length)).slice(0, length);
}

describe('the template counter', () => {
  it('counts 300 characters of Vietnamese with diacritics as 5 UCS-2 parts, and 2 parts without diacritics', () => {
    const body = vietnameseNotice(300);
    const count = countSms(body, []);
    expect(count).toMatchObject({ characters: 300, encoding: 'UCS-2', parts: 5, partsWithoutDiacritics: 2, problems: [] });
    expect(count.withoutDiacritics.startsWith('Thong bao: lich tiem phong dai cho cho meo tai nha van hoa thon Dong')).toBe(true);
  });

  it('counts a body typed decomposed (NFD) as the server keeps it, composed (NFC)', () => {
    const body = vietnameseNotice(70);
    expect(countSms(body.normalize('NFD'), [])).toMatchObject({ characters: 70, encoding: 'UCS-2', parts: 1 });
    expect(countScript(body.normalize('NFD')).characters).toBe(70);
  });

  it('keeps a text with a GSM-7 extension character in GSM-7, the character costing two', () => {
    const fits = 'Phi 50€ '.padEnd(159, '.');
    expect(countSms(fits, [])).toMatchObject({ characters: 159, encoding: 'GSM-7', parts: 1 });
    expect(countSms(`${fits}.`, [])).toMatchObject({ characters: 160, encoding: 'GSM-7', parts: 2 });
  });

  it('counts each placeholder at its maximum length, as the server does', () => {
    const body = 'Kinh gui {{ten}}, lich hop luc 8h.';
    const count = countSms(body, [{ name: 'ten', maxLength: 140 }]);
    // 26 characters of text and 140 for the name; in GSM-7 the name is priced at its costliest (2 septets each).
    expect(count.characters).toBe(body.length - '{{ten}}'.length + 140);
    expect(count).toMatchObject({ encoding: 'GSM-7', parts: 3, partsWithoutDiacritics: 3 });
    expect(countSms(body, [{ name: 'ten', maxLength: 10 }])).toMatchObject({ parts: 1 });
  });

  it('says what the server would refuse while typing, and still counts the text as typed', () => {
    const count = countSms('Kinh gui {{ten}} va {{', []);
    expect(count.problems.map(({ field }) => field)).toEqual(['body', 'body']);
    expect(count).toMatchObject({ characters: 22, encoding: 'GSM-7', parts: 1 });
    expect(undeclaredPlaceholders('{{ten}} {{ngay}} {{ten}}', [{ name: 'ngay', maxLength: 10 }])).toEqual(['ten']);
  });

  it('gives a loudspeaker script its length and reading time', () => {
    // 13 words at 130 a minute: 6 seconds.
    const script = 'Loa loa! Bà con chú ý: chiều nay cắt điện từ hai giờ.';
    expect(countScript(script)).toEqual({ characters: script.length, readingSeconds: 6, wordsPerMinute: 130 });
  });
});
