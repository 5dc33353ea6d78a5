import { z } from 'zod';
import { onVisibleVans, visibleTour } from '../../core/tours/crew-access.js';
import { TourStatus } from '../../core/tours/tour-model.js';
import {
  approveTour,
  cancelTour,
  confirmTour,
  createTour,
  listTourRuns,
  listTours,
  rejectTour,
  submitTour,
  tourScript,
} from '../../core/tours/tour-use-cases.js';
import { ALL_ROLES, created, name, ok, pageQuery, route, stateChange, type Access } from '../route.js';
import { tourRunView, tourScriptView, tourView } from '../views/tour-views.js';
import { pageOf } from '../views/view-fields.js';
import { areaCode } from './area-routes.js';
import { creatorQuery, decidedRevision, reviewFilter } from './review-query.js';

const TAG = 'tours';
const VIEW = {
  description: 'The tour, with `warnings` from the soft rules (quiet areas passed by, stops shorter than the script)',
  schema: tourView,
};
const id = z.string().min(1).max(100);

/** A tour as planned: what creating one takes, and what checking a plan takes. */
export const newTourBody = z.strictObject({
  name,
  vanId: id,
  scriptId: id.describe('A template on the loudspeaker channel'),
  scriptVersion: z.number().int().min(1).describe('An approved version of it'),
  schedule: z.strictObject({
    expression: z.string().min(1).max(256).describe('The start: at(...) once, or rate(...)/cron(...) recurring'),
    timezone: z.string().min(1).max(64).optional().describe('IANA name; defaults to the deployment time zone'),
  }),
  stops: z
    .array(z.strictObject({ areaCode, minutes: z.number().int().min(1).max(240).describe('Minutes broadcasting there') }))
    .min(1)
    .max(50)
    .describe('In route order'),
  priority: z
    .enum(['normal', 'emergency'])
    .default('normal')
    .describe('Emergency tours may leave the daily slots and caps, never the night quiet hours'),
});

const action = (verb: 'submit' | 'cancel', summary: string, access: Access, run: typeof submitTour) =>
  stateChange({ path: `/v1/tours/{id}/${verb}`, summary, tag: TAG, access, view: VIEW, run });

export const tourRoutes = [
  route({
    method: 'POST',
    path: '/v1/tours',
    summary: 'Plan a loudspeaker tour (a draft): a van, a start, a route of areas and an approved script',
    tag: TAG,
    access: ['author'],
    body: newTourBody,
    idempotent: true,
    responses: { 201: VIEW },
    handle: async ({ deps, caller, body }) => created(await createTour(deps, caller, body)),
  }),
  route({
    method: 'GET',
    path: '/v1/tours',
    summary: 'List tours, of one van, in one state, by creator (?createdBy=me) or awaiting the caller (?awaiting=me)',
    tag: TAG,
    access: ALL_ROLES,
    query: pageQuery.extend({ vanId: id.optional(), status: z.enum(Object.values(TourStatus)).optional(), ...creatorQuery }),
    responses: { 200: { description: 'A page of tours', schema: pageOf(tourView) } },
    handle: async ({ deps, caller, query }) => {
      const { vanId, limit, cursor } = query;
      const { statuses, ...creator } = reviewFilter(caller, query, TourStatus.pendingApproval);
      const status = statuses?.[0];
      const page = await listTours(
        deps,
        { ...(vanId && { vanId }), ...(status && { status }), ...creator },
        { limit, ...(cursor && { cursor }) },
      );
      // A crew user's page holds only its own vans' tours, so it may be short of `limit`.
      return ok(await onVisibleVans(deps, caller, page));
    },
  }),
  route({
    method: 'GET',
    path: '/v1/tours/{id}',
    summary: 'A tour',
    tag: TAG,
    access: ALL_ROLES,
    responses: { 200: VIEW },
    handle: async ({ deps, caller, params }) => ok(await visibleTour(deps, caller, params.id!)),
  }),
  action('submit', 'Submit a draft tour for approval; the rules are checked again', ['author'], submitTour),
  route({
    method: 'POST',
    path: '/v1/tours/{id}/approve',
    summary: 'Approve the revision of a pending tour the approver saw; never by its creator. Arms its schedule',
    description:
      '409 if the tour changed since that revision, or if the rules would now change its route. The approval records ' +
      '`approvedHash`, the sha256 of what it decided, the script text included (GET /v1/tours/{id}/script shows it).',
    tag: TAG,
    access: ['approver'],
    body: z.strictObject({ revision: decidedRevision }),
    idempotent: true,
    responses: { 200: VIEW },
    handle: async ({ deps, caller, params, body }) => ok(await approveTour(deps, caller, params.id!, body.revision)),
  }),
  route({
    method: 'POST',
    path: '/v1/tours/{id}/reject',
    summary: 'Send the revision of a pending tour the approver saw back to draft with a reason; never by its creator',
    tag: TAG,
    access: ['approver'],
    body: z.strictObject({ reason: z.string().trim().min(1).max(1000), revision: decidedRevision }),
    idempotent: true,
    responses: { 200: VIEW },
    handle: async ({ deps, caller, params, body }) => ok(await rejectTour(deps, caller, params.id!, body.reason, body.revision)),
  }),
  action('cancel', 'Call the tour off, and its schedule', ['operator'], cancelTour),
  route({
    method: 'GET',
    path: '/v1/tours/{id}/runs',
    summary: 'The runs of a tour, latest first: the crew SMS campaign, the stops confirmed, missed or not',
    tag: TAG,
    access: ALL_ROLES,
    query: pageQuery,
    responses: { 200: { description: 'A page of runs, latest first', schema: pageOf(tourRunView) } },
    handle: async ({ deps, caller, params, query }) => {
      await visibleTour(deps, caller, params.id!);
      return ok(await listTourRuns(deps, params.id!, query));
    },
  }),
  route({
    method: 'GET',
    path: '/v1/tours/{id}/script',
    summary: "What the crew reads out: the script's title, code, text, repetitions per stop and reading time",
    tag: TAG,
    access: ALL_ROLES,
    responses: { 200: { description: 'The script as the crew reads it', schema: tourScriptView } },
    handle: async ({ deps, caller, params }) => {
      await visibleTour(deps, caller, params.id!);
      return ok(await tourScript(deps, params.id!));
    },
  }),
  route({
    method: 'POST',
    path: '/v1/tours/{id}/confirm',
    summary: 'The crew confirms stops done (all of them without `areas`) of the latest run, or of `runId`',
    description: "Crew only for the vans they are bound to (another van's tour is 404); a stop not yet started is 409.",
    tag: TAG,
    access: ['crew', 'operator'],
    body: z.strictObject({
      runId: id.optional(),
      areas: z.array(areaCode).min(1).max(50).optional().describe('The areas done; every stop when absent'),
      note: z.string().trim().min(1).max(1000).optional(),
    }),
    idempotent: true,
    responses: { 200: { description: 'The run: its planned stops, `confirmed` and `notes`, and its status', schema: tourRunView } },
    handle: async ({ deps, caller, params, body }) => ok(await confirmTour(deps, caller, params.id!, body)),
  }),
];
