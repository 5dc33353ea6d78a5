/**
 * The live counter beside the template editor. It runs the server's own modules (bundled, not copied), so
 * what an author sees while typing is what the API will say the version costs: every placeholder counted at
 * its maximum length, and the same text without diacritics.
 */
import { stripDiacritics } from '../../../../lambdas/core/templates/diacritics';
import {
  checkPlaceholders,
  placeholderNames,
  smsSummary,
  worstCaseRendering,
  type Placeholder,
} from '../../../../lambdas/core/templates/placeholders';
import { countSmsParts, type SmsEncoding } from '../../../../lambdas/core/templates/sms-parts';
import { readingSeconds, WORDS_PER_MINUTE } from '../../../../lambdas/core/tours/reading-time';
import { ValidationError, type FieldProblem } from '../../../../lambdas/core/errors';

export type { Placeholder };

export interface SmsCount {
  /** Characters of the text with every placeholder at its maximum length. */
  characters: number;
  encoding: SmsEncoding;
  parts: number;
  partsWithoutDiacritics: number;
  /** The body as it would be sent without diacritics, placeholders left as {{name}}. */
  withoutDiacritics: string;
  /**
   * What the server would refuse (malformed braces, undeclared or unused placeholders). While there are
   * problems the placeholders cannot be priced, so the text is counted as typed.
   */
  problems: FieldProblem[];
}

export interface ScriptCount {
  characters: number;
  /** One reading aloud, at the pace the tour planner assumes. */
  readingSeconds: number;
  wordsPerMinute: number;
}

/** Counted in NFC, as the server keeps and sends it whatever form the keyboard typed (lambdas/http/nfc-text.ts). */
export function countSms(typed: string, placeholders: readonly Placeholder[]): SmsCount {
  const body = typed.normalize('NFC');
  const withoutDiacritics = stripDiacritics(body);
  const declared = [...placeholders];
  try {
    checkPlaceholders(body, declared);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    const asTyped = countSmsParts(body);
    return {
      characters: [...body].length,
      encoding: asTyped.encoding,
      parts: asTyped.parts,
      partsWithoutDiacritics: countSmsParts(withoutDiacritics).parts,
      withoutDiacritics,
      problems: error.problems,
    };
  }
  const summary = smsSummary(body, declared);
  const characters = [...worstCaseRendering(body, declared)].length;
  return { characters, ...summary, withoutDiacritics, problems: [] };
}

export function countScript(typed: string): ScriptCount {
  const body = typed.normalize('NFC');
  return {
    characters: [...body].length,
    readingSeconds: readingSeconds(body),
    wordsPerMinute: WORDS_PER_MINUTE,
  };
}

/** Placeholders used in the body that are not declared yet, in order of first use. */
export function undeclaredPlaceholders(body: string, placeholders: readonly Placeholder[]): string[] {
  const declared = new Set(placeholders.map(({ name }) => name));
  return placeholderNames(body).filter((name) => !declared.has(name));
}
