import { checkTourPlan } from '../../core/tours/tour-use-cases.js';
import { tourCheckBody, tourCheckView } from '../views/tour-check-views.js';
import { ok, route } from '../route.js';
import { newTourBody } from './tour-routes.js';

export const tourCheckRoutes = [
  route({
    method: 'POST',
    path: '/v1/tours/check',
    summary: 'Check a tour plan against the rules (van busy, quiet hours, daily slots, area limits, quiet areas) without saving it',
    description:
      'The body of POST /v1/tours. Answers 200 with the problems that would refuse it and the warnings it would carry; ' +
      'input that names nothing (an unknown van, area or script, a van in maintenance) is refused as on create.',
    tag: 'tours',
    access: ['author', 'operator'],
    body: newTourBody,
    responses: { 200: { description: 'The rule checks of the plan and the times of its first run', schema: tourCheckView } },
    handle: async ({ deps, caller, body }) => ok(tourCheckBody(await checkTourPlan(deps, caller, body))),
  }),
];
