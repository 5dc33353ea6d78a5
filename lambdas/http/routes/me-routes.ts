import { z } from 'zod';
import { ROLES, type Caller } from '../../core/auth/caller.js';
import { describing } from '../views/view-fields.js';
import { ALL_ROLES, ok, route } from '../route.js';

const callerView = describing<Caller>()(
  z
    .strictObject({
      id: z.string().describe('The user id (the token subject)'),
      name: z.string().optional().describe('The display name, when the sign-in carries one'),
      roles: z.array(z.enum(ROLES)).readonly().describe('The Loa roles held'),
    })
    .meta({ id: 'Caller' }),
);

export const meRoutes = [
  route({
    method: 'GET',
    path: '/v1/me',
    summary: 'The caller as this API sees them: user id, display name and roles (on AWS from the Cognito token)',
    tag: 'system',
    access: ALL_ROLES,
    responses: { 200: { description: 'The caller', schema: callerView } },
    handle: async ({ caller }) => ok({ id: caller.id, ...(caller.name && { name: caller.name }), roles: caller.roles }),
  }),
];
