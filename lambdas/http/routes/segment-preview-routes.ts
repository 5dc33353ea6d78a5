import { z } from 'zod';
import { previewSegment } from '../../core/segments/segment-use-cases.js';
import { segmentCountsView } from '../views/segment-views.js';
import { name, ok, route } from '../route.js';
import { segmentFilter } from './segment-routes.js';

export const segmentPreviewRoutes = [
  route({
    method: 'POST',
    path: '/v1/segments/preview',
    summary: 'The live counts of a filter while a segment is built, by carrier and by area; nothing is saved',
    description:
      'The body of POST /v1/segments (its name optional). With an empty filter the counts cover every subscriber: ' +
      'byArea, with GET /v1/areas, gives the area tree its counts. Opted-out numbers are not counted.',
    tag: 'segments',
    access: ['author', 'operator'],
    body: z.strictObject({ name: name.optional(), filter: segmentFilter }),
    responses: { 200: { description: 'Who the filter reaches now: total, byCarrier, byArea', schema: segmentCountsView } },
    handle: async ({ deps, body }) => ok(await previewSegment(deps, body.filter)),
  }),
];
