import { z } from 'zod';
import { IMPORT_LIMITS } from '../../core/subscribers/import-limits.js';
import { getSubscriber, importSubscribers } from '../../core/subscribers/import-subscribers.js';
import { eraseSubscriber, exportSubscriberData } from '../../core/privacy/subscriber-data.js';
import { ok, route } from '../route.js';
import { erasureView, subscriberDataView } from '../views/subscriber-data-views.js';
import { importReportView, subscriberView } from '../views/subscriber-views.js';

const TAG = 'subscribers';

const phoneBody = z.strictObject({ phone: z.string().min(1).max(32).describe('E.164 or national form') });

const importQuery = z.object({
  fileName: z
    .string()
    .trim()
    .min(1)
    .max(255)
    .regex(/^[^\p{Cc}]*$/u, 'may not contain control characters')
    .optional()
    .describe("The uploaded file's name, recorded as the subscribers' source and in the audit"),
});

export const subscriberRoutes = [
  route({
    method: 'POST',
    path: '/v1/subscribers/import',
    summary:
      'Import subscribers from CSV (columns phone, area, tags, optional carrier), naming the file in ?fileName=; ' +
      'upserts by phone, so a re-import is safe',
    description:
      `At most ${IMPORT_LIMITS.bytes / (1024 * 1024)} MB and ${IMPORT_LIMITS.rows.toLocaleString('en')} rows (413 beyond, nothing ` +
      'imported); at most 20 tags of at most 64 characters per row. Each subscriber written records the import ' +
      '(id, file name, and the client for an integration) as its source.',
    tag: TAG,
    access: ['operator', 'integration'],
    body: 'csv',
    query: importQuery,
    responses: { 200: { description: 'What was imported, updated and refused', schema: importReportView } },
    handle: async ({ deps, caller, body, query }) =>
      ok(await importSubscribers(deps, caller, { ...(query.fileName !== undefined && { name: query.fileName }), read: body })),
  }),
  route({
    method: 'POST',
    path: '/v1/subscribers/lookup',
    summary: 'A subscriber, by phone number (E.164 or national form), and whether it has opted out',
    description: 'The number is sent in the body, never in the URL, so that no access log records it.',
    tag: TAG,
    access: ['operator', 'viewer', 'integration'],
    body: phoneBody,
    responses: { 200: { description: 'The subscriber with `optedOut`', schema: subscriberView } },
    handle: async ({ deps, body }) => ok(await getSubscriber(deps, body.phone)),
  }),
  route({
    method: 'POST',
    path: '/v1/subscribers/export',
    summary: 'Everything held on a phone number: the subscriber, its opt-out and every receipt (the right of access)',
    description: "Audited under the number's pseudonym. 404 when nothing is held on the number.",
    tag: TAG,
    access: ['operator'],
    body: phoneBody,
    responses: { 200: { description: 'The data held on the number', schema: subscriberDataView } },
    handle: async ({ deps, caller, body }) => ok(await exportSubscriberData(deps, caller, body.phone)),
  }),
  route({
    method: 'POST',
    path: '/v1/subscribers/erase',
    summary: 'Erase a phone number (the right to deletion): the subscriber is deleted, its receipts and opt-out kept under a pseudonym',
    description:
      'An opt-out is kept under the pseudonym, so the number is never messaged again, even if imported anew; messages ' +
      'still queued to it are failed; saved responses to requests naming it (Idempotency-Key) are deleted. Audited ' +
      'with the reason, under the pseudonym. 404 when nothing is held on the number.',
    tag: TAG,
    access: ['operator'],
    body: phoneBody.extend({
      reason: z.string().trim().min(1).max(500).describe('Why, e.g. the request number of the person asking'),
    }),
    responses: { 200: { description: 'What was erased and what is kept under the pseudonym', schema: erasureView } },
    handle: async ({ deps, caller, body }) => ok(await eraseSubscriber(deps, caller, body)),
  }),
];
