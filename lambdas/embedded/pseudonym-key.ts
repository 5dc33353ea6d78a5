/**
 * The key of the pseudonyms (core/privacy/pseudonym.ts) of the embedded runtime, kept like the token
 * secret: in DATA_DIR/pseudonym-key, made on first use, readable by Loa's user only. Losing it makes new
 * pseudonyms differ from the old ones: erased numbers that opted out could be messaged again.
 */
import { hmacPseudonymizer, PSEUDONYM_KEY_BYTES, type Pseudonymizer } from '../core/privacy/pseudonym.js';
import { ownerOnlySecret } from './data-dir.js';

const KEY_FILE = 'pseudonym-key';

export async function loadOrCreatePseudonymizer(dataDir: string): Promise<Pseudonymizer> {
  const { file, secret: key } = await ownerOnlySecret(dataDir, KEY_FILE, PSEUDONYM_KEY_BYTES);
  if (key.length < PSEUDONYM_KEY_BYTES) {
    throw new Error(`${file} holds ${key.length} bytes; a pseudonym key needs ${PSEUDONYM_KEY_BYTES}. Restore it from a backup.`);
  }
  return hmacPseudonymizer(key);
}
