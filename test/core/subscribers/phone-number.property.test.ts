import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nationalMobile } from './phone-arbitraries.js';
import { carrierFromPrefix } from '../../../lambdas/core/subscribers/carriers.js';
import { normalizePhone } from '../../../lambdas/core/subscribers/phone-number.js';

const RUNS = { numRuns: 200 };

/** The digits as people type them: split anywhere by spaces, dots or dashes. */
function withSeparators(digits: string, cuts: number[], separator: string): string {
  const points = [...new Set(cuts.map((cut) => cut % digits.length).filter((cut) => cut > 0))].sort((a, b) => a - b);
  let written = '';
  let from = 0;
  for (const point of points) {
    written += `${digits.slice(from, point)}${separator}`;
    from = point;
  }
  return written + digits.slice(from);
}

const typedForms = fc.record({
  national: nationalMobile,
  prefix: fc.constantFrom('0', '+84', '+84 ', '0084', '0084 ', '84', '(0', '+84 ('),
  separator: fc.constantFrom(' ', '.', '-', ''),
  cuts: fc.array(fc.nat({ max: 9 }), { maxLength: 3 }),
  padding: fc.constantFrom('', ' ', '\t', '  '),
});

function typed(form: { national: string; prefix: string; separator: string; cuts: number[]; padding: string }): string {
  // A bracket opened in the prefix closes after the carrier's prefix: "(091) 234 5678", "+84 (91) 234 5678".
  const body = form.prefix.endsWith('(')
    ? `${form.national.slice(0, 2)})${form.separator || ' '}${withSeparators(form.national.slice(2), form.cuts, form.separator)}`
    : withSeparators(form.national, form.cuts, form.separator);
  return `${form.padding}${form.prefix}${body}${form.padding}`;
}

describe('the phone parser, for generated numbers', () => {
  it('reads every way of typing a Vietnamese mobile number as the same E.164 number, with its prefix carrier', () => {
    fc.assert(
      fc.property(typedForms, (form) => {
        const result = normalizePhone(typed(form));

        expect(result).toEqual({ ok: true, e164: `+84${form.national}`, carrier: carrierFromPrefix(`+84${form.national}`) });
      }),
      RUNS,
    );
  });

  it('is idempotent: its own E.164 output reads back unchanged', () => {
    fc.assert(
      fc.property(fc.oneof(typedForms.map(typed), fc.string({ maxLength: 20 })), (input) => {
        const first = normalizePhone(input);
        if (!first.ok) return;

        expect(normalizePhone(first.e164)).toEqual(first);
      }),
      RUNS,
    );
  });

  it('never throws, and answers any input with a Vietnamese E.164 number or a reason quoting the input', () => {
    const anything = fc.oneof(
      fc.string({ maxLength: 30 }),
      fc.string({ unit: 'binary', maxLength: 30 }),
      fc.stringMatching(/^[+0-9 ().-]{0,20}$/),
      fc.tuple(typedForms.map(typed), fc.string({ maxLength: 3 })).map(([phone, noise]) => phone + noise),
    );
    fc.assert(
      fc.property(anything, (input) => {
        const result = normalizePhone(input);

        if (result.ok) expect(result.e164).toMatch(/^\+84\d{9}$/);
        else {
          expect(['invalid_number', 'not_mobile', 'not_vietnamese']).toContain(result.problem);
          expect(result.message.length).toBeGreaterThan(0);
        }
      }),
      RUNS,
    );
  });

  it('refuses anything with a letter in it', () => {
    const withLetter = fc
      .tuple(typedForms.map(typed), fc.nat(), fc.constantFrom('a', 'O', 'l', 'x', 'đ'))
      .map(([phone, at, letter]) => phone.slice(0, at % phone.length) + letter + phone.slice(at % phone.length));
    fc.assert(
      fc.property(withLetter, (input) => {
        expect(normalizePhone(input)).toMatchObject({ ok: false, problem: 'invalid_number' });
      }),
      RUNS,
    );
  });
});
