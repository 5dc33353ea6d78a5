/**
 * The API's log lines. Paths and error texts can hold phone numbers (`/v1/subscribers/+84912345678`, a
 * message naming a number): they are masked before anything is written.
 */
import { maskPhone } from '../core/subscribers/phone-number.js';

export interface ApiLogEntry {
  level: 'info' | 'error';
  message: string;
  method: string;
  /** Masked. */
  path: string;
  status: number;
  ms: number;
  caller?: string;
  /** Masked; only on unexpected errors. */
  error?: string;
  /** The `instance` of the 500 problem, to find this line from a user's report. */
  instance?: string;
}

export type ApiLog = (entry: ApiLogEntry) => void;

/** One JSON line per entry on standard output (CloudWatch Logs on AWS). */
export const jsonLinesLog: ApiLog = (entry) => {
  process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), ...entry })}\n`);
};

/**
 * A run of digit groups joined by up to four separators (spaces, dots, dashes, brackets, + and their
 * percent-encodings), starting where no digit or percent-escape ends: `(+84) 991-003-071`, `0991%20003%20071`.
 */
const SEPARATOR = String.raw`(?:[\s.()\-]|%20|%28|%29)`;
const PLUS = String.raw`(?:\+|%2B)`;
const MORE_GROUPS = String.raw`(?:(?:${SEPARATOR}{1,4}${PLUS}?|${PLUS})\d+)*`;
const DIGIT_RUN = new RegExp(String.raw`(?:(?<=%20|%28|%29|%2B)|(?<![\d%]|%[\da-f]))${PLUS}?\d+${MORE_GROUPS}`, 'gi');
/** Digits in or right after what looks like a percent-escape are also read as they stand: 5%0991003071, %a0991003071. */
const DIGIT_RUN_AFTER_PERCENT = new RegExp(String.raw`(?<=%[\da-f]?)\d+${MORE_GROUPS}`, 'gi');
/** Within a run: separators, and groups of digits (a + before a group is only punctuation: 0991+003+071 in a query). */
const RUN_PART = new RegExp(String.raw`${SEPARATOR}+|${PLUS}?(\d+)`, 'gi');
/**
 * The digits of a Vietnamese number, whichever way it was written: a national number (9 digits, or 10 for
 * a landline's) after a trunk 0, after 84 or 0084 (the + is gone with the punctuation), or both: +84 (0) 991...
 */
const VIETNAMESE_NUMBER = /^(?:(?:00)?840?|0)([1-9]\d{8}|2\d{9})$/;
const SHORTEST_NUMBER_DIGITS = 10;
const LONGEST_NUMBER_DIGITS = 15;

/**
 * Masks every run of digits that normalizes to a Vietnamese phone number, however it is formatted or
 * encoded (see the tests for the forms), keeping what maskPhone keeps: +8499****071. Several numbers in
 * one run (a list) are each masked; digits that make no number are left as they are.
 */
export function maskPhoneNumbers(text: string): string {
  return text.replace(DIGIT_RUN, maskRun).replace(DIGIT_RUN_AFTER_PERCENT, maskRun);
}

function maskRun(run: string): string {
  const groups = [...run.matchAll(RUN_PART)].flatMap((part) =>
    part[1] === undefined ? [] : [{ start: part.index, end: part.index + part[0].length, digits: part[1] }],
  );
  let masked = '';
  let copiedTo = 0;
  for (let first = 0; first < groups.length; ) {
    const found = longestNumberFrom(groups, first);
    if (found === undefined) {
      first += 1;
      continue;
    }
    masked += run.slice(copiedTo, groups[first]!.start) + maskPhone(`+84${found.national}`);
    copiedTo = groups[found.last]!.end;
    first = found.last + 1;
  }
  return masked + run.slice(copiedTo);
}

/** The most groups from `first` on whose digits together are a Vietnamese number. */
function longestNumberFrom(groups: { digits: string }[], first: number): { last: number; national: string } | undefined {
  let digits = '';
  let found: { last: number; national: string } | undefined;
  for (let last = first; last < groups.length; last += 1) {
    digits += groups[last]!.digits;
    if (digits.length > LONGEST_NUMBER_DIGITS) break;
    const national = digits.length < SHORTEST_NUMBER_DIGITS ? undefined : VIETNAMESE_NUMBER.exec(digits)?.[1];
    if (national !== undefined) found = { last, national };
  }
  return found;
}
