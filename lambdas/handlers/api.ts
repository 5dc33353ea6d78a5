/**
 * The API's Lambda entry point, behind API Gateway (HTTP API, payload 2.0, JWT authorizer). It is the
 * same handler the embedded server runs; this shell only converts the event and the result, and writes
 * the request log through the Powertools logger (with the Lambda context, phone numbers masked).
 * Importing the module needs no AWS environment: the deps are built on the first request.
 */
import middy from '@middy/core';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { Deps } from '../core/deps.js';
import { createApiHandler, type ApiHandlerOptions } from '../http/api-handler.js';
import type { ApiLog } from '../http/api-log.js';
import { fromApiGatewayEvent, toApiGatewayResult } from '../http/api-request.js';
import { awsDeps } from './aws-deps.js';
import { logger, withPowertools } from './powertools.js';

/** The API's request log as Powertools log lines (the entry's fields are already masked). */
export const powertoolsApiLog: ApiLog = ({ level, message, ...fields }) => {
  if (level === 'error') logger.error(message, fields);
  else logger.info(message, fields);
};

export function makeApiLambda(deps: Deps | (() => Deps), options: ApiHandlerOptions = {}) {
  let handle: ReturnType<typeof createApiHandler> | undefined;
  const resolve = () => (handle ??= createApiHandler(typeof deps === 'function' ? deps() : deps, { log: powertoolsApiLog, ...options }));
  return withPowertools(
    middy<APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2, Error, Context>(
      async (event: APIGatewayProxyEventV2WithJWTAuthorizer) => toApiGatewayResult(await resolve()(fromApiGatewayEvent(event))),
    ),
  );
}

export const handler = makeApiLambda(awsDeps);
