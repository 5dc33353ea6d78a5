import { maskPhone } from '../core/subscribers/phone-number.js';

const PHONE = /\+?84\d{9}\b|\b0\d{9}\b/g;

/** Phone numbers never reach the logs whole: anything that looks like one is masked. */
export function maskPhones(text: string): string {
  return text.replace(PHONE, (match) => maskPhone(match.startsWith('+') ? match : `+84${match.replace(/^(84|0)/, '')}`));
}

function write(level: string, message: string, error?: unknown): void {
  const line: Record<string, unknown> = { time: new Date().toISOString(), level, message: maskPhones(message) };
  if (error !== undefined) line.error = maskPhones(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

/** Structured JSON lines on standard output. */
export const log = {
  info: (message: string) => write('info', message),
  warn: (message: string) => write('warn', message),
  error: (message: string, error?: unknown) => write('error', message, error),
};
