/**
 * The behaviour every ImportStore adapter must have: an import is created once, a slice's progress is saved
 * only from the position it read from (so a repeated batch is never counted twice), and the refused rows
 * listed by each save come back in line order. How the stores are opened: store-contract-fixture.ts.
 */
import { describe, expect, it } from 'vitest';
import { ConflictError } from '../../lambdas/core/errors.js';
import type { ImportRecord } from '../../lambdas/core/imports/subscriber-import.js';
import { uniqueId } from '../factories.js';
import { type OpenStores, storesOpenedForEachTest } from './store-contract-fixture.js';

export function anImport(overrides: Partial<ImportRecord> = {}): ImportRecord {
  return {
    id: uniqueId('imp'),
    status: 'waiting-for-file',
    fileName: 'dong-nai.csv',
    createdBy: { id: 'hoa', roles: ['operator'] },
    createdAt: '2026-03-02T01:00:00.000Z',
    updatedAt: '2026-03-02T01:00:00.000Z',
    bytesRead: 0,
    linesRead: 0,
    rowsRead: 0,
    imported: 0,
    updated: 0,
    refusedCount: 0,
    ...overrides,
  };
}

export function describeImportStoreContract(adapterName: string, open: OpenStores): void {
  describe(`ImportStore contract: ${adapterName}`, () => {
    const store = storesOpenedForEachTest(open);

    it('keeps a new import, once', async () => {
      const created = anImport();
      await store.imports.insertImport(created);

      await expect(store.imports.insertImport({ ...created, fileName: 'other.csv' })).rejects.toBeInstanceOf(ConflictError);
      expect(await store.imports.getImport(created.id)).toEqual({ ...created, refused: [] });
      expect(await store.imports.getImport(uniqueId('imp'))).toBeUndefined();
    });

    it('saves progress from the position read, and lists the refused rows of each save in line order', async () => {
      const created = anImport();
      await store.imports.insertImport(created);
      const started = { ...created, status: 'importing' as const, fileBytes: 90_000, header: ['phone', 'area', 'tags'] };
      expect(await store.imports.saveImportProgress(started, created, [])).toBe(true);
      const first = { ...started, bytesRead: 40_000, linesRead: 1_001, rowsRead: 1_000, imported: 998, refusedCount: 2 };
      const firstRefused = [
        { line: 9, reason: 'missing area' },
        { line: 4, reason: 'invalid phone number "12"' },
      ];
      expect(await store.imports.saveImportProgress(first, started, firstRefused)).toBe(true);
      const second = { ...first, status: 'done' as const, bytesRead: 90_000, linesRead: 2_001, rowsRead: 2_000, refusedCount: 3 };
      expect(await store.imports.saveImportProgress(second, first, [{ line: 1_500, reason: 'unknown area "X"' }])).toBe(true);

      expect(await store.imports.getImport(created.id)).toEqual({
        ...second,
        refused: [
          { line: 4, reason: 'invalid phone number "12"' },
          { line: 9, reason: 'missing area' },
          { line: 1_500, reason: 'unknown area "X"' },
        ],
      });
    });

    it('refuses progress from a position the import has left, writing nothing', async () => {
      const created = anImport({ status: 'importing', fileBytes: 90_000 });
      await store.imports.insertImport(created);
      const moved = { ...created, bytesRead: 40_000, linesRead: 1_001, rowsRead: 1_000, imported: 1_000 };
      expect(await store.imports.saveImportProgress(moved, created, [])).toBe(true);

      const repeat = { ...moved, rowsRead: 2_000, imported: 1_999, refusedCount: 1 };
      expect(await store.imports.saveImportProgress(repeat, created, [{ line: 7, reason: 'missing area' }])).toBe(false);
      const otherStatus = { ...moved, status: 'failed' as const };
      expect(await store.imports.saveImportProgress(otherStatus, { status: 'waiting-for-file', bytesRead: 40_000 }, [])).toBe(false);

      expect(await store.imports.getImport(created.id)).toEqual({ ...moved, refused: [] });
    });
  });
}
