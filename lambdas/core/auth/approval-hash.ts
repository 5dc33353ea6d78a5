import { createHash } from 'node:crypto';

/**
 * JSON with object keys sorted at every depth, no whitespace and undefined fields left out: the same
 * content gives the same text whatever order its fields were written in, so its hash can be recomputed.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((item) => (item === undefined ? 'null' : canonicalJson(item))).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const fields = Object.entries(value)
      .filter(([, field]) => field !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, field]) => `${JSON.stringify(key)}:${canonicalJson(field)}`);
    return `{${fields.join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * What an approval records of what it decided: the sha256 (hex) of the canonical JSON of the decided
 * content, so that anyone can later show that what runs is what the approver saw.
 */
export function approvalHash(content: unknown): string {
  return createHash('sha256').update(canonicalJson(content), 'utf8').digest('hex');
}
