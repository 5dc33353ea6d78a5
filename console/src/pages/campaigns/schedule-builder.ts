/**
 * The schedule builder's logic: the author's choice (once at, every N units, weekly on days, or an
 * expression typed by hand) becomes an EventBridge expression, and the expression is checked and its next
 * fire times worked out by the core's own parser, bundled, so the console and the server always agree.
 */
import { ValidationError } from '../../../../lambdas/core/errors';
import { fireTimes, parseSchedule, type RateUnit } from '../../../../lambdas/core/schedules/schedule-expression';
import { wallClockParts } from '../../format';

/** Days of the week as EventBridge names them (1 = SUN ... 7 = SAT), Monday first as staff read a week. */
export const WEEK_DAYS = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'] as const;
export type WeekDay = (typeof WEEK_DAYS)[number];

export const RATE_UNITS: readonly RateUnit[] = ['minutes', 'hours', 'days'];

export type ScheduleChoice =
  /** No schedule: the campaign sends as soon as it is approved. */
  | { kind: 'none' }
  /** `date` as yyyy-mm-dd and `time` as HH:mm, on the deployment's wall clock. */
  | { kind: 'once'; date: string; time: string }
  | { kind: 'every'; value: string; unit: RateUnit }
  | { kind: 'weekly'; days: readonly WeekDay[]; time: string }
  | { kind: 'expression'; expression: string };

export type ScheduleKind = ScheduleChoice['kind'];

/**
 * The expression a choice stands for; undefined for no schedule. What the author has not filled in yet
 * still gives an expression (an incomplete one), so the preview can say what is missing.
 */
export function expressionFor(choice: ScheduleChoice): string | undefined {
  switch (choice.kind) {
    case 'none':
      return undefined;
    case 'once':
      return `at(${choice.date}T${choice.time}:00)`;
    case 'every': {
      const value = choice.value.trim();
      return `rate(${value} ${value === '1' ? choice.unit.slice(0, -1) : choice.unit})`;
    }
    case 'weekly': {
      const [hour = '', minute = ''] = choice.time.split(':');
      const days = WEEK_DAYS.filter((day) => choice.days.includes(day)).join(',');
      return `cron(${Number(minute)} ${Number(hour)} ? * ${days} *)`;
    }
    case 'expression':
      return choice.expression.trim();
  }
}

/** Why an expression cannot be used, as a key of the campaigns namespace (scheduleProblem.<key>) and its values. */
export interface ScheduleProblem {
  key: string;
  values: Record<string, string>;
  /** The parser's own words, exact, for whoever wants the detail. */
  reason: string;
}

export type SchedulePreview = { ok: true; fireTimes: Date[] } | { ok: false; problem: ScheduleProblem };

/**
 * Checks an expression in the deployment's time zone and gives its next `count` fire times from `now`; a
 * rate counts from `start` (an armed campaign's next fire), else from now as the server does on approval.
 */
export function previewSchedule(expression: string, timezone: string, now: Date, count = 5, start?: Date): SchedulePreview {
  if (expression === '') return { ok: false, problem: { key: 'empty', values: {}, reason: '' } };
  try {
    const schedule = parseSchedule(expression, timezone);
    const times = fireTimes(schedule, { from: now, count, ...(start && { start }) });
    if (times.length > 0) return { ok: true, fireTimes: times };
    const key = schedule.kind === 'at' ? 'past' : 'never';
    return { ok: false, problem: { key, values: {}, reason: `${expression} never fires after ${now.toISOString()}` } };
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    const reason = error.problems[0]?.message ?? error.message;
    return { ok: false, problem: explainScheduleReason(reason) };
  }
}

/** The parser's field names, as keys of scheduleField.<key>. */
const FIELD_KEYS: Record<string, string> = {
  minute: 'minute',
  hour: 'hour',
  'day-of-month': 'dayOfMonth',
  month: 'month',
  'day-of-week': 'dayOfWeek',
  year: 'year',
};

const FIELD = '(minute|hour|day-of-month|month|day-of-week|year)';

/**
 * The parser's reasons (English, exact) turned into the staff's words: each pattern names one mistake an
 * author makes; anything else is said with the parser's own reason.
 */
const EXPLANATIONS: readonly { pattern: RegExp; key: string; values?: (match: RegExpExecArray) => Record<string, string> }[] = [
  { pattern: /must be at\(yyyy-mm-ddThh:mm:ss\), rate\(value unit\) or cron\(fields\)$/, key: 'kind' },
  { pattern: /^at\(\) needs yyyy-mm-ddThh:mm:ss/, key: 'atFormat' },
  { pattern: /^at\(\): (\S+) is not a valid date/, key: 'atDate', values: (m) => ({ date: m[1] ?? '' }) },
  { pattern: /^at\(\): (hour|minute|second) (\d+) is out of range/, key: 'atTime', values: (m) => ({ value: m[2] ?? '' }) },
  { pattern: /^rate\(.*\) needs a value and a unit/, key: 'rateFormat' },
  { pattern: /^rate value "(.*)" must be a positive whole number/, key: 'rateValue', values: (m) => ({ value: m[1] ?? '' }) },
  { pattern: /^rate unit "(.*)" is not valid/, key: 'rateUnit', values: (m) => ({ unit: m[1] ?? '' }) },
  { pattern: /must use the singular '(\w+)'/, key: 'rateSingular', values: (m) => ({ unit: m[1] ?? '' }) },
  { pattern: /must use the plural '(\w+)'/, key: 'ratePlural', values: (m) => ({ unit: m[1] ?? '' }) },
  { pattern: /^cron needs 6 fields, got (\d+)/, key: 'cronFieldCount', values: (m) => ({ count: m[1] ?? '' }) },
  { pattern: /^cron fields must be separated by single spaces/, key: 'cronSpaces' },
  { pattern: /cannot both be \?/, key: 'cronBothAny' },
  { pattern: /cannot both be specified/, key: 'cronNeitherAny' },
  {
    pattern: /^\? is only allowed in day-of-month or day-of-week, not in (\S+)/,
    key: 'cronQuestionMark',
    values: (m) => ({ field: m[1] ?? '' }),
  },
  {
    pattern: new RegExp(`^${FIELD} (\\d+) is out of range (\\d+-\\d+)`),
    key: 'cronRange',
    values: (m) => ({ field: m[1] ?? '', value: m[2] ?? '', range: m[3] ?? '' }),
  },
  {
    pattern: new RegExp(`^${FIELD} "(.*)" must be written in upper case: (\\S+)`),
    key: 'cronUpperCase',
    values: (m) => ({ field: m[1] ?? '', value: m[2] ?? '', upper: m[3] ?? '' }),
  },
  {
    pattern: new RegExp(`^${FIELD} value "(.*)" is not valid`),
    key: 'cronValue',
    values: (m) => ({ field: m[1] ?? '', value: m[2] ?? '' }),
  },
  {
    pattern: new RegExp(`^${FIELD} range "(.*)" goes backwards`),
    key: 'cronBackwards',
    values: (m) => ({ field: m[1] ?? '', value: m[2] ?? '' }),
  },
  {
    pattern: new RegExp(`^${FIELD} (?:increment|does not allow increments)`),
    key: 'cronIncrement',
    values: (m) => ({ field: m[1] ?? '' }),
  },
  { pattern: /^unknown time zone "(.*)"/, key: 'timezone', values: (m) => ({ zone: m[1] ?? '' }) },
];

export function explainScheduleReason(reason: string): ScheduleProblem {
  for (const { pattern, key, values } of EXPLANATIONS) {
    const match = pattern.exec(reason);
    if (!match) continue;
    const found = values?.(match) ?? {};
    return { key, values: found.field === undefined ? found : { ...found, field: fieldKey(found.field) }, reason };
  }
  return { key: 'other', values: { reason }, reason };
}

/** A field named by the parser as a key under scheduleField (`day-of-week` gives `dayOfWeek`). */
function fieldKey(field: string): string {
  return FIELD_KEYS[field] ?? field;
}

/** Today on the deployment's wall clock as yyyy-mm-dd and the next whole hour as HH:mm: the builder's defaults. */
export function defaultOnce(now: Date, timezone: string): { date: string; time: string } {
  const next = new Date(Math.ceil((now.getTime() + 1) / 3_600_000) * 3_600_000);
  const parts = wallClockParts(next, timezone);
  return { date: `${parts.year}-${parts.month}-${parts.day}`, time: `${parts.hour}:${parts.minute}` };
}
