import { randomBytes } from 'node:crypto';

/**
 * A time-ordered id (milliseconds in base 36, then 10 random base-36 characters), so that listing by
 * id lists by creation and two writers never collide.
 */
export function newId(prefix: string, at: Date = new Date()): string {
  const time = at.getTime().toString(36).padStart(9, '0');
  const random = Array.from(randomBytes(10), (byte) => (byte % 36).toString(36)).join('');
  return `${prefix}_${time}${random}`;
}
