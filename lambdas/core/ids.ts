import { randomBytes } from 'node:crypto';

const RANDOM_LENGTH = 10;
let last = { time: '', random: '' };

/**
 * A time-ordered id (milliseconds in base 36, then 10 random base-36 characters), so that listing by
 * id lists by creation and two writers never collide. Within one process, ids made in the same
 * millisecond follow each other too: the random part of the previous one, plus one.
 */
export function newId(prefix: string, at: Date = new Date()): string {
  const time = at.getTime().toString(36).padStart(9, '0');
  const random = time === last.time ? (plusOne(last.random) ?? freshRandom()) : freshRandom();
  last = { time, random };
  return `${prefix}_${time}${random}`;
}

function freshRandom(): string {
  return Array.from(randomBytes(RANDOM_LENGTH), (byte) => (byte % 36).toString(36)).join('');
}

/** The next base-36 string of the same length, or undefined past zzzzzzzzzz. */
function plusOne(digits: string): string | undefined {
  const chars = [...digits];
  for (let i = chars.length - 1; i >= 0; i--) {
    const value = parseInt(chars[i]!, 36) + 1;
    if (value < 36) {
      chars[i] = value.toString(36);
      return chars.join('');
    }
    chars[i] = '0';
  }
  return undefined;
}
