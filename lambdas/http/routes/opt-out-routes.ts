import { z } from 'zod';
import { addOptOut, listOptOuts, removeOptOut } from '../../core/opt-outs/opt-out-use-cases.js';
import { noContent, ok, pageQuery, route } from '../route.js';
import { optOutView } from '../views/subscriber-views.js';
import { PHONE_WHOLE_FOR, pageWithPhonesFor } from '../views/phone-views.js';
import { pageOf } from '../views/view-fields.js';

const TAG = 'opt-outs';

export const optOutRoutes = [
  route({
    method: 'POST',
    path: '/v1/opt-outs',
    summary: 'Record that a number wants no more messages (every campaign respects it)',
    tag: TAG,
    access: ['operator', 'integration'],
    body: z.strictObject({
      phone: z.string().min(1).max(32),
      source: z.string().trim().min(1).max(100).describe('Where the request came from, e.g. hotline-1022'),
    }),
    idempotent: true,
    responses: {
      201: { description: 'The opt-out', schema: optOutView },
      200: { description: 'The number had already opted out: the first record', schema: optOutView },
    },
    handle: async ({ deps, caller, body }) => {
      const { optOut, created } = await addOptOut(deps, caller, body);
      return { status: created ? 201 : 200, body: optOut };
    },
  }),
  route({
    method: 'GET',
    path: '/v1/opt-outs',
    summary: 'List opt-outs',
    tag: TAG,
    access: ['operator', 'viewer'],
    query: pageQuery,
    responses: { 200: { description: 'A page of opt-outs; numbers whole to operators, masked to viewers', schema: pageOf(optOutView) } },
    handle: async ({ deps, caller, query }) => ok(pageWithPhonesFor(caller, await listOptOuts(deps, query), PHONE_WHOLE_FOR.optOuts)),
  }),
  route({
    method: 'POST',
    path: '/v1/opt-outs/remove',
    summary: 'Remove an opt-out (the number may be messaged again)',
    description: 'The number is sent in the body, never in the URL, so that no access log records it.',
    tag: TAG,
    access: ['operator'],
    body: z.strictObject({ phone: z.string().min(1).max(32).describe('E.164 or national form') }),
    responses: { 204: 'Removed' },
    handle: async ({ deps, caller, body }) => {
      await removeOptOut(deps, caller, body.phone);
      return noContent();
    },
  }),
];
