/**
 * Reading errors thrown by the AWS SDK v3 clients without depending on their classes: a service
 * exception carries its error code as `name` (modelled or not: an unmodelled code such as `Throttling`
 * becomes the name as is) and the HTTP status in `$metadata.httpStatusCode`; a networking failure
 * carries a Node.js `code` (ECONNRESET, ...) and no status at all. Matching on names rather than on
 * `instanceof` keeps working when a bundle holds two copies of a client.
 */
import type { Sleep } from '../core/gateways/rate-limiter.js';

/** The AWS error code (`ThrottlingException`, `InvalidParameter`), or a Node.js error code (`ECONNRESET`). */
export function awsErrorName(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { name, code } = error as { name?: unknown; code?: unknown };
  if (typeof code === 'string' && /^E[A-Z_]+$/.test(code)) return code;
  return typeof name === 'string' && name !== 'Error' ? name : undefined;
}

/** The HTTP status of the response the error came from, if there was a response. */
export function awsHttpStatus(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const status = (error as { $metadata?: { httpStatusCode?: unknown } }).$metadata?.httpStatusCode;
  return typeof status === 'number' ? status : undefined;
}

export function awsErrorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

/** True when the SDK marked the error as throttling (its own retry strategy reads the same flag). */
export function isMarkedThrottling(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  return (error as { $retryable?: { throttling?: unknown } }).$retryable?.throttling === true;
}

/**
 * Node.js codes of a connection that was never made: the request did not leave, nothing can have been
 * sent. Any other failure without an answer (a reset, a timeout) may have reached the service.
 */
/** Node.js networking codes: the request may never have arrived, or its answer was lost; try again later. */
export const NETWORK_ERROR_OUTCOMES = {
  ECONNRESET: 'transient',
  ECONNREFUSED: 'transient',
  ECONNABORTED: 'transient',
  ETIMEDOUT: 'transient',
  EPIPE: 'transient',
  ENOTFOUND: 'transient',
  EAI_AGAIN: 'transient',
} as const;

const NEVER_CONNECTED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);

/**
 * Whether the service may have acted on a request that failed: no answer at all (a timeout, a connection
 * lost while waiting) or a server fault (5xx). A client fault (4xx), a connection never made or a throttling
 * mark are definite refusals.
 */
export function mayHaveActed(error: unknown): boolean {
  const status = awsHttpStatus(error);
  if (status !== undefined) return status >= 500;
  if (isMarkedThrottling(error)) return false;
  // A service exception read without its status still says whose fault it was.
  const fault = (error as { $fault?: unknown } | null)?.$fault;
  if (fault === 'client' || fault === 'server') return fault === 'server';
  const name = awsErrorName(error);
  return name === undefined || !NEVER_CONNECTED.has(name);
}

export const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
