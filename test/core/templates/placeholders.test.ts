import { describe, expect, it } from 'vitest';
import { ValidationError, type FieldProblem } from '../../../lambdas/core/errors.js';
import {
  checkPlaceholders,
  placeholderNames,
  render,
  smsSummary,
  worstCaseRendering,
  type Placeholder,
} from '../../../lambdas/core/templates/placeholders.js';
import { countSmsParts } from '../../../lambdas/core/templates/sms-parts.js';

function placeholder(name: string, maxLength = 20): Placeholder {
  return { name, maxLength };
}

/** The field problems of the ValidationError that `action` throws; fails the test if it throws nothing. */
function problemsOf(action: () => unknown): FieldProblem[] {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as ValidationError).problems;
  }
  throw new Error('expected a ValidationError, nothing was thrown');
}

const GREETING = 'Kính gửi {{hoTen}}, lịch tiêm của {{hoTen}} là {{ngay}}.';
const GREETING_PLACEHOLDERS = [placeholder('hoTen', 30), placeholder('ngay', 10)];

describe('placeholderNames', () => {
  it('lists each name once, in order of first appearance', () => {
    expect(placeholderNames(GREETING)).toEqual(['hoTen', 'ngay']);
  });

  it('lists nothing for a body without placeholders', () => {
    expect(placeholderNames('Tin khẩn: mưa lớn, tránh xa bờ sông.')).toEqual([]);
  });

  it('leaves malformed placeholders out', () => {
    expect(placeholderNames('{{ }} {{1x}} {{ ten }} {{ok_2}}')).toEqual(['ok_2']);
  });
});

describe('checkPlaceholders', () => {
  it('accepts a body whose placeholders are all declared and used', () => {
    expect(() => checkPlaceholders(GREETING, GREETING_PLACEHOLDERS)).not.toThrow();
  });

  it('accepts a body without placeholders and without declarations', () => {
    expect(() => checkPlaceholders('Không có biến nào.', [])).not.toThrow();
  });

  it('accepts single braces as ordinary text', () => {
    expect(() => checkPlaceholders('Mã {x} [y] {{ma}}', [placeholder('ma')])).not.toThrow();
  });

  it('refuses a placeholder used in the body but not declared, naming the body', () => {
    expect(problemsOf(() => checkPlaceholders(GREETING, [placeholder('hoTen')]))).toEqual([
      { field: 'body', message: expect.stringContaining('{{ngay}}') },
    ]);
  });

  it('refuses a declared placeholder the body never uses, naming the declaration', () => {
    const declared = [...GREETING_PLACEHOLDERS, placeholder('diaDiem')];
    expect(problemsOf(() => checkPlaceholders(GREETING, declared))).toEqual([
      { field: 'placeholders.2.name', message: expect.stringContaining('diaDiem') },
    ]);
  });

  it('refuses a placeholder declared twice, naming the second declaration', () => {
    const declared = [placeholder('hoTen'), placeholder('ngay'), placeholder('hoTen')];
    expect(problemsOf(() => checkPlaceholders(GREETING, declared))).toEqual([
      { field: 'placeholders.2.name', message: expect.stringContaining('more than once') },
    ]);
  });

  const notPositiveIntegers = [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY];
  it.each(notPositiveIntegers)('refuses a maximum length of %s', (maxLength) => {
    const declared = [placeholder('hoTen'), placeholder('ngay', maxLength)];
    expect(problemsOf(() => checkPlaceholders(GREETING, declared))).toEqual([
      { field: 'placeholders.1.maxLength', message: expect.stringContaining('positive integer') },
    ]);
  });

  it('refuses a declared name that could never be written as a placeholder', () => {
    const problems = problemsOf(() => checkPlaceholders('Xin chào', [placeholder('họ tên')]));
    expect(problems).toEqual([{ field: 'placeholders.0.name', message: expect.stringContaining('not a letter') }]);
  });

  const malformed = ['{{ }}', '{{}}', '{{1x}}', '{{ ten }}', '{{_ten}}', '{{họTên}}', '{{ten-2}}', '{{ten}', 'ten}}'];
  it.each([...malformed, '{{{{ten}}}}'])('refuses the malformed braces in "%s", naming the body', (fragment) => {
    const problems = problemsOf(() => checkPlaceholders(`Kính gửi ${fragment}.`, []));
    expect(problems.length).toBeGreaterThan(0);
    for (const problem of problems) expect(problem.field).toBe('body');
  });

  it('quotes the malformed placeholder in its message', () => {
    expect(problemsOf(() => checkPlaceholders('Chào {{1x}}', []))).toEqual([
      { field: 'body', message: expect.stringContaining('"{{1x}}"') },
    ]);
  });

  it('reports every problem at once', () => {
    const declared = [placeholder('hoTen', 0), placeholder('thua')];
    const problems = problemsOf(() => checkPlaceholders(`${GREETING} {{ }}`, declared));
    expect(problems.map(({ field }) => field).sort()).toEqual(['body', 'body', 'placeholders.0.maxLength', 'placeholders.1.name']);
  });
});

describe('render', () => {
  it('fills every placeholder, repeated ones included', () => {
    expect(render(GREETING, GREETING_PLACEHOLDERS, { hoTen: 'Nguyễn Thị Hạnh', ngay: '12/08' })).toBe(
      'Kính gửi Nguyễn Thị Hạnh, lịch tiêm của Nguyễn Thị Hạnh là 12/08.',
    );
  });

  it('inserts values literally, without replacement patterns', () => {
    expect(render('Mã: {{ma}}', [placeholder('ma')], { ma: "$& $1 $'" })).toBe("Mã: $& $1 $'");
  });

  it('refuses a missing value, naming the variable', () => {
    expect(problemsOf(() => render(GREETING, GREETING_PLACEHOLDERS, { hoTen: 'Hạnh' }))).toEqual([
      { field: 'variables.ngay', message: expect.stringContaining('missing') },
    ]);
  });

  it('refuses a value longer than its maximum, saying the length and the limit', () => {
    const values = { hoTen: 'Hạnh', ngay: '12/08/2025!' };
    expect(problemsOf(() => render(GREETING, GREETING_PLACEHOLDERS, values))).toEqual([
      { field: 'variables.ngay', message: 'is 11 characters long; the limit is 10' },
    ]);
  });

  it('accepts a value exactly as long as its maximum', () => {
    expect(render('{{ngay}}', [placeholder('ngay', 10)], { ngay: '12/08/2025' })).toBe('12/08/2025');
  });

  it('refuses values for names the template does not have', () => {
    const values = { hoTen: 'Hạnh', ngay: '12/08', diaDiem: 'Trạm Y tế' };
    expect(problemsOf(() => render(GREETING, GREETING_PLACEHOLDERS, values))).toEqual([
      { field: 'variables.diaDiem', message: expect.stringContaining('not a placeholder') },
    ]);
  });

  it('composes decomposed values before measuring and inserting them', () => {
    const decomposed = 'Đức'.normalize('NFD');
    expect(decomposed.length).toBe(5);
    const rendered = render('Chào {{ten}}', [placeholder('ten', 3)], { ten: decomposed });
    expect(rendered).toBe('Chào Đức');
    expect(rendered.normalize('NFC')).toBe(rendered);
  });

  it('refuses to render a template that does not pass its check', () => {
    const values = { hoTen: 'Hạnh', ngay: '12/08' };
    expect(problemsOf(() => render(GREETING, [placeholder('hoTen')], values))).toContainEqual({
      field: 'body',
      message: expect.stringContaining('{{ngay}}'),
    });
  });
});

describe('worstCaseRendering', () => {
  it('fills a GSM-7 body with two-septet extension characters', () => {
    const declared = [placeholder('ma', 3), placeholder('ngay', 2)];
    expect(worstCaseRendering('Ma so {{ma}}, han {{ngay}}', declared)).toBe('Ma so €€€, han €€');
  });

  it('fills a UCS-2 body with a character outside GSM', () => {
    const rendered = worstCaseRendering('Mã số {{ma}}', [placeholder('ma', 3)]);
    expect(rendered).toBe('Mã số ễễễ');
    expect(countSmsParts(rendered).encoding).toBe('UCS-2');
  });

  it('judges the encoding by the text around the placeholders only', () => {
    expect(worstCaseRendering('{{a}}{{b}}', [placeholder('a', 1), placeholder('b', 1)])).toBe('€€');
  });

  it('tips a GSM-7 body into a second part when the worst case passes 160 septets', () => {
    const body = 'Ma so: {{ma}}'; // 7 septets of text
    expect(countSmsParts(worstCaseRendering(body, [placeholder('ma', 76)])).parts).toBe(1);
    expect(countSmsParts(worstCaseRendering(body, [placeholder('ma', 77)])).parts).toBe(2);
  });

  it('refuses a template that does not pass its check', () => {
    expect(problemsOf(() => worstCaseRendering('{{ma}}', []))[0]?.field).toBe('body');
  });
});

describe('smsSummary', () => {
  const body = 'Kính gửi ông/bà {{hoTen}}: lịch tiêm của quý vị là {{ngay}} tại {{diaDiem}}. ' + 'Xin mang theo căn cước.';
  const declared = [placeholder('hoTen', 40), placeholder('ngay', 10), placeholder('diaDiem', 60)];

  it('counts a Vietnamese template as UCS-2, and as fewer GSM-7 parts without diacritics', () => {
    // 72 units of text + 110 of values = 182 UCS-2 units: 3 parts of 67.
    // Stripped: 72 septets of text + 110 extension characters of 2 septets = 292 septets: 2 parts of 153.
    expect(smsSummary(body, declared)).toEqual({ encoding: 'UCS-2', parts: 3, partsWithoutDiacritics: 2 });
  });

  it('counts a template already without diacritics the same both ways', () => {
    const plain = 'Kinh gui {{hoTen}}, lich tiem ngay {{ngay}}.';
    expect(smsSummary(plain, [placeholder('hoTen', 40), placeholder('ngay', 10)])).toEqual({
      encoding: 'GSM-7',
      parts: 1,
      partsWithoutDiacritics: 1,
    });
  });

  it('gains nothing from stripping when another character keeps the body in UCS-2', () => {
    const withEmoji = `😷 ${'Đeo khẩu trang. '.repeat(4)}{{ngay}}`;
    const summary = smsSummary(withEmoji, [placeholder('ngay', 10)]);
    expect(summary.encoding).toBe('UCS-2');
    expect(summary.partsWithoutDiacritics).toBe(summary.parts);
    expect(summary.parts).toBe(2);
  });
});
