/**
 * The API's Lambda entry point, behind API Gateway (HTTP API, payload 2.0, JWT authorizer). It is the
 * same handler the embedded server runs; this shell only converts the event and the result. Importing the
 * module needs no AWS environment: the deployment builds Deps and calls makeApiLambda.
 */
import middy from '@middy/core';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { Deps } from '../core/deps.js';
import { createApiHandler, type ApiHandlerOptions } from '../http/api-handler.js';
import { fromApiGatewayEvent, toApiGatewayResult } from '../http/api-request.js';

export function makeApiLambda(deps: Deps, options: ApiHandlerOptions = {}) {
  const handle = createApiHandler(deps, options);
  return middy<APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2>(async (event: APIGatewayProxyEventV2WithJWTAuthorizer) =>
    toApiGatewayResult(await handle(fromApiGatewayEvent(event))),
  );
}
