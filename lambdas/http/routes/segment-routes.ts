import { z } from 'zod';
import { getSegment, createSegment } from '../../core/segments/segment-use-cases.js';
import { CARRIERS } from '../../core/subscribers/carriers.js';
import { ALL_ROLES, created, name, ok, route } from '../route.js';
import { areaCode } from './area-routes.js';

const TAG = 'segments';
const VIEW = 'The segment with live `counts: { total, byCarrier, byArea }` of the numbers it reaches';

export const segmentRoutes = [
  route({
    method: 'POST',
    path: '/v1/segments',
    summary: 'Define a segment: subscribers in any of the areas (with their subtrees), with any of the tags, on any of the carriers',
    tag: TAG,
    access: ['author', 'operator'],
    body: z.strictObject({
      name,
      filter: z.strictObject({
        areas: z.array(areaCode).max(1000).default([]).describe('Empty: every area'),
        tags: z.array(z.string().min(1).max(64)).max(100).default([]).describe('Empty: any tag'),
        carriers: z.array(z.enum(CARRIERS)).default([]).describe('Empty: every carrier'),
      }),
    }),
    idempotent: true,
    responses: { 201: VIEW },
    handle: async ({ deps, caller, body }) => created(await createSegment(deps, caller, body)),
  }),
  route({
    method: 'GET',
    path: '/v1/segments/{id}',
    summary: 'A segment with its live counts',
    tag: TAG,
    access: ALL_ROLES,
    responses: { 200: VIEW },
    handle: async ({ deps, params }) => ok(await getSegment(deps, params.id!)),
  }),
];
