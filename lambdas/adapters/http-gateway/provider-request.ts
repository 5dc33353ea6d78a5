import { createHash } from 'node:crypto';
import type { HttpGatewayOptions } from './http-gateway-options.js';

/** What the placeholders of the configured fields stand for, for one message. */
export interface MessageValues {
  phone: string;
  text: string;
  unicode: boolean;
  requestId: string;
}

export interface ProviderRequest {
  url: string;
  method: 'POST' | 'GET';
  headers: Record<string, string>;
  body?: string;
}

/** 128 bits: no two of a province's messages share an id, and it fits providers' 36- and 50-character limits. */
const REQUEST_ID_HEX_DIGITS = 32;

/**
 * The id the provider de-duplicates on. It depends only on the message's reference (run and phone), so
 * a message sent again, by a retry here, a retried send job or a worker that crashed before recording
 * the outcome, carries the same id and the provider drops the copy.
 */
export function requestIdFor(reference: string): string {
  return createHash('sha256').update(reference, 'utf8').digest('hex').slice(0, REQUEST_ID_HEX_DIGITS);
}

const PLACEHOLDER = /\{(phone|text|unicode|requestId)\}/g;

/** The HTTP request that submits one message, from the configured template. */
export function buildProviderRequest(
  options: Pick<HttpGatewayOptions, 'request' | 'unicodeValues'>,
  values: MessageValues,
): ProviderRequest {
  const { url, method, headers, body, fields } = options.request;
  const unicodeValue = options.unicodeValues[values.unicode ? 1 : 0];
  const filled = Object.entries(fields).map(([name, value]) => [name, fill(value, values, unicodeValue)] as const);

  if (method === 'GET') {
    const target = new URL(url);
    for (const [name, value] of filled) target.searchParams.append(name, String(value));
    return { url: target.toString(), method, headers: { ...headers } };
  }
  if (body === 'json') {
    return {
      url,
      method,
      headers: withDefaultHeader(headers, 'content-type', 'application/json'),
      body: JSON.stringify(Object.fromEntries(filled)),
    };
  }
  return {
    url,
    method,
    headers: withDefaultHeader(headers, 'content-type', 'application/x-www-form-urlencoded'),
    body: new URLSearchParams(filled.map(([name, value]): [string, string] => [name, String(value)])).toString(),
  };
}

/** One pass over the template, so a text that itself contains "{phone}" is sent as written. */
function fill(value: string | number | boolean, values: MessageValues, unicodeValue: string | number) {
  if (typeof value !== 'string') return value;
  if (value === '{unicode}') return unicodeValue;
  return value.replace(PLACEHOLDER, (_, name: 'phone' | 'text' | 'unicode' | 'requestId') =>
    name === 'unicode' ? String(unicodeValue) : values[name],
  );
}

function withDefaultHeader(headers: Record<string, string>, name: string, value: string): Record<string, string> {
  const present = Object.keys(headers).some((key) => key.toLowerCase() === name);
  return present ? { ...headers } : { ...headers, [name]: value };
}
