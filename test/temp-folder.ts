/**
 * Temporary folders for tests. Each is made under the OS temp folder and removed after the last test
 * of the file that made it (test/setup/remove-temp-folders.ts, a setup file of every test file), so a
 * test never has to clean up after itself, wherever it makes the folder: at the top of the file, in a
 * hook or in a test.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const folders: string[] = [];

/** A new empty folder whose name starts with `prefix` (by convention `loa-<what>-`). */
export function newTempFolder(prefix: string): string {
  const folder = mkdtempSync(join(tmpdir(), prefix));
  folders.push(folder);
  return folder;
}

export function removeTempFolders(): void {
  // A runtime that was just stopped may still be closing a file in it: retry rather than leave it.
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true, maxRetries: 5 });
}
