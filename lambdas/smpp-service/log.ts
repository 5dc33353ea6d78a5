/**
 * The SMPP service's log: one JSON object a line on stdout, which the awslogs driver ships to CloudWatch
 * Logs as it is (Logs Insights reads the fields). Every string in a line, the message, the fields and the
 * texts of errors, has its phone numbers masked on the way out (maskPhoneNumbers keeps +8491****678), so
 * a number in an SMSC's answer or an error never reaches the log whole.
 */
import { maskPhoneNumbers } from '../http/api-log.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, unknown>;
export type Log = Record<LogLevel, (message: string, fields?: LogFields) => void>;

const RANK: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

export interface JsonLogOptions {
  /** Lines below this level are dropped; `info` by default. */
  level?: LogLevel;
  /** Where a finished line goes (without its newline); stdout by default. */
  write?: (line: string) => void;
  now?: () => Date;
  /** Fields every line carries (the service name). */
  base?: LogFields;
}

export function jsonLog(options: JsonLogOptions = {}): Log {
  const minimum = RANK[options.level ?? 'info'];
  const write = options.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const now = options.now ?? (() => new Date());
  const line =
    (level: LogLevel) =>
    (message: string, fields: LogFields = {}) => {
      if (RANK[level] < minimum) return;
      write(JSON.stringify({ level, time: now().toISOString(), message, ...options.base, ...fields }, masking));
    };
  return { debug: line('debug'), info: line('info'), warn: line('warn'), error: line('error') };
}

/** JSON.stringify's replacer: errors as their name, message and stack; every string masked. */
function masking(_key: string, value: unknown): unknown {
  if (value instanceof Error) return { name: value.name, message: value.message, stack: value.stack };
  return typeof value === 'string' ? maskPhoneNumbers(value) : value;
}
