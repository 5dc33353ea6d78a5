/**
 * The route table of the Loa API. Everything about a route lives in its entry: the API handler routes and
 * checks by it, openapi.ts documents it, and the role-matrix test walks it.
 */
import { openApiDocument } from './openapi.js';
import { ok, route, type Route } from './route.js';
import { areaRoutes } from './routes/area-routes.js';
import { auditRoutes } from './routes/audit-routes.js';
import { campaignRoutes } from './routes/campaign-routes.js';
import { coverageRoutes } from './routes/coverage-routes.js';
import { deliveryReportRoutes } from './routes/delivery-report-routes.js';
import { gatewayRoutes } from './routes/gateway-routes.js';
import { optOutRoutes } from './routes/opt-out-routes.js';
import { scheduleRoutes } from './routes/schedule-routes.js';
import { segmentRoutes } from './routes/segment-routes.js';
import { subscriberRoutes } from './routes/subscriber-routes.js';
import { templateRoutes } from './routes/template-routes.js';
import { tourRoutes } from './routes/tour-routes.js';
import { vanRoutes } from './routes/van-routes.js';

let document: unknown;

export const ROUTES: readonly Route[] = [
  route({
    method: 'GET',
    path: '/health',
    summary: 'Liveness',
    tag: 'system',
    access: 'public',
    responses: { 200: '{ status: "ok" }' },
    handle: async () => ok({ status: 'ok' }),
  }),
  route({
    method: 'GET',
    path: '/openapi.json',
    summary: 'This API as an OpenAPI 3.1 document',
    tag: 'system',
    access: 'public',
    responses: { 200: 'The OpenAPI document' },
    handle: async () => ok((document ??= openApiDocument(ROUTES))),
  }),
  ...templateRoutes,
  ...areaRoutes,
  ...subscriberRoutes,
  ...optOutRoutes,
  ...segmentRoutes,
  ...campaignRoutes,
  ...deliveryReportRoutes,
  ...gatewayRoutes,
  ...vanRoutes,
  ...tourRoutes,
  ...coverageRoutes,
  ...scheduleRoutes,
  ...auditRoutes,
];
