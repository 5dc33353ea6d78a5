import { z } from 'zod';
import type { Deps } from '../../core/deps.js';
import type { DeliveryReportWebhook } from '../../core/ports.js';
import { ProblemError } from '../problem.js';
import { ok, route } from '../route.js';
import { deliveryReportsAcceptedView, gatewayBoardView } from '../views/gateway-views.js';

const TAG = 'gateways';
const ACCEPTED = { description: 'How many reports were read, and how many were new', schema: deliveryReportsAcceptedView };

/** Whatever the provider puts in the query: the gateway's configuration says which fields it reads. */
const callbackQuery = z.object({}).catchall(z.string());

async function acceptReports(deps: Deps, gatewayId: string, request: Parameters<DeliveryReportWebhook>[0]) {
  const webhook = deps.deliveryReportWebhooks?.get(gatewayId);
  if (!webhook) throw new ProblemError('not-found', `No gateway ${gatewayId} takes delivery reports here`);
  const read = await webhook(request, deps.clock.now());
  if (!read.ok) throw new ProblemError(read.status === 401 ? 'unauthenticated' : 'invalid-fields', read.detail);
  // A provider repeats a report it thinks was lost: the store applies each at most once.
  const { applied } = await deps.receipts.recordDeliveryReports(read.reports);
  return { received: read.reports.length, applied };
}

export const gatewayRoutes = [
  route({
    method: 'GET',
    path: '/v1/gateways',
    summary: "Each gateway's state (up, down, recovering), rate, error rate and failovers",
    tag: TAG,
    access: ['operator', 'viewer'],
    responses: { 200: { description: 'Every gateway, by id', schema: gatewayBoardView } },
    handle: async ({ deps }) => {
      if (!deps.gatewayStatus) throw new ProblemError('not-found', 'No gateway health is kept here');
      return ok({ items: await deps.gatewayStatus() });
    },
  }),
  route({
    method: 'POST',
    path: '/v1/dlr/{gatewayId}',
    summary: "A provider's delivery reports, signed with the gateway's shared secret or HMAC, or with its token in the query",
    tag: TAG,
    access: 'public',
    body: 'raw',
    query: callbackQuery,
    responses: { 200: ACCEPTED },
    handle: async ({ deps, params, headers, body, query }) => ok(await acceptReports(deps, params.gatewayId!, { headers, body, query })),
  }),
  route({
    method: 'GET',
    path: '/v1/dlr/{gatewayId}',
    summary: 'A delivery report in the query string, from a provider that calls back with GET (eSMS), with its token',
    tag: TAG,
    access: 'public',
    query: callbackQuery,
    responses: { 200: ACCEPTED },
    handle: async ({ deps, params, headers, query }) => ok(await acceptReports(deps, params.gatewayId!, { headers, body: '', query })),
  }),
];
