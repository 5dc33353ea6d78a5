import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TooLargeError } from '../../../lambdas/core/errors.js';
import { IMPORT_LIMITS, type ImportLimits } from '../../../lambdas/core/subscribers/import-limits.js';
import { type ImportFile, importSubscribers } from '../../../lambdas/core/subscribers/import-subscribers.js';
import { openSqliteDeps, type SqliteDeps } from '../../sqlite-deps.js';

const OPERATOR = { id: 'hoa', roles: ['operator' as const] };

/** A file cut into small chunks, as a socket would deliver it; `reads` counts how often it was read. */
function fileOf(lines: string[], name?: string): ImportFile & { reads: number } {
  const text = lines.join('\n');
  const file = {
    reads: 0,
    ...(name !== undefined && { name }),
    read: async function* () {
      file.reads += 1;
      for (let at = 0; at < text.length; at += 7) yield text.slice(at, at + 7);
    },
  };
  return file;
}

describe('importSubscribers', () => {
  let sqlite: SqliteDeps;
  beforeAll(async () => {
    sqlite = openSqliteDeps();
    await sqlite.deps.audience.putAreas([{ code: 'DX-1', name: 'Khu phố Tân Bình', path: 'DX-1' }]);
  });
  afterAll(() => sqlite.close());

  const limits = (overrides: Partial<ImportLimits>): ImportLimits => ({ ...IMPORT_LIMITS, ...overrides });
  const refusal = (promise: Promise<unknown>) =>
    promise.then(
      () => undefined,
      (error: unknown) => error,
    );

  it('refuses a file of more rows than the limit before writing any of them', async () => {
    const file = fileOf(['phone,area,tags', '0961300001,DX-1,', '', '0961300002,DX-1,', '0961300003,DX-1,']);

    const error = await refusal(importSubscribers(sqlite.deps, OPERATOR, file, limits({ rows: 2 })));

    expect(error).toBeInstanceOf(TooLargeError);
    expect((error as Error).message).toMatch(/at most 50 MB and 2 rows; this one has more than 2 rows/);
    expect(await sqlite.deps.audience.getSubscriber('+84961300001')).toBeUndefined();
  });

  it('takes a file of exactly the limit, not counting blank rows, reading it twice', async () => {
    const file = fileOf(['phone,area,tags', '0961300001,DX-1,', '', ',,', '0961300002,DX-1,']);

    const report = await importSubscribers(sqlite.deps, OPERATOR, file, limits({ rows: 2 }));

    expect(report).toMatchObject({ imported: 2, refusedCount: 0 });
    expect(file.reads).toBe(2);
  });

  it('refuses a file of more bytes than the limit before writing any of it', async () => {
    const file = fileOf(['phone,area,tags', '0961300011,DX-1,', `0961300012,DX-1,${'t'.repeat(60)}`]);

    const error = await refusal(importSubscribers(sqlite.deps, OPERATOR, file, limits({ bytes: 40 })));

    expect(error).toBeInstanceOf(TooLargeError);
    expect((error as Error).message).toMatch(/this one is larger than/);
    expect(await sqlite.deps.audience.getSubscriber('+84961300011')).toBeUndefined();
  });

  it('lists the first refused rows by line and counts them all, unknown areas found a batch later included', async () => {
    const lines = Array.from({ length: 30 }, (_, index) =>
      index % 2 === 0 ? `0961301${String(index).padStart(3, '0')},NOWHERE,` : `bad${index},DX-1,`,
    );

    const report = await importSubscribers(sqlite.deps, OPERATOR, fileOf(['phone,area,tags', ...lines]), limits({ listedRefusals: 5 }));

    expect(report.refusedCount).toBe(30);
    expect(report.refused.map((row) => row.line)).toEqual([2, 3, 4, 5, 6]);
    expect(report.refused[0]?.reason).toBe('unknown area "NOWHERE"');
  });

  it('records the import, the file name and the time on each subscriber it writes', async () => {
    const at = new Date('2026-03-02T01:00:00.000Z');
    const deps = { ...sqlite.deps, clock: { now: () => at } };

    const report = await importSubscribers(deps, OPERATOR, fileOf(['phone,area,tags', '0961300021,DX-1,'], 'Tân Bình.csv'));

    expect(await sqlite.deps.audience.getSubscriber('+84961300021')).toMatchObject({
      source: { kind: 'import', importId: report.importId, fileName: 'Tân Bình.csv' },
      sourcedAt: at.toISOString(),
    });
  });
});
