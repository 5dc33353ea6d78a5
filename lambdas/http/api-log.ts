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

/** +84 and 9 digits (the + possibly percent-encoded), or 0 and 9 digits, not inside a longer number. */
const PHONE_LIKE = /(?<!\d)(?:\+|%2B)?84\d{9}(?!\d)|(?<!\d)0\d{9}(?!\d)/gi;

export function maskPhoneNumbers(text: string): string {
  return text.replace(PHONE_LIKE, (match) => {
    const digits = match.replace(/^(\+|%2B)/i, '');
    return maskPhone(digits.startsWith('84') ? `+${digits}` : `+84${digits.slice(1)}`);
  });
}
