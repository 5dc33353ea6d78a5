import { z } from 'zod';
import { ValidationError } from '../../core/errors.js';
import { parseSchedule, searchFireTimes } from '../../core/schedules/schedule-expression.js';
import { ALL_ROLES, ok, route } from '../route.js';
import { schedulePreviewView } from '../views/schedule-views.js';

export const scheduleRoutes = [
  route({
    method: 'GET',
    path: '/v1/schedule-preview',
    summary: 'The next fire times of a schedule expression, to check it before creating a campaign',
    tag: 'schedules',
    access: ALL_ROLES,
    query: z.object({
      expression: z.string().min(1).max(256).describe('at(yyyy-mm-ddThh:mm:ss), rate(value unit) or cron(six fields)'),
      timezone: z.string().min(1).max(64).optional().describe('IANA name; defaults to the deployment time zone'),
      from: z.iso.datetime({ offset: true }).optional().describe('Fire times at or after this instant; defaults to now'),
      count: z.coerce.number().int().min(1).max(100).default(10),
    }),
    responses: { 200: { description: 'The next fire times, in UTC', schema: schedulePreviewView } },
    handle: async ({ deps, query }) => {
      const timezone = query.timezone ?? deps.config.timezone;
      const from = query.from ? new Date(query.from) : deps.clock.now();
      try {
        const schedule = parseSchedule(query.expression, timezone);
        const search = searchFireTimes(schedule, { from, count: query.count });
        return ok({
          expression: query.expression,
          timezone,
          fireTimes: search.fireTimes.map((time) => time.toISOString()),
          ...(search.stoppedAt && { searchStoppedAt: search.stoppedAt.toISOString() }),
        });
      } catch (error) {
        // The parser names the field `schedule`; here it is the `expression` query parameter.
        if (!(error instanceof ValidationError)) throw error;
        const problems = error.problems.map((problem) => (problem.field === 'schedule' ? { ...problem, field: 'expression' } : problem));
        throw new ValidationError(problems.map((problem) => `${problem.field}: ${problem.message}`).join('; '), problems);
      }
    },
  }),
];
