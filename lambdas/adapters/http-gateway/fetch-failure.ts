/**
 * What a fetch that threw means for the message. Only a failure to reach the provider at all (refused,
 * no such host, TLS refused before anything was sent) proves the provider does not have the message;
 * a timeout or a connection lost once the request went out leaves it uncertain, and an uncertain message
 * must not be failed over to another gateway.
 */
import type { SubmitResult } from '../../core/ports.js';

/** Node's and undici's codes for failures while connecting, before a byte of the request was sent. */
const BEFORE_SENDING: ReadonlyMap<string, string> = new Map([
  ['ECONNREFUSED', 'connection refused'],
  ['ENOTFOUND', 'host not found'],
  ['EAI_AGAIN', 'host name lookup failed'],
  ['EHOSTUNREACH', 'host unreachable'],
  ['ENETUNREACH', 'network unreachable'],
  ['UND_ERR_CONNECT_TIMEOUT', 'no connection within the connect timeout'],
  ['CERT_HAS_EXPIRED', 'TLS certificate expired'],
  ['DEPTH_ZERO_SELF_SIGNED_CERT', 'TLS certificate not trusted'],
  ['SELF_SIGNED_CERT_IN_CHAIN', 'TLS certificate not trusted'],
  ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'TLS certificate not trusted'],
  ['ERR_TLS_CERT_ALTNAME_INVALID', 'TLS certificate for another host'],
]);

export function outcomeOfFetchFailure(error: unknown, timeoutMs: number): SubmitResult & { outcome: 'transient' } {
  if (nameOf(error) === 'TimeoutError') {
    return { outcome: 'transient', uncertain: true, reason: `no answer within ${timeoutMs} ms` };
  }
  const code = codeOf(causeOf(error)) ?? codeOf(error);
  const before = code === undefined ? undefined : BEFORE_SENDING.get(code);
  if (before !== undefined) return { outcome: 'transient', reason: `${before} (${code})` };
  return {
    outcome: 'transient',
    uncertain: true,
    reason: `connection lost, the request may have arrived (${code ?? nameOf(error) ?? 'unknown error'})`,
  };
}

function causeOf(error: unknown): unknown {
  return typeof error === 'object' && error !== null ? (error as { cause?: unknown }).cause : undefined;
}

function codeOf(error: unknown): string | undefined {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : undefined;
}

function nameOf(error: unknown): string | undefined {
  const name = typeof error === 'object' && error !== null ? (error as { name?: unknown }).name : undefined;
  return typeof name === 'string' ? name : undefined;
}
