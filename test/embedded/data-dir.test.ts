/**
 * DATA_DIR is the owner's only: the folder 0700 and every file in it 0600, after a start of the runtime,
 * and tightened at the next start when an older version (or a person) left them open.
 */
import { chmodSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../lambdas/core/config.js';
import { ownerOnlyDatabase, ownerOnlyDataDir } from '../../lambdas/embedded/data-dir.js';
import { startRuntime, type Runtime } from '../../lambdas/embedded/runtime.js';
import { newTempFolder } from '../temp-folder.js';

const modeOf = (path: string) => statSync(path).mode & 0o777;

/** A data folder as an older version left it: readable by every local user. */
function openDataFolder(files: string[] = []): string {
  const dir = newTempFolder('loa-data-dir-');
  chmodSync(dir, 0o755);
  for (const name of files) writeFileSync(join(dir, name), '', { mode: 0o644 });
  return dir;
}

describe('the data folder', () => {
  let runtime: Runtime | undefined;
  afterEach(async () => {
    await runtime?.stop();
    runtime = undefined;
  });

  it('is made the owner only, with every file the runtime writes 0600', async () => {
    const dataDir = join(openDataFolder(), 'data');
    runtime = await startRuntime({
      host: '127.0.0.1',
      port: 0,
      dataDir,
      config: DEFAULT_CONFIG,
      simulator: { smscPort: 0, reportDelayMs: 0, transientErrorRate: 0, permanentErrorRate: 0, undeliveredRate: 0 },
    });
    const files = readdirSync(dataDir);
    expect(files).toEqual(expect.arrayContaining(['loa.db', 'queue.db', 'staff.db', 'jwt-secret']));
    expect(modeOf(dataDir)).toBe(0o700);
    expect(Object.fromEntries(files.map((name) => [name, modeOf(join(dataDir, name))]))).toEqual(
      Object.fromEntries(files.map((name) => [name, 0o600])),
    );
  });

  it('tightens a folder and the database files an older start left readable by everyone', () => {
    const dataDir = openDataFolder(['loa.db', 'loa.db-wal', 'loa.db-shm']);
    expect(modeOf(dataDir)).toBe(0o755);

    expect(ownerOnlyDatabase(dataDir, 'loa.db')).toBe(join(dataDir, 'loa.db'));
    expect(modeOf(dataDir)).toBe(0o700);
    for (const name of ['loa.db', 'loa.db-wal', 'loa.db-shm']) expect(modeOf(join(dataDir, name))).toBe(0o600);
  });

  it('creates a missing folder, parents included, as the owner only', () => {
    const dataDir = join(openDataFolder(), 'a', 'b');
    expect(ownerOnlyDataDir(dataDir)).toBe(dataDir);
    expect(modeOf(dataDir)).toBe(0o700);
  });
});
