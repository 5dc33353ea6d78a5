import { z } from 'zod';
import { tourCoverage } from '../../core/tours/coverage.js';
import { ALL_ROLES, ok, route } from '../route.js';
import { coverageView } from '../views/tour-views.js';
import { areaCode } from './area-routes.js';
import { dayOrInstant, instantOf } from './period-query.js';

export const coverageRoutes = [
  route({
    method: 'GET',
    path: '/v1/coverage',
    summary: 'Loudspeaker broadcasts planned, confirmed and missed per residential area in a period, and the areas with none',
    tag: 'tours',
    access: ALL_ROLES,
    query: z.object({
      from: dayOrInstant.describe('A local day (YYYY-MM-DD, from its midnight) or an instant with its offset'),
      to: dayOrInstant.describe('Exclusive; at most 31 days after from'),
      within: areaCode.optional().describe('Only the residential areas within this one (a district, a commune)'),
    }),
    responses: { 200: { description: 'Broadcasts per residential area, and the areas with none', schema: coverageView } },
    handle: async ({ deps, query }) => {
      const { timezone } = deps.config;
      return ok(await tourCoverage(deps, { from: instantOf(query.from, timezone), to: instantOf(query.to, timezone) }, query.within));
    },
  }),
];
