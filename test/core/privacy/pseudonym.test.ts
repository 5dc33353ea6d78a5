import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hmacPseudonymizer, isPseudonym, lazyPseudonymizer } from '../../../lambdas/core/privacy/pseudonym.js';
import { loadOrCreatePseudonymizer } from '../../../lambdas/embedded/pseudonym-key.js';
import { newTempFolder, removeTempFolders } from '../../temp-folder.js';
import { TEST_PSEUDONYM_KEY } from '../../test-pseudonymizer.js';

afterAll(removeTempFolders);

describe('pseudonyms of phone numbers', () => {
  it('gives a number always the same short pseudonym, another number another, and another key another', async () => {
    const pseudonymizer = hmacPseudonymizer(TEST_PSEUDONYM_KEY);
    const first = await pseudonymizer.pseudonym('+84912345678');

    expect(first).toMatch(/^anon_[a-z2-7]{20}$/);
    expect(isPseudonym(first)).toBe(true);
    expect(isPseudonym('+84912345678')).toBe(false);
    expect(await pseudonymizer.pseudonym('+84912345678')).toBe(first);
    expect(await pseudonymizer.pseudonym('+84912345679')).not.toBe(first);
    expect(await hmacPseudonymizer(new Uint8Array(32).fill(8)).pseudonym('+84912345678')).not.toBe(first);
    expect(first).not.toContain('912345678');
  });

  it('refuses a key shorter than 32 bytes', async () => {
    expect(() => hmacPseudonymizer(new Uint8Array(16))).toThrow(RangeError);
    await expect(lazyPseudonymizer(async () => new Uint8Array(16)).pseudonym('+84912345678')).rejects.toThrow(RangeError);
  });

  it('loads a lazy key once, and tries again after a failed load', async () => {
    let loads = 0;
    const pseudonymizer = lazyPseudonymizer(async () => {
      loads++;
      if (loads === 1) throw new Error('throttled');
      return TEST_PSEUDONYM_KEY;
    });
    await expect(pseudonymizer.pseudonym('+84912345678')).rejects.toThrow('throttled');
    const pseudonym = await pseudonymizer.pseudonym('+84912345678');
    await pseudonymizer.pseudonym('+84912345679');

    expect(pseudonym).toBe(await hmacPseudonymizer(TEST_PSEUDONYM_KEY).pseudonym('+84912345678'));
    expect(loads).toBe(2);
  });

  it('keeps the embedded key in DATA_DIR/pseudonym-key, made once, readable by its owner only', async () => {
    const dataDir = join(newTempFolder('loa-pseudonym-'), 'data');
    const [first, second] = await Promise.all([loadOrCreatePseudonymizer(dataDir), loadOrCreatePseudonymizer(dataDir)]);

    expect(statSync(join(dataDir, 'pseudonym-key')).mode & 0o777).toBe(0o600);
    const again = await loadOrCreatePseudonymizer(dataDir);
    expect(await again.pseudonym('+84912345678')).toBe(await first.pseudonym('+84912345678'));
    expect(await second.pseudonym('+84912345678')).toBe(await first.pseudonym('+84912345678'));
  });
});
