import { ValidationError } from '../errors.js';

/**
 * The schedule parser names its fields `schedule` and `timezone`; in a campaign or a tour they sit under
 * `schedule`, so its problems are renamed to `schedule.expression` and `schedule.timezone`.
 */
export function inScheduleFields<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    const problems = error.problems.map((problem) => ({
      ...problem,
      field: problem.field === 'timezone' ? 'schedule.timezone' : 'schedule.expression',
    }));
    throw new ValidationError(problems.map(({ field, message }) => `${field}: ${message}`).join('; '), problems);
  }
}
