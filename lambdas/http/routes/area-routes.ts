import { z } from 'zod';
import { listAreas, registerAreas } from '../../core/areas/area-use-cases.js';
import { ALL_ROLES, created, name, ok, pageQuery, route } from '../route.js';
import { areaView } from '../views/area-views.js';
import { pageOf } from '../views/view-fields.js';

const TAG = 'areas';

export const areaCode = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, "_", "." and "-" only');

export const areaRoutes = [
  route({
    method: 'POST',
    path: '/v1/areas',
    summary: 'Register or rename areas in bulk, parents before or alongside children',
    tag: TAG,
    access: ['operator'],
    body: z.strictObject({
      areas: z
        .array(
          z.strictObject({
            code: areaCode,
            name,
            parentCode: areaCode.optional(),
            quiet: z.boolean().optional().describe('A hospital or school: loudspeaker tours pass it by unless emergency'),
          }),
        )
        .min(1)
        .max(10_000),
    }),
    idempotent: true,
    responses: {
      201: {
        description: 'The registered areas with their paths',
        schema: z.strictObject({ areas: z.array(areaView) }).meta({ id: 'RegisteredAreas' }),
      },
    },
    handle: async ({ deps, caller, body }) => created({ areas: await registerAreas(deps, caller, body.areas) }),
  }),
  route({
    method: 'GET',
    path: '/v1/areas',
    summary: 'List areas',
    tag: TAG,
    access: ALL_ROLES,
    query: pageQuery,
    responses: { 200: { description: 'A page of areas', schema: pageOf(areaView) } },
    handle: async ({ deps, query }) => ok(await listAreas(deps, query)),
  }),
];
