/**
 * The query parameters of the lists that say what waits on whom: `status` (several, comma-separated),
 * `createdBy` (`me` or a person) and `awaiting=me` (pending approval and made by someone else: what the
 * caller may decide, never their own).
 */
import { z } from 'zod';
import type { Caller } from '../../core/auth/caller.js';
import { ValidationError } from '../../core/errors.js';
import type { CreatorFilter } from '../../core/list-filters.js';

/** `?status=sending,scheduled,paused`: any of these. */
export function statusList<const T extends readonly [string, ...string[]]>(statuses: T) {
  return z
    .string()
    .max(500)
    .transform((text) =>
      text
        .split(',')
        .map((part) => part.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.enum(statuses)).min(1))
    .describe(`Any of these statuses, comma-separated: ${statuses.join(', ')}`);
}

export const creatorQuery = {
  createdBy: z.string().min(1).max(200).optional().describe('"me" (the caller) or a user id: only what they made'),
  awaiting: z
    .literal('me')
    .optional()
    .describe("Only what waits for the caller's decision: pending approval, made by someone else (not with status)"),
};

/**
 * The statuses and creator filter a query asks for; `awaiting=me` stands for the pending status and
 * everyone but the caller.
 */
export function reviewFilter<S extends string>(
  caller: Caller,
  query: { status?: S[] | S | undefined; createdBy?: string | undefined; awaiting?: 'me' | undefined },
  pending: S,
): CreatorFilter & { statuses?: S[] } {
  if (query.awaiting && query.status !== undefined) {
    throw ValidationError.field('awaiting', 'awaiting=me means pending approval: give it or status, not both');
  }
  const statuses = query.awaiting ? [pending] : query.status === undefined ? undefined : ([] as S[]).concat(query.status);
  return {
    ...(statuses && { statuses }),
    ...(query.createdBy !== undefined && { createdBy: query.createdBy === 'me' ? caller.id : query.createdBy }),
    ...(query.awaiting && { notCreatedBy: caller.id }),
  };
}

/** A decision on a campaign or tour names the revision the approver looked at: one changed since is a 409. */
export const decidedRevision = z.number().int().min(1).describe('The revision being decided, as the approver saw it');
