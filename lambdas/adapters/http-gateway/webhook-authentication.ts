import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { HttpGatewayOptions } from './http-gateway-options.js';

export type WebhookAuth = NonNullable<HttpGatewayOptions['deliveryReports']>['auth'];

/**
 * Why a delivery-report request is not from the provider, or undefined when it is: the shared secret in
 * the configured header, or an HMAC of the raw body (as received, before any parsing) in it.
 */
export function webhookAuthFailure(
  auth: WebhookAuth,
  headers: Record<string, string | undefined>,
  rawBody: string,
): string | undefined {
  const presented = headerValue(headers, auth.header)?.trim();
  if (presented === undefined || presented === '') return `no ${auth.header} header`;
  if (auth.type === 'secret') return equalInConstantTime(presented, auth.secret) ? undefined : `wrong ${auth.header}`;

  const expected = createHmac(auth.algorithm, auth.secret).update(rawBody, 'utf8').digest(auth.encoding);
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
