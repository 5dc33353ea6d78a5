/**
 * What the response schemas share: timestamps, pages, the four-eyes review fields, and the check that ties
 * a schema to the core type it describes.
 */
import { z } from 'zod';

/** The core keeps instants as ISO 8601 strings in UTC. */
export const timestamp = z.iso.datetime();

/** A page of a list: `nextCursor` is absent on the last page. */
export function pageOf<T extends z.ZodType>(item: T) {
  return z.strictObject({
    items: z.array(item),
    nextCursor: z.string().optional().describe('Pass as ?cursor= for the next page; absent on the last page'),
  });
}

/** The four-eyes review (model.ts `Review`): submitted, then decided by a second person. */
export const reviewFields = {
  submittedAt: timestamp.optional(),
  decidedBy: z.string().optional(),
  decidedAt: timestamp.optional(),
  rejectionReason: z.string().optional(),
  approvedHash: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .optional()
    .describe('sha256 (hex) of the canonical JSON of exactly what was approved; the audit entry carries it too'),
};

type SameFields<A, B> = [A] extends [B]
  ? [B] extends [A]
    ? [keyof A] extends [keyof B]
      ? [keyof B] extends [keyof A]
        ? true
        : false
      : false
    : false
  : false;

/**
 * Ties a response schema to the core type the handler returns: the schema is given back unchanged, and the
 * call does not compile ("not assignable to never") when a field is in one and not the other.
 */
export function describing<T>() {
  return <S extends z.ZodType>(schema: S & (SameFields<z.output<S>, T> extends true ? unknown : never)): S => schema;
}
