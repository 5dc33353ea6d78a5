import { describe, expect, it } from 'vitest';
import { stripDiacritics } from '../../../lambdas/core/templates/diacritics.js';
import { countSmsParts } from '../../../lambdas/core/templates/sms-parts.js';

/** Each Vietnamese vowel with its six tones: level, grave, acute, hook above, tilde, dot below. */
const VOWELS_WITH_TONES: [string, string][] = [
  ['a', 'aàáảãạ'],
  ['a', 'ăằắẳẵặ'],
  ['a', 'âầấẩẫậ'],
  ['e', 'eèéẻẽẹ'],
  ['e', 'êềếểễệ'],
  ['i', 'iìíỉĩị'],
  ['o', 'oòóỏõọ'],
  ['o', 'ôồốổỗộ'],
  ['o', 'ơờớởỡợ'],
  ['u', 'uùúủũụ'],
  ['u', 'ưừứửữự'],
  ['y', 'yỳýỷỹỵ'],
];

const NOTICE =
  'Thông báo: UBND phường Tân Phú tổ chức tiêm vắc-xin phòng COVID-19 cho người dân ' +
  'từ 18 tuổi trở lên tại Trạm Y tế phường, từ 7 giờ 30 đến 11 giờ sáng thứ Bảy. ' +
  'Đề nghị mang theo căn cước công dân và ' +
  'đeo khẩu trang. Mọi thắc mắc xin gọi đường dây nóng 1022.';

describe('stripDiacritics', () => {
  it('strips every tone from every vowel in lower case', () => {
    for (const [base, vowels] of VOWELS_WITH_TONES) {
      expect([...vowels]).toHaveLength(6);
      expect(stripDiacritics(vowels)).toBe(base.repeat(6));
    }
  });

  it('strips every tone from every vowel in upper case', () => {
    for (const [base, vowels] of VOWELS_WITH_TONES) {
      expect(stripDiacritics(vowels.toUpperCase())).toBe(base.toUpperCase().repeat(6));
    }
  });

  it('maps d with stroke, and the eth of legacy text, to a plain d', () => {
    expect(stripDiacritics('đ Đ \u00d0')).toBe('d D D');
  });

  it('turns a Vietnamese name and address into plain letters', () => {
    expect(stripDiacritics('Nguyễn Thị Đức Hạnh, phường Tân Phú')).toBe('Nguyen Thi Duc Hanh, phuong Tan Phu');
  });

  it('gives the same result for decomposed input as for composed input', () => {
    const decomposed = NOTICE.normalize('NFD');
    expect(decomposed).not.toBe(NOTICE);
    expect(stripDiacritics(decomposed)).toBe(stripDiacritics(NOTICE));
  });

  it('leaves text without diacritics unchanged', () => {
    const plain = 'Lich tiem {dot 2} ~ [phuong 3] | 50€ @ 07:30\n';
    expect(stripDiacritics(plain)).toBe(plain);
  });

  it('gives back marks of other scripts composed as they were', () => {
    expect(stripDiacritics('が 한국')).toBe('が 한국');
  });

  it('makes a typical Vietnamese notice GSM-7 at half the parts or fewer', () => {
    const withDiacritics = countSmsParts(NOTICE);
    const withoutDiacritics = countSmsParts(stripDiacritics(NOTICE));
    expect(withDiacritics.encoding).toBe('UCS-2');
    expect(withoutDiacritics.encoding).toBe('GSM-7');
    expect(withoutDiacritics.parts).toBeLessThanOrEqual(withDiacritics.parts / 2);
  });
});
