/**
 * The key of the pseudonyms (core/privacy/pseudonym.ts) of the embedded runtime, kept like the token
 * secret: in DATA_DIR/pseudonym-key, made on first use, readable by Loa's user only. Losing it makes new
 * pseudonyms differ from the old ones: erased numbers that opted out could be messaged again.
 */
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { hmacPseudonymizer, PSEUDONYM_KEY_BYTES, type Pseudonymizer } from '../core/privacy/pseudonym.js';
import { ownerOnlyDataDir } from './data-dir.js';

const KEY_FILE = 'pseudonym-key';

/** Two processes starting at once agree: only one creates the file (`wx`), the other reads it. */
export async function loadOrCreatePseudonymizer(dataDir: string): Promise<Pseudonymizer> {
  const file = join(ownerOnlyDataDir(dataDir), KEY_FILE);
  try {
    await writeFile(file, `${randomBytes(PSEUDONYM_KEY_BYTES).toString('base64url')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const key = Buffer.from((await readFile(file, 'utf8')).trim(), 'base64url');
  if (key.length < PSEUDONYM_KEY_BYTES) {
    throw new Error(`${file} holds ${key.length} bytes; a pseudonym key needs ${PSEUDONYM_KEY_BYTES}. Restore it from a backup.`);
  }
  return hmacPseudonymizer(key);
}
