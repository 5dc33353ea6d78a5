/**
 * A keyed pseudonym of a phone number: what the records keep of a number once its subscriber is erased
 * or its receipts have outlived the retention period. The same number always gives the same pseudonym,
 * so an erased number that opted out stays suppressed and a campaign's receipts still count once per
 * recipient; without the key (kept like the token key, never in the database) nobody can go back from
 * a pseudonym to the number by trying the province's few million numbers.
 */
import { createHmac } from 'node:crypto';

/** Asynchronous because the key may have to be fetched first (from Secrets Manager on AWS). */
export interface Pseudonymizer {
  /** `anon_` and 20 base32 characters (100 bits) of HMAC-SHA256(key, E.164 number). */
  pseudonym(phone: string): Promise<string>;
}

const PSEUDONYM_PREFIX = 'anon_';
/** Shorter keys are refused: the key is all that keeps a pseudonym from being reversed. */
export const PSEUDONYM_KEY_BYTES = 32;
const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';
const PSEUDONYM_CHARACTERS = 20;

export function hmacPseudonymizer(key: Uint8Array): Pseudonymizer {
  const secret = checkedKey(key);
  return { pseudonym: async (phone) => pseudonymOf(secret, phone) };
}

/** A pseudonymizer whose key is loaded on first use and kept (once per process, or per Lambda container). */
export function lazyPseudonymizer(loadKey: () => Promise<Uint8Array>): Pseudonymizer {
  let secret: Promise<Buffer> | undefined;
  return {
    pseudonym: async (phone) => {
      secret ??= loadKey().then(checkedKey);
      // A failed load is tried again by the next call rather than remembered.
      return pseudonymOf(
        await secret.catch((error: unknown) => {
          secret = undefined;
          throw error;
        }),
        phone,
      );
    },
  };
}

function checkedKey(key: Uint8Array): Buffer {
  if (key.length < PSEUDONYM_KEY_BYTES) throw new RangeError(`A pseudonym key needs ${PSEUDONYM_KEY_BYTES} bytes, got ${key.length}`);
  return Buffer.from(key);
}

function pseudonymOf(secret: Buffer, phone: string): string {
  return PSEUDONYM_PREFIX + base32(createHmac('sha256', secret).update(phone).digest()).slice(0, PSEUDONYM_CHARACTERS);
}

export function isPseudonym(value: string): boolean {
  return value.startsWith(PSEUDONYM_PREFIX);
}

function base32(bytes: Uint8Array): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  return bits > 0 ? out + BASE32[(value << (5 - bits)) & 31] : out;
}
