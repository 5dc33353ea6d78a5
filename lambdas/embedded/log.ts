import { maskPhoneNumbers } from '../http/api-log.js';

function write(level: string, message: string, error?: unknown): void {
  const line: Record<string, unknown> = { time: new Date().toISOString(), level, message: maskPhoneNumbers(message) };
  if (error !== undefined) line.error = maskPhoneNumbers(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

/** Structured JSON lines on standard output; phone numbers never reach them whole, in any format. */
export const log = {
  info: (message: string) => write('info', message),
  warn: (message: string) => write('warn', message),
  error: (message: string, error?: unknown) => write('error', message, error),
};
