import { describe, expect, it } from 'vitest';
import { maskPhone, normalizePhone } from '../../../lambdas/core/subscribers/phone-number.js';

describe('normalizePhone', () => {
  it.each([
    // Viettel
    ['0321234567', 'viettel'],
    ['0331234567', 'viettel'],
    ['0341234567', 'viettel'],
    ['0351234567', 'viettel'],
    ['0361234567', 'viettel'],
    ['0371234567', 'viettel'],
    ['0381234567', 'viettel'],
    ['0391234567', 'viettel'],
    ['0861234567', 'viettel'],
    ['0961234567', 'viettel'],
    ['0971234567', 'viettel'],
    ['0981234567', 'viettel'],
    // VinaPhone
    ['0811234567', 'vinaphone'],
    ['0821234567', 'vinaphone'],
    ['0831234567', 'vinaphone'],
    ['0841234567', 'vinaphone'],
    ['0851234567', 'vinaphone'],
    ['0881234567', 'vinaphone'],
    ['0911234567', 'vinaphone'],
    ['0941234567', 'vinaphone'],
    // iTel
    ['0871234567', 'itel'],
    // MobiFone
    ['0701234567', 'mobifone'],
    ['0761234567', 'mobifone'],
    ['0771234567', 'mobifone'],
    ['0781234567', 'mobifone'],
    ['0791234567', 'mobifone'],
    ['0891234567', 'mobifone'],
    ['0901234567', 'mobifone'],
    ['0931234567', 'mobifone'],
    // Vietnamobile
    ['0521234567', 'vietnamobile'],
    ['0561234567', 'vietnamobile'],
    ['0581234567', 'vietnamobile'],
    ['0921234567', 'vietnamobile'],
    // Gmobile
    ['0591234567', 'gmobile'],
    ['0991234567', 'gmobile'],
    // Reddi
    ['0551234567', 'reddi'],
  ])('accepts %s as a mobile number of %s', (input, carrier) => {
    expect(normalizePhone(input)).toEqual({ ok: true, e164: `+84${input.slice(1)}`, carrier });
  });

  it('accepts mobiles in blocks that libphonenumber does not know yet, trusting the prefix table', () => {
    // libphonenumber 1.13 rejects 0551, 0521 and 0891 although the prefixes are mobile ranges.
    expect(normalizePhone('+84 551 234 567')).toEqual({ ok: true, e164: '+84551234567', carrier: 'reddi' });
    expect(normalizePhone('84521234567')).toEqual({ ok: true, e164: '+84521234567', carrier: 'vietnamobile' });
    expect(normalizePhone('0084 891 234 567')).toEqual({ ok: true, e164: '+84891234567', carrier: 'mobifone' });
  });

  it('accepts a mobile that libphonenumber knows outside the 2018 prefixes, without guessing a carrier', () => {
    expect(normalizePhone('0301234567')).toEqual({ ok: true, e164: '+84301234567', carrier: undefined });
  });

  it.each([
    '0912345678',
    '0912 345 678',
    '0912.345.678',
    '0912-345-678',
    '84912345678',
    '+84912345678',
    '+84 912 345 678',
    '(+84) 912345678',
    '(+84)912.345.678',
    '+84 (0) 912 345 678',
    '0084912345678',
    '912345678',
    '  0912 345 678  ',
    '0912\u00a0345\u00a0678',
  ])('reads "%s" as +84912345678', (input) => {
    expect(normalizePhone(input)).toEqual({ ok: true, e164: '+84912345678', carrier: 'vinaphone' });
  });

  it.each(['024 3825 1234', '028 3822 1234', '+84 24 3825 1234'])('refuses the landline %s as not mobile', (input) => {
    const result = normalizePhone(input);
    expect(result).toMatchObject({ ok: false, problem: 'not_mobile' });
    expect(result.ok || result.message).toBe(`not a mobile number: "${input}" is a landline`);
  });

  it('refuses toll-free and premium-rate numbers as not mobile, naming what they are', () => {
    expect(normalizePhone('1800 1234')).toMatchObject({
      ok: false,
      problem: 'not_mobile',
      message: 'not a mobile number: "1800 1234" is a toll-free 1800 number',
    });
    expect(normalizePhone('1900 1234')).toMatchObject({ ok: false, problem: 'not_mobile' });
  });

  it.each(['+1 212 555 0100', '+44 7911 123456', '+855 12 345 678', '0086 138 0013 8000'])(
    'refuses the foreign number %s as not Vietnamese',
    (input) => {
      expect(normalizePhone(input)).toMatchObject({ ok: false, problem: 'not_vietnamese' });
    },
  );

  it('says which country code a foreign number has', () => {
    expect(normalizePhone('+1 212 555 0100')).toMatchObject({
      message: 'not a Vietnamese number: "+1 212 555 0100" has country code +1, not +84',
    });
  });

  it.each(['', '   ', 'abc', '123', '0912345', '0912 345 6789', '+84 9123 4567', '091234567a', '0912345678+', '++84912345678', '+1 555'])(
    'refuses "%s" as an invalid number',
    (input) => {
      expect(normalizePhone(input)).toMatchObject({ ok: false, problem: 'invalid_number' });
    },
  );

  it('explains in plain words why a number is invalid', () => {
    expect(normalizePhone('')).toMatchObject({ message: 'no phone number given' });
    expect(normalizePhone('abc')).toMatchObject({
      message: 'invalid phone number "abc": only digits, spaces, dots, dashes, brackets and a leading + are allowed',
    });
    expect(normalizePhone('0912345')).toMatchObject({
      message: 'invalid phone number "0912345": a Vietnamese mobile number is 0 followed by 9 digits',
    });
    expect(normalizePhone('+1 555')).toMatchObject({
      message: 'invalid phone number "+1 555": it is not a valid number for country code +1',
    });
  });
});

describe('maskPhone', () => {
  it('keeps the country code, the first two and the last three digits of a Vietnamese mobile', () => {
    expect(maskPhone('+84912345678')).toBe('+8491****678');
  });

  it('masks foreign numbers the same way around their own country code', () => {
    expect(maskPhone('+12125550100')).toBe('+121*****100');
  });

  it('keeps only the last three characters of something that is not an E.164 number', () => {
    expect(maskPhone('0912345678')).toBe('*******678');
    expect(maskPhone('12')).toBe('12');
  });
});
