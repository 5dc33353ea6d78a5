/**
 * Placeholders in template bodies, written {{name}}. Each is declared with a maximum length so that
 * a template's cost in SMS parts is known, and can be approved, before any value is filled in.
 */
import { ValidationError, type FieldProblem } from '../errors.js';
import { stripDiacritics } from './diacritics.js';
import { countSmsParts, isGsm7, type SmsEncoding } from './sms-parts.js';

export interface Placeholder {
  /** A letter, then letters, digits or underscores; ASCII only, since it is also a key in API payloads. */
  name: string;
  /** Longest value accepted, in UTF-16 code units (what UCS-2 counts; an emoji counts 2). */
  maxLength: number;
}

const NAME = '[A-Za-z][A-Za-z0-9_]*';
const PLACEHOLDER = new RegExp(`\\{\\{(${NAME})\\}\\}`);
const VALID_NAME = new RegExp(`^${NAME}$`);
/** What is left of double braces once the well-formed placeholders are cut out. */
const MALFORMED_BRACES = /\{\{[^{}]*\}\}|\{\{|\}\}/g;
const NAME_RULE = 'a letter, then letters, digits or underscores';

/** A body cut at its placeholders: always one more literal than names, literal first. */
interface ParsedBody {
  literals: string[];
  names: string[];
}

/** Distinct placeholder names, in order of first appearance; malformed ones are not names. */
export function placeholderNames(body: string): string[] {
  return [...new Set(parse(body).names)];
}

/**
 * Throws a ValidationError listing every problem at once, so an author fixes a template in one round:
 * malformed braces and undeclared placeholders (field `body`), and for each declaration a bad,
 * duplicate or unused name (`placeholders.N.name`) or a maximum length that is not a positive integer
 * (`placeholders.N.maxLength`).
 */
export function checkPlaceholders(body: string, declared: Placeholder[]): void {
  parseChecked(body, declared);
}

/**
 * Fills the placeholders. The template is checked again, so an unchecked one fails here rather than
 * going out with braces in it. Values are put in NFC first and measured after: imported data is often
 * decomposed (macOS, some spreadsheets), which would lengthen Vietnamese and push a GSM-7
 * message into UCS-2. Throws a ValidationError with a field `variables.NAME` for each value that is
 * missing, too long, or not a placeholder of this template.
 */
export function render(body: string, declared: Placeholder[], values: Record<string, string>): string {
  const parsed = parseChecked(body, declared);
  const composed = new Map(Object.entries(values).map(([name, value]) => [name, value.normalize('NFC')]));
  throwIfAny('Template variables are invalid', valueProblems(declared, composed));
  return interleave(parsed, (name) => composed.get(name) ?? '');
}

/**
 * The body with each placeholder filled by its maximum length of the costliest character in the
 * body's own encoding: an extension character (2 septets) when the text around the placeholders is
 * GSM-7, a BMP character outside GSM when it is UCS-2. This assumes the values stay in the body's
 * encoding; a single Vietnamese letter in a value would turn a GSM-7 message into UCS-2. It is an
 * estimate for authors and approvers; a campaign computes the exact parts with its real values.
 */
export function worstCaseRendering(body: string, declared: Placeholder[]): string {
  const parsed = parseChecked(body, declared);
  const costliest = isGsm7(parsed.literals.join('')) ? '€' : 'ễ';
  const maxLengths = new Map(declared.map(({ name, maxLength }) => [name, maxLength]));
  return interleave(parsed, (name) => costliest.repeat(maxLengths.get(name) ?? 0));
}

/**
 * The worst-case cost of a template as written, and if sent without diacritics, so an author can see
 * what "khong dau" would save. Same assumption as worstCaseRendering. Without diacritics the values
 * are stripped too; the worst case of the stripped body already is what a stripped value costs at
 * most (an extension character in GSM-7, one unit in UCS-2), so stripping it again would change nothing.
 */
export function smsSummary(
  body: string,
  declared: Placeholder[],
): { encoding: SmsEncoding; parts: number; partsWithoutDiacritics: number } {
  const asWritten = countSmsParts(worstCaseRendering(body, declared));
  const withoutDiacritics = countSmsParts(worstCaseRendering(stripDiacritics(body), declared));
  return {
    encoding: asWritten.encoding,
    parts: asWritten.parts,
    partsWithoutDiacritics: withoutDiacritics.parts,
  };
}

function parse(body: string): ParsedBody {
  // Splitting on a pattern with one capture group alternates literal text and captured names.
  const pieces = body.split(PLACEHOLDER);
  return {
    literals: pieces.filter((_, index) => index % 2 === 0),
    names: pieces.filter((_, index) => index % 2 === 1),
  };
}

function parseChecked(body: string, declared: Placeholder[]): ParsedBody {
  const parsed = parse(body);
  throwIfAny('Template is invalid', [...bodyProblems(parsed, declared), ...declarationProblems(parsed, declared)]);
  return parsed;
}

function bodyProblems({ literals, names }: ParsedBody, declared: Placeholder[]): FieldProblem[] {
  const malformed = literals
    .flatMap((literal) => [...literal.matchAll(MALFORMED_BRACES)])
    .map(([fragment]) => ({ field: 'body', message: describeMalformed(fragment) }));
  const declaredNames = new Set(declared.map(({ name }) => name));
  const undeclared = [...new Set(names)]
    .filter((name) => !declaredNames.has(name))
    .map((name) => ({ field: 'body', message: `{{${name}}} is used but not declared` }));
  return [...malformed, ...undeclared];
}

function describeMalformed(fragment: string): string {
  if (fragment === '{{') return '"{{" is never closed by "}}"';
  if (fragment === '}}') return '"}}" closes nothing';
  return `"${fragment}" is not a placeholder: write {{name}}, the name being ${NAME_RULE}`;
}

function declarationProblems({ names }: ParsedBody, declared: Placeholder[]): FieldProblem[] {
  const used = new Set(names);
  const seen = new Set<string>();
  return declared.flatMap(({ name, maxLength }, index) => {
    const problems: FieldProblem[] = [];
    const nameProblem = (message: string) => problems.push({ field: `placeholders.${index}.name`, message });
    if (!VALID_NAME.test(name)) nameProblem(`"${name}" is not ${NAME_RULE}`);
    else if (seen.has(name)) nameProblem(`${name} is declared more than once`);
    else if (!used.has(name)) nameProblem(`${name} is declared but the body never uses {{${name}}}`);
    seen.add(name);
    if (!Number.isInteger(maxLength) || maxLength < 1) {
      problems.push({
        field: `placeholders.${index}.maxLength`,
        message: `must be a positive integer, not ${maxLength}`,
      });
    }
    return problems;
  });
}

function valueProblems(declared: Placeholder[], values: Map<string, string>): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const problem = (name: string, message: string) => problems.push({ field: `variables.${name}`, message });
  for (const { name, maxLength } of declared) {
    const value = values.get(name);
    if (value === undefined) problem(name, 'is missing');
    else if (value.length > maxLength) {
      problem(name, `is ${value.length} characters long; the limit is ${maxLength}`);
    }
  }
  const declaredNames = new Set(declared.map(({ name }) => name));
  for (const name of values.keys()) {
    if (!declaredNames.has(name)) problem(name, 'is not a placeholder of this template');
  }
  return problems;
}

function interleave({ literals, names }: ParsedBody, valueFor: (name: string) => string): string {
  return names.reduce((text, name, index) => text + valueFor(name) + (literals[index + 1] ?? ''), literals[0] ?? '');
}

function throwIfAny(summary: string, problems: FieldProblem[]): void {
  if (problems.length === 0) return;
  const details = problems.map(({ field, message }) => `${field}: ${message}`).join('; ');
  throw new ValidationError(`${summary}: ${details}`, problems);
}
