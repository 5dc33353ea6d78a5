import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maskPhoneNumbers } from '../../lambdas/http/api-log.js';

describe('maskPhoneNumbers', () => {
  it.each([
    ['dots', 'phone 0991.003.071 refused', 'phone +8499****071 refused'],
    ['spaces', 'phone 0991 003 071 refused', 'phone +8499****071 refused'],
    ['dashes', 'phone 0991-003-071 refused', 'phone +8499****071 refused'],
    ['a bracketed country code', 'call (+84) 991 003 071', 'call (+8499****071'],
    ['+84 with spaces', '+84 991 003 071', '+8499****071'],
    ['+84 with dashes', '+84-991-003-071', '+8499****071'],
    ['+84 and a bracketed trunk 0', '+84 (0) 991 003 071', '+8499****071'],
    ['the 0084 prefix', 'to 0084991003071', 'to +8499****071'],
    ['84 without +, as SMPP addresses it', 'destination_addr 84991003071', 'destination_addr +8499****071'],
    ['spaces encoded as %20', '/v1/subscribers/0991%20003%20071', '/v1/subscribers/+8499****071'],
    ['+ encoded as %2B', '/v1/subscribers/%2B84991003071', '/v1/subscribers/+8499****071'],
    ['%2B and %20 together', '/v1/opt-outs/%2B84%20991%20003%20071', '/v1/opt-outs/+8499****071'],
    ['after an encoded space', 'q=phone%200991003071', 'q=phone%20+8499****071'],
    ['+ as a form-encoded space', '?phone=0991+003+071', '?phone=+8499****071'],
    ['a landline', 'is a landline: (028) 3822 1234', 'is a landline: (+8428*****234'],
    ['two numbers in a list', '0991003071, 0912 345 678', '+8499****071, +8491****678'],
    ['two numbers one space apart', '0991003071 0912345678', '+8499****071 +8491****678'],
  ])('masks a number written with %s', (_, text, masked) => {
    expect(maskPhoneNumbers(text)).toBe(masked);
  });

  it.each([
    ['times and dates', '2026-12-05 17:07:09 took 15 ms'],
    ['JSON numbers', '{"status":200,"ms":15,"count":123456}'],
    ['an address and port', 'listening on 127.0.0.1:2775'],
    ['a long id that is no number', 'run 123456789012 of cmp_01HZX'],
    ['too few digits', '0991 003 07'],
  ])('leaves %s alone', (_, text) => {
    expect(maskPhoneNumbers(text)).toBe(text);
  });

  it('leaves no Vietnamese number whole, however it is written and wherever it stands', () => {
    fc.assert(
      fc.property(aWrittenNumber, textWithoutDigits, textWithoutDigits, ({ national, written }, before, after) => {
        const masked = maskPhoneNumbers(`${before}${written}${after}`);
        expect(masked.replace(/\D/g, '')).not.toContain(national);
        expect(masked).toContain(`+84${national.slice(0, 2)}`);
        expect(masked).toContain(national.slice(-3));
      }),
      { numRuns: 2_000 },
    );
  });

  it('changes nothing in text without digits', () => {
    fc.assert(fc.property(textWithoutDigits, (text) => maskPhoneNumbers(text) === text));
  });
});

/** A mobile number's 9 national digits (first 3, 5, 7, 8 or 9), written as people, URLs and gateways write it. */
const aWrittenNumber = fc
  .record({
    national: fc.tuple(fc.constantFrom('3', '5', '7', '8', '9'), fc.stringMatching(/^\d{8}$/)).map(([first, rest]) => first + rest),
    prefix: fc.constantFrom('0', '+84', '84', '0084', '%2B84', '(+84)', '(84)', '+84 (0)', '%2B84%20', '+84 0'),
    separator: fc.constantFrom('', ' ', '.', '-', '%20', ' - ', '+'),
    cuts: fc.uniqueArray(fc.integer({ min: 1, max: 8 }), { maxLength: 4 }),
  })
  .map(({ national, prefix, separator, cuts }) => {
    const groups: string[] = [];
    let from = 0;
    for (const cut of [...cuts].sort((a, b) => a - b)) {
      groups.push(national.slice(from, cut));
      from = cut;
    }
    groups.push(national.slice(from));
    const joint = prefix.endsWith(' ') || prefix.endsWith('%20') ? '' : separator || '';
    return { national, written: `${prefix}${joint}${groups.join(separator)}` };
  });

/** Log text around a number: anything but digits (a digit touching the number would make it another number). */
const textWithoutDigits = fc.string({ unit: fc.constantFrom(...'abcXYZ /:=?&"{},_%+-.()\n'.split('')), maxLength: 20 });
