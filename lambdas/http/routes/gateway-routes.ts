import { ProblemError } from '../problem.js';
import { ok, route } from '../route.js';

const TAG = 'gateways';

export const gatewayRoutes = [
  route({
    method: 'GET',
    path: '/v1/gateways',
    summary: "Each gateway's state (up, down, recovering), rate, error rate and failovers",
    tag: TAG,
    access: ['operator', 'viewer'],
    responses: { 200: '{ items: [{ id, state, since, messagesPerSecond, submitsPerSecond, errorRate, failovers, stateChanges, details }] }' },
    handle: async ({ deps }) => {
      if (!deps.gatewayStatus) throw new ProblemError('not-found', 'No gateway health is kept here');
      return ok({ items: await deps.gatewayStatus() });
    },
  }),
  route({
    method: 'POST',
    path: '/v1/dlr/{gatewayId}',
    summary: "A provider's delivery reports, signed with the gateway's shared secret or HMAC",
    tag: TAG,
    access: 'public',
    body: 'raw',
    responses: { 200: '{ received, applied }' },
    handle: async ({ deps, params, headers, body }) => {
      const webhook = deps.deliveryReportWebhooks?.get(params.gatewayId!);
      if (!webhook) throw new ProblemError('not-found', `No gateway ${params.gatewayId} takes delivery reports here`);
      const read = webhook({ headers, body }, deps.clock.now());
      if (!read.ok) throw new ProblemError(read.status === 401 ? 'unauthenticated' : 'invalid-fields', read.detail);
      // A provider repeats a report it thinks was lost: the store applies each at most once.
      const { applied } = await deps.store.recordDeliveryReports(read.reports);
      return ok({ received: read.reports.length, applied });
    },
  }),
];
