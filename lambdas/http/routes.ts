/**
 * The route table of the Loa API. Everything about a route lives in its entry: the API handler routes and
 * checks by it, openapi.ts documents it, and the role-matrix test walks it.
 */
import { openApiDocument } from './openapi.js';
import { ok, route, type Route } from './route.js';
import { healthView, openApiDocumentView } from './views/system-views.js';
import { areaRoutes } from './routes/area-routes.js';
import { auditRoutes } from './routes/audit-routes.js';
import { campaignProgressRoutes } from './routes/campaign-progress-routes.js';
import { campaignRoutes } from './routes/campaign-routes.js';
import { coverageRoutes } from './routes/coverage-routes.js';
import { deliveryReportRoutes } from './routes/delivery-report-routes.js';
import { gatewayRoutes } from './routes/gateway-routes.js';
import { importRoutes } from './routes/import-routes.js';
import { optOutRoutes } from './routes/opt-out-routes.js';
import { scheduleRoutes } from './routes/schedule-routes.js';
import { segmentRoutes } from './routes/segment-routes.js';
import { subscriberRoutes } from './routes/subscriber-routes.js';
import { templateRoutes } from './routes/template-routes.js';
import { tourRoutes } from './routes/tour-routes.js';
import { vanRoutes } from './routes/van-routes.js';
import { meRoutes } from './routes/me-routes.js';
import { receiptCsvRoutes } from './routes/receipt-csv-routes.js';
import { segmentPreviewRoutes } from './routes/segment-preview-routes.js';
import { templateVersionRoutes } from './routes/template-version-routes.js';
import { tourCheckRoutes } from './routes/tour-check-routes.js';
import { vanSessionRoutes } from './routes/van-session-routes.js';

/** Per route table: the embedded runtime's table adds the sign-in routes, and its document shows them. */
const documents = new WeakMap<readonly Route[], unknown>();

export const ROUTES: readonly Route[] = [
  route({
    method: 'GET',
    path: '/health',
    summary: 'Liveness',
    tag: 'system',
    access: 'public',
    responses: { 200: { description: 'The API is up', schema: healthView } },
    handle: async () => ok({ status: 'ok' }),
  }),
  route({
    method: 'GET',
    path: '/openapi.json',
    summary: 'This API as an OpenAPI 3.1 document',
    tag: 'system',
    access: 'public',
    responses: { 200: { description: 'The OpenAPI document', schema: openApiDocumentView } },
    handle: async ({ routes }) => {
      if (!documents.has(routes)) documents.set(routes, openApiDocument(routes));
      return ok(documents.get(routes));
    },
  }),
  ...meRoutes,
  ...templateRoutes,
  ...templateVersionRoutes,
  ...areaRoutes,
  ...subscriberRoutes,
  ...importRoutes,
  ...optOutRoutes,
  ...segmentRoutes,
  ...segmentPreviewRoutes,
  ...campaignRoutes,
  ...campaignProgressRoutes,
  ...receiptCsvRoutes,
  ...deliveryReportRoutes,
  ...gatewayRoutes,
  ...vanRoutes,
  ...vanSessionRoutes,
  ...tourRoutes,
  ...tourCheckRoutes,
  ...coverageRoutes,
  ...scheduleRoutes,
  ...auditRoutes,
];
