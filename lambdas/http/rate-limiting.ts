/**
 * Per-caller rate limits in the API handler: a token bucket per caller and class of route (per client
 * address on public routes), answered with 429 and Retry-After in seconds. Each process keeps its own
 * buckets: the embedded runtime has one, and on AWS each Lambda instance counts for itself (best effort;
 * API Gateway's route-level throttling in lib/constructs/api.ts bounds the sum).
 */
import type { Caller } from '../core/auth/caller.js';
import type { Clock } from '../core/ports.js';
import { RATE_CLASSES, type RateClass, type RateLimits } from '../core/rate-limits/rate-limits.js';
import { TokenBuckets } from '../core/rate-limits/token-buckets.js';
import { ProblemError } from './problem.js';
import type { Route } from './route.js';

/** What lets a message go or stops it: never queued behind the same caller's reads, writes or imports. */
const DECISION = /\/(approve|reject|pause|cancel)$/;
/** Reads that are POSTs only to keep the phone number out of the URL. */
const READ_BY_NUMBER = /^\/v1\/subscribers\/(lookup|export)$/;
const DELIVERY_REPORTS = /^\/v1\/dlr\//;

export function rateClassOf(route: Pick<Route, 'method' | 'path' | 'access' | 'body'>): RateClass {
  if (route.access === 'public') return DELIVERY_REPORTS.test(route.path) ? 'reports' : 'public';
  if (route.body === 'csv') return 'imports';
  if (route.method === 'POST' && DECISION.test(route.path)) return 'decisions';
  return route.method === 'GET' || READ_BY_NUMBER.test(route.path) ? 'reads' : 'writes';
}

export type RequestLimiter = (route: Route, caller: Caller, sourceIp: string | undefined) => void;

/** Throws the 429 for a request over its caller's limit. */
export function requestLimiter(limits: RateLimits, clock: Clock): RequestLimiter {
  const buckets = Object.fromEntries(RATE_CLASSES.map((name) => [name, new TokenBuckets(limits[name], clock)])) as Record<
    RateClass,
    TokenBuckets
  >;
  return (route, caller, sourceIp) => {
    const rateClass = rateClassOf(route);
    const key = route.access === 'public' ? `address:${sourceIp ?? 'unknown'}` : `caller:${caller.id}`;
    const taken = buckets[rateClass].take(key);
    if (taken.allowed) return;
    const { perSecond, burst } = limits[rateClass];
    throw new ProblemError(
      'too-many-requests',
      `Over the limit of ${perSecond} ${rateClass} a second (${burst} at once); try again in ${taken.retryAfterSeconds} s`,
      { headers: { 'retry-after': String(taken.retryAfterSeconds) } },
    );
  };
}
