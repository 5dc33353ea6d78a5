/**
 * DATA_DIR holds every subscriber's number, the staff's password hashes and the token secret: only the
 * user Loa runs as may enter it (0700) or read its files (0600). Modes are set again at every start, so a
 * folder made by an older version, or by hand, is tightened too.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Creates `dir` if needed and makes it the owner's only. */
export function ownerOnlyDataDir(dir: string): string {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  return dir;
}

/**
 * The path of the SQLite file `name` in `dir`, created 0600 before SQLite opens it (SQLite gives the -wal
 * and -shm files it makes the database file's mode), with those of an older start tightened as well.
 */
export function ownerOnlyDatabase(dir: string, name: string): string {
  const file = join(ownerOnlyDataDir(dir), name);
  closeSync(openSync(file, 'a', 0o600));
  for (const path of [file, `${file}-wal`, `${file}-shm`]) if (existsSync(path)) chmodSync(path, 0o600);
  return file;
}

/**
 * The secret in the file `name` of `dir` (base64url text), made on first use from `bytes` random bytes,
 * 0600 however it was made. Two processes starting at once agree: only one creates the file (`wx`), the
 * other reads it. Returns the bytes read, which the caller checks for length.
 */
export async function ownerOnlySecret(dir: string, name: string, bytes: number): Promise<{ file: string; secret: Buffer }> {
  const file = join(ownerOnlyDataDir(dir), name);
  try {
    await writeFile(file, `${randomBytes(bytes).toString('base64url')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  chmodSync(file, 0o600);
  return { file, secret: Buffer.from((await readFile(file, 'utf8')).trim(), 'base64url') };
}
