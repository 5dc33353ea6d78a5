/**
 * A fresh Idempotency-Key for each distinct thing a form sends: the same content sent twice (a retry after
 * a lost connection) repeats the key, so the API answers the first result instead of acting twice.
 * getRandomValues works outside secure contexts too, unlike randomUUID (the embedded runtime may be
 * reached over plain HTTP on the office network).
 */
import { useMemo } from 'react';

export function newIdempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return [...bytes].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}

export function useIdempotencyKey(content: unknown): string {
  const signature = JSON.stringify(content);
  return useMemo(() => newIdempotencyKey(), [signature]);
}
