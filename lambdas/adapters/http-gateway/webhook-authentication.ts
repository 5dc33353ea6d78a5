import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { WebhookRequest } from './delivery-report-webhook.js';
import type { HttpGatewayOptions } from './http-gateway-options.js';

export type WebhookAuth = NonNullable<HttpGatewayOptions['deliveryReports']>['auth'];

/**
 * Why a delivery-report request is not from the provider, or undefined when it is: the shared secret in
 * the configured header or query parameter, or an HMAC of the raw body (as received, before any parsing)
 * in the header.
 */
export function webhookAuthFailure(auth: WebhookAuth, request: WebhookRequest): string | undefined {
  if (auth.type === 'token') {
    const token = request.query[auth.param];
    if (token === undefined || token === '') return `no ${auth.param} in the query`;
    return equalInConstantTime(token, auth.secret) ? undefined : `wrong ${auth.param}`;
  }
  const presented = headerValue(request.headers, auth.header)?.trim();
  if (presented === undefined || presented === '') return `no ${auth.header} header`;
  if (auth.type === 'secret') return equalInConstantTime(presented, auth.secret) ? undefined : `wrong ${auth.header}`;

  const expected = createHmac(auth.algorithm, auth.secret).update(request.body, 'utf8').digest(auth.encoding);
  const comparable = auth.encoding === 'hex' ? presented.toLowerCase() : presented;
  return equalInConstantTime(comparable, expected) ? undefined : `${auth.header} is not the signature of the body`;
}

/** HTTP header names are case-insensitive, and API Gateway passes them as the client wrote them. */
function headerValue(headers: Record<string, string | undefined>, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === wanted && value !== undefined) return value;
  }
  return undefined;
}

/** Hashing first gives equal lengths, so neither the content nor the length of the secret leaks through timing. */
function equalInConstantTime(a: string, b: string): boolean {
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
}
