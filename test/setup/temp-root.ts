/**
 * Vitest global setup: gives the run a temp folder of its own and points TMPDIR (and Java's temp folder,
 * for DynamoDB Local) at it, so everything the test files and the processes they start write to the
 * temp folder lands there. On teardown, after the last test file, it names the test folders (loa-...)
 * still in it, fails the run if there are any, and removes it whole.
 *
 * A run of its own, not a before-and-after look at the shared temp folder, because another test run
 * on the same machine makes and removes its folders there at the same time.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The prefix of every folder a test makes (test/temp-folder.ts, and the helpers that make their own). */
const TEST_FOLDER_PREFIX = 'loa-';

export default function setup(): () => void {
  const root = mkdtempSync(join(tmpdir(), 'loa-test-run-'));
  const { TMPDIR, JAVA_TOOL_OPTIONS } = process.env;
  process.env.TMPDIR = root;
  process.env.JAVA_TOOL_OPTIONS = [JAVA_TOOL_OPTIONS, `-Djava.io.tmpdir=${root}`].filter(Boolean).join(' ');
  return () => {
    restore('TMPDIR', TMPDIR);
    restore('JAVA_TOOL_OPTIONS', JAVA_TOOL_OPTIONS);
    const leftovers = readdirSync(root).filter((name) => name.startsWith(TEST_FOLDER_PREFIX));
    rmSync(root, { recursive: true, force: true, maxRetries: 5 });
    if (leftovers.length === 0) return;
    console.error(
      `Tests left ${leftovers.length} temp folder(s) behind: ${leftovers.join(', ')}. Make them with newTempFolder (test/temp-folder.ts).`,
    );
    process.exitCode = 1;
  };
}

function restore(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}
