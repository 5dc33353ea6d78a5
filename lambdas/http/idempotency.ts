/**
 * Idempotency-Key on the POSTs that create or act: a client that lost a response can send the same request
 * again with the same key and gets the first response (status and body) back instead of a second
 * campaign or a second approval. Keys are scoped to the caller, so two callers never see each other's
 * responses. The same key with another method, path or body is refused (422), as the IETF draft
 * "The Idempotency-Key HTTP Header Field" advises.
 *
 * Only successful (2xx) responses are kept: a refused request changed nothing, so repeating it is safe
 * and may succeed once its cause is fixed. Requests with the same key are serialised within a process;
 * across Lambda instances two that arrive at the same instant may both act, and the second's response
 * is then replaced by the first one recorded.
 *
 * A request naming a phone number (`phone` in its body) keeps the number's pseudonym on its record, so
 * that erasing the number deletes the responses that hold it; every record expires after a day.
 */
import { createHash } from 'node:crypto';
import type { Caller } from '../core/auth/caller.js';
import type { Deps } from '../core/deps.js';
import { IDEMPOTENCY_RETENTION_HOURS } from '../core/idempotency/idempotency-store.js';
import type { IdempotencyRecord } from '../core/model.js';
import { normalizePhone } from '../core/subscribers/phone-number.js';
import type { ApiResponse } from './api-request.js';
import { ProblemError } from './problem.js';

export const IDEMPOTENCY_HEADER = 'idempotency-key';
const VALID_KEY = /^[\x21-\x7e]{1,255}$/;

export interface IdempotentRequest {
  caller: Caller;
  key: string;
  method: string;
  path: string;
  /** The parsed JSON body ({} when empty); compared by content, so key order and spacing do not matter. */
  body: unknown;
}

const inFlight = new Map<string, Promise<unknown>>();

export async function withIdempotency(
  deps: Pick<Deps, 'idempotency' | 'clock' | 'pseudonymizer'>,
  request: IdempotentRequest,
  act: () => Promise<ApiResponse>,
): Promise<ApiResponse> {
  if (!VALID_KEY.test(request.key)) {
    throw new ProblemError('invalid-fields', 'Idempotency-Key must be 1-255 visible ASCII characters', {
      errors: [{ field: 'Idempotency-Key', message: 'must be 1-255 visible ASCII characters' }],
    });
  }
  const key = `idem:${sha256(JSON.stringify([request.caller.id, request.key]))}`;
  const requestHash = sha256(JSON.stringify([request.method, request.path, canonical(request.body)]));
  return serialised(key, async () => {
    // A record past its day counts as gone: TTL deletes it days late at times.
    const first = live(await deps.idempotency.getIdempotencyRecord(key), deps.clock.now());
    if (first) return replay(first, requestHash);
    const response = await act();
    if (response.statusCode < 200 || response.statusCode > 299) return response;
    const subject = await subjectOf(deps, request.body);
    const saved = await deps.idempotency.saveIdempotencyRecord({
      key,
      requestHash,
      statusCode: response.statusCode,
      body: response.body,
      createdAt: deps.clock.now().toISOString(),
      ...(subject && { subject }),
    });
    if (saved) return response;
    const winner = await deps.idempotency.getIdempotencyRecord(key);
    return winner ? replay(winner, requestHash) : response;
  });
}

function live(record: IdempotencyRecord | undefined, now: Date): IdempotencyRecord | undefined {
  return record && Date.parse(record.createdAt) > now.getTime() - IDEMPOTENCY_RETENTION_HOURS * 3_600_000 ? record : undefined;
}

/** The pseudonym of the phone number the body names, if it names one. */
async function subjectOf(deps: Pick<Deps, 'pseudonymizer'>, body: unknown): Promise<string | undefined> {
  const phone = body !== null && typeof body === 'object' ? (body as Record<string, unknown>).phone : undefined;
  const normalized = typeof phone === 'string' ? normalizePhone(phone) : undefined;
  return normalized?.ok ? deps.pseudonymizer.pseudonym(normalized.e164) : undefined;
}

function replay(record: { requestHash: string; statusCode: number; body: string }, requestHash: string): ApiResponse {
  if (record.requestHash !== requestHash) {
    throw new ProblemError(
      'idempotency-key-reused',
      'This Idempotency-Key was already used for a different request (method, path or body); use a new key',
      { errors: [{ field: 'Idempotency-Key', message: 'already used for a different request' }] },
    );
  }
  return {
    statusCode: record.statusCode,
    headers: {
      ...(record.body !== '' && { 'content-type': 'application/json; charset=utf-8' }),
      'cache-control': 'no-store',
      'idempotent-replayed': 'true',
    },
    body: record.body,
  };
}

async function serialised<T>(key: string, task: () => Promise<T>): Promise<T> {
  const before = inFlight.get(key) ?? Promise.resolve();
  const mine = before.catch(() => undefined).then(task);
  inFlight.set(key, mine);
  try {
    return await mine;
  } finally {
    if (inFlight.get(key) === mine) inFlight.delete(key);
  }
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('base64url');
}

/** The value with object keys sorted, so equal JSON documents hash alike. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, canonical((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}
