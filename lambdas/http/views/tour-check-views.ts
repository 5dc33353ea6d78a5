/** What checking a tour plan returns: the rules' problems and warnings, and when its first run would be. */
import { z } from 'zod';
import type { RuleProblem } from '../../core/tours/tour-rules.js';
import type { TourPlanCheck } from '../../core/tours/tour-use-cases.js';
import { PROBLEMS } from '../problem.js';
import { describing, timestamp } from './view-fields.js';

/** What creating the tour answers for each kind of broken rule: a conflict, or invalid fields. */
const STATUS_OF_RULE_PROBLEM = { conflict: PROBLEMS.conflict.status, invalid: PROBLEMS['invalid-fields'].status } as const;

type RuleProblemBody = Omit<RuleProblem, 'kind'> & { status: (typeof STATUS_OF_RULE_PROBLEM)[RuleProblem['kind']] };
type TourCheckBody = Omit<TourPlanCheck, 'problems'> & { problems: RuleProblemBody[] };

/** The check as the API answers it: each problem with the status that creating the tour now would answer. */
export function tourCheckBody(check: TourPlanCheck): TourCheckBody {
  return {
    ...check,
    problems: check.problems.map(({ rule, kind, field, message }) => ({ rule, status: STATUS_OF_RULE_PROBLEM[kind], field, message })),
  };
}

const stop = z.strictObject({ areaCode: z.string(), minutes: z.number().int().describe('Minutes broadcasting there') });

export const tourCheckView = describing<TourCheckBody>()(
  z
    .strictObject({
      stops: z.array(stop).describe('The stops the van would make: a normal tour passes quiet areas by'),
      warnings: z.array(z.string()).describe('What the soft rules found; the tour may still be created'),
      problems: z
        .array(
          z.strictObject({
            rule: z.enum(['van_busy', 'quiet_hours', 'outside_slots', 'area_limit']),
            status: z.union([z.literal(409), z.literal(422)]).describe('What creating the tour now would answer'),
            field: z.string().describe('The input field the problem is about'),
            message: z.string().describe("The rule's own words"),
          }),
        )
        .describe('What would refuse the tour; empty when it can be created'),
      firstRun: z
        .strictObject({
          startsAt: timestamp,
          endsAt: timestamp,
          stops: z.array(stop.extend({ startsAt: timestamp, endsAt: timestamp })),
        })
        .optional()
        .describe('The times of its first start after now; absent when the schedule has none'),
    })
    .meta({ id: 'TourCheck' }),
);
