/**
 * What the AWS services hand a Lambda, as the handlers get it: the context, SQS records, CloudWatch Logs
 * subscription events carrying SNS delivery-status lines, and API Gateway events with Cognito claims.
 */
import { createHash, randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { PublishCommandInput } from '@aws-sdk/client-sns';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, CloudWatchLogsEvent, Context, SQSRecord } from 'aws-lambda';
import { ACCOUNT, REGION, SNS_LOG_GROUP } from './aws-test-env.js';

/** A Lambda context as the runtime gives it; the remaining time counts down from `timeoutMs`. */
export function lambdaContext(name: string, timeoutMs = 300_000, memoryMb = 1024): Context {
  const started = Date.now();
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: `loa-dev-${name}`,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:loa-dev-${name}`,
    memoryLimitInMB: String(memoryMb),
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/loa-dev-${name}`,
    logStreamName: `2026/03/02/[$LATEST]${randomUUID().replace(/-/g, '')}`,
    getRemainingTimeInMillis: () => Math.max(0, timeoutMs - (Date.now() - started)),
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
}

/** An SQS record as the event source mapping delivers it. */
export function sqsRecord(
  queueName: string,
  message: { messageId: string; body: string; sentAt: number; receiveCount: number; receiptHandle: string },
): SQSRecord {
  return {
    messageId: message.messageId,
    receiptHandle: message.receiptHandle,
    body: message.body,
    attributes: {
      ApproximateReceiveCount: String(message.receiveCount),
      SentTimestamp: String(message.sentAt),
      SenderId: 'AROAEXAMPLEID:loa-dev-fan-out',
      ApproximateFirstReceiveTimestamp: String(message.sentAt + 5),
    },
    messageAttributes: {},
    md5OfBody: createHash('md5').update(message.body).digest('hex'),
    eventSource: 'aws:sqs',
    eventSourceARN: `arn:aws:sqs:${REGION}:${ACCOUNT}:${queueName}`,
    awsRegion: REGION,
  };
}

/** One delivery-status line as SNS writes it to CloudWatch Logs. */
export function deliveryStatusLine(
  publish: Pick<PublishCommandInput, 'PhoneNumber'>,
  messageId: string,
  at: Date,
  status: 'SUCCESS' | 'FAILURE' = 'SUCCESS',
): string {
  return JSON.stringify({
    notification: { messageId, timestamp: at.toISOString().replace('T', ' ').replace('Z', '') },
    delivery: {
      numberOfMessageParts: 1,
      destination: publish.PhoneNumber,
      priceInUSD: 0.02,
      smsType: 'Transactional',
      mcc: 452,
      mnc: 4,
      providerResponse: status === 'SUCCESS' ? 'Message has been accepted by phone' : 'Phone is currently unreachable/unavailable',
      dwellTimeMs: 105,
      dwellTimeMsUntilDeviceAck: 336,
    },
    status,
  });
}

/** A CloudWatch Logs subscription event (gzipped, base64) carrying `lines`. */
export function logsEvent(lines: { id: string; timestamp: number; message: string }[], logGroup = SNS_LOG_GROUP): CloudWatchLogsEvent {
  const data = {
    messageType: 'DATA_MESSAGE',
    owner: ACCOUNT,
    logGroup,
    logStream: randomUUID(),
    subscriptionFilters: ['loa-dev-delivery-status'],
    logEvents: lines,
  };
  return { awslogs: { data: gzipSync(JSON.stringify(data)).toString('base64') } };
}

/** API Gateway HTTP API (payload 2.0) event behind the Cognito JWT authorizer. */
export function apiEvent(
  method: string,
  path: string,
  options: { claims?: Record<string, unknown>; body?: string; contentType?: string; query?: Record<string, string> } = {},
): APIGatewayProxyEventV2WithJWTAuthorizer {
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: new URLSearchParams(options.query).toString(),
    headers: {
      accept: 'application/json',
      host: `abc123.execute-api.${REGION}.amazonaws.com`,
      ...(options.contentType && { 'content-type': options.contentType }),
      ...(options.claims && { authorization: 'Bearer eyJraWQiOi...' }),
    },
    ...(options.query && { queryStringParameters: options.query }),
    requestContext: {
      accountId: ACCOUNT,
      apiId: 'abc123',
      domainName: `abc123.execute-api.${REGION}.amazonaws.com`,
      domainPrefix: 'abc123',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '203.0.113.7', userAgent: 'loa-test' },
      requestId: randomUUID(),
      routeKey: '$default',
      stage: '$default',
      time: '02/Mar/2026:01:00:00 +0000',
      timeEpoch: Date.now(),
      ...(options.claims && {
        authorizer: { principalId: '', integrationLatency: 0, jwt: { claims: options.claims, scopes: null } },
      }),
    } as APIGatewayProxyEventV2WithJWTAuthorizer['requestContext'],
    ...(options.body !== undefined && { body: options.body }),
    isBase64Encoded: false,
  };
}

/** Claims of a Cognito access token of a user in `groups`. */
export function cognitoClaims(sub: string, groups: readonly string[]): Record<string, unknown> {
  return {
    sub,
    'cognito:groups': `[${groups.join(' ')}]`,
    iss: `https://cognito-idp.${REGION}.amazonaws.com/${REGION}_AbCdEf`,
    client_id: '1example23456789',
    token_use: 'access',
    scope: 'aws.cognito.signin.user.admin',
    username: sub,
  };
}
