import { getSubscriber, importSubscribers } from '../../core/subscribers/import-subscribers.js';
import { ok, route } from '../route.js';
import { importReportView, subscriberView } from '../views/subscriber-views.js';

const TAG = 'subscribers';

export const subscriberRoutes = [
  route({
    method: 'POST',
    path: '/v1/subscribers/import',
    summary: 'Import subscribers from CSV (columns phone, area, tags, optional carrier); upserts by phone, so a re-import is safe',
    tag: TAG,
    access: ['operator', 'integration'],
    body: 'csv',
    responses: { 200: { description: 'What was imported, updated and refused', schema: importReportView } },
    handle: async ({ deps, caller, body }) => ok(await importSubscribers(deps, caller, body)),
  }),
  route({
    method: 'GET',
    path: '/v1/subscribers/{phone}',
    summary: 'A subscriber, by phone number (E.164 or national form), and whether it has opted out',
    tag: TAG,
    access: ['operator', 'viewer', 'integration'],
    responses: { 200: { description: 'The subscriber with `optedOut`', schema: subscriberView } },
    handle: async ({ deps, params }) => ok(await getSubscriber(deps, params.phone!)),
  }),
];
