import { z } from 'zod';
import type { Caller } from '../../core/auth/caller.js';
import type { Deps } from '../../core/deps.js';
import {
  addTemplateVersion,
  approveTemplate,
  createTemplate,
  getTemplate,
  listTemplates,
  rejectTemplate,
  submitTemplate,
} from '../../core/templates/template-use-cases.js';
import { ALL_ROLES, created, name, ok, pageQuery, route, type Access, type Route } from '../route.js';
import { templateView, templateWithVersionsView } from '../views/template-views.js';
import { pageOf } from '../views/view-fields.js';

const TAG = 'templates';
const VIEW = {
  description:
    'The template with every version; an SMS version carries `sms: { encoding, parts, partsWithoutDiacritics }`, ' +
    'a loudspeaker one `reading: { seconds, wordsPerMinute }`',
  schema: templateWithVersionsView,
};

const placeholder = z.strictObject({
  name: z.string().min(1).max(64).describe('Used in the body as {{name}}'),
  maxLength: z.number().int().min(1).max(1600).describe('Longest value accepted, in UTF-16 code units'),
});
const content = {
  body: z.string().min(1).max(1600).describe('The message, with {{placeholders}}; a loudspeaker script as read'),
  placeholders: z.array(placeholder).max(50).default([]),
  repetitionsPerStop: z.number().int().min(1).max(10).optional().describe('Loudspeaker scripts: readings at each stop (default 2)'),
};
const versionNumber = z.number().int().min(1);
/** A decision names the version decided, so that a version added meanwhile is never approved unseen. */
const decidedVersion = versionNumber.describe('The version being decided, as the approver saw it');

/** A step of a version's review: a POST on the template with what the step needs, answered with the template. */
function reviewStep<B extends z.ZodType>(
  verb: 'submit' | 'approve' | 'reject',
  summary: string,
  access: Access,
  body: B,
  run: (deps: Deps, caller: Caller, id: string, body: z.output<B>) => Promise<unknown>,
): Route {
  return route({
    method: 'POST',
    path: `/v1/templates/{id}/${verb}`,
    summary,
    tag: TAG,
    access,
    body,
    idempotent: true,
    responses: { 200: VIEW },
    handle: async ({ deps, caller, params, body }) => ok(await run(deps, caller, params.id!, body as z.output<B>)),
  });
}

export const templateRoutes = [
  route({
    method: 'POST',
    path: '/v1/templates',
    summary: 'Write a new template (version 1, a draft)',
    tag: TAG,
    access: ['author'],
    body: z.strictObject({
      name,
      channel: z.enum(['sms', 'loudspeaker']).default('sms').describe('An SMS, or a script for loudspeaker vans'),
      ...content,
    }),
    idempotent: true,
    responses: { 201: VIEW },
    handle: async ({ deps, caller, body }) => created(await createTemplate(deps, caller, body)),
  }),
  route({
    method: 'GET',
    path: '/v1/templates',
    summary: 'List templates',
    tag: TAG,
    access: ALL_ROLES,
    query: pageQuery,
    responses: { 200: { description: 'A page of templates, without their versions', schema: pageOf(templateView) } },
    handle: async ({ deps, query }) => ok(await listTemplates(deps, query)),
  }),
  route({
    method: 'GET',
    path: '/v1/templates/{id}',
    summary: 'A template with its versions',
    tag: TAG,
    access: ALL_ROLES,
    responses: { 200: VIEW },
    handle: async ({ deps, params }) => ok(await getTemplate(deps, params.id!)),
  }),
  route({
    method: 'POST',
    path: '/v1/templates/{id}/versions',
    summary: 'Edit a template: adds a new draft version (approved versions never change)',
    tag: TAG,
    access: ['author'],
    body: z.strictObject(content),
    idempotent: true,
    responses: { 201: VIEW },
    handle: async ({ deps, caller, params, body }) => created(await addTemplateVersion(deps, caller, params.id!, body)),
  }),
  reviewStep(
    'submit',
    'Submit a draft version for approval; the version pending before it, if any, becomes superseded (never approved)',
    ['author'],
    z.strictObject({ version: versionNumber.optional().describe('Defaults to the latest version') }),
    (deps, caller, id, body) => submitTemplate(deps, caller, id, body.version),
  ),
  reviewStep(
    'approve',
    'Approve a pending version; never by its author. Records `approvedHash`, the sha256 of what it decided',
    ['approver'],
    z.strictObject({ version: decidedVersion }),
    (deps, caller, id, body) => approveTemplate(deps, caller, id, body.version),
  ),
  reviewStep(
    'reject',
    'Reject a pending version with a reason; never by its author',
    ['approver'],
    z.strictObject({ reason: z.string().trim().min(1).max(1000), version: decidedVersion }),
    (deps, caller, id, body) => rejectTemplate(deps, caller, id, body.reason, body.version),
  ),
];
