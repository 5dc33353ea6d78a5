import { ok, route } from '../route.js';
import { unmatchedReportsView } from '../views/gateway-views.js';

export const deliveryReportRoutes = [
  route({
    method: 'GET',
    path: '/v1/delivery-reports/unmatched',
    summary: 'How many delivery reports matched no receipt (kept, and applied if their submission turns up)',
    tag: 'receipts',
    access: ['operator', 'viewer'],
    responses: { 200: { description: 'How many reports are kept unmatched', schema: unmatchedReportsView } },
    handle: async ({ deps }) => ok({ count: await deps.receipts.countUnmatchedReports() }),
  }),
];
