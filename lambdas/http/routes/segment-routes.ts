import { z } from 'zod';
import { createSegment, getSegment, listSegments } from '../../core/segments/segment-use-cases.js';
import { CARRIERS } from '../../core/subscribers/carriers.js';
import { ALL_ROLES, created, name, ok, pageQuery, route } from '../route.js';
import { segmentView, segmentWithCountsView } from '../views/segment-views.js';
import { pageOf } from '../views/view-fields.js';
import { areaCode } from './area-routes.js';

const TAG = 'segments';
const VIEW = { description: 'The segment with live counts of the numbers it reaches', schema: segmentWithCountsView };

/** Who a segment reaches: what defining one takes, and what previewing its counts takes. */
export const segmentFilter = z.strictObject({
  areas: z.array(areaCode).max(1000).default([]).describe('Empty: every area'),
  tags: z.array(z.string().min(1).max(64)).max(100).default([]).describe('Empty: any tag'),
  carriers: z.array(z.enum(CARRIERS)).default([]).describe('Empty: every carrier'),
});

export const segmentRoutes = [
  route({
    method: 'POST',
    path: '/v1/segments',
    summary: 'Define a segment: subscribers in any of the areas (with their subtrees), with any of the tags, on any of the carriers',
    tag: TAG,
    access: ['author', 'operator'],
    body: z.strictObject({
      name,
      filter: segmentFilter,
    }),
    idempotent: true,
    responses: { 201: VIEW },
    handle: async ({ deps, caller, body }) => created(await createSegment(deps, caller, body)),
  }),
  route({
    method: 'GET',
    path: '/v1/segments',
    summary: 'List segments in creation order, without their counts (GET /v1/segments/{id} counts one)',
    tag: TAG,
    access: ALL_ROLES,
    query: pageQuery,
    responses: { 200: { description: 'A page of segments, without their counts', schema: pageOf(segmentView) } },
    handle: async ({ deps, query }) => {
      const { limit, cursor } = query;
      return ok(await listSegments(deps, { limit, ...(cursor && { cursor }) }));
    },
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
