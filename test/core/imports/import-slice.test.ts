import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Caller } from '../../../lambdas/core/auth/caller.js';
import type { ImportFiles } from '../../../lambdas/core/imports/import-files.js';
import { importSlice, type ImportSliceDeps } from '../../../lambdas/core/imports/import-slice.js';
import { createImport } from '../../../lambdas/core/imports/import-use-cases.js';
import { importSubscribers } from '../../../lambdas/core/subscribers/import-subscribers.js';
import { openSqliteDeps, type SqliteDeps } from '../../sqlite-deps.js';

const OPERATOR: Caller = { id: 'hoa', roles: ['operator'] };

/** A file in memory, read from any byte as S3's Range GET or a file stream would, in small chunks. */
function filesOf(csv: string): ImportFiles & { reads: number[] } {
  const bytes = Buffer.from(csv, 'utf8');
  const reads: number[] = [];
  return {
    reads,
    read: async function* (_id, from) {
      reads.push(from);
      for (let at = from; at < bytes.length; at += 7) yield bytes.subarray(at, Math.min(at + 7, bytes.length));
    },
  };
}

/** A CSV with every kind of row: good ones, refused ones, blank and `,,,` lines, a quoted value over two lines, CRLF. */
function mixedFile(rows: number): string {
  const lines = ['\uFEFFphone,area,tags'];
  for (let i = 0; i < rows; i++) {
    const phone = `0961${String(100_000 + i).padStart(6, '0')}`;
    if (i % 7 === 3) lines.push(`${phone},NOWHERE,x`);
    else if (i % 11 === 5) lines.push(`12${i},DNI-1,x`);
    else if (i % 13 === 6) lines.push(`${phone},DNI-1,"a;\r\nb"`);
    else if (i % 17 === 8) lines.push('', ',,');
    else lines.push(`${phone},DNI-${1 + (i % 2)},dan-cu`);
  }
  return `${lines.join('\r\n')}\r\n`;
}

describe('an import in slices', () => {
  let opened: SqliteDeps;
  let deps: Omit<ImportSliceDeps, 'files'>;
  beforeEach(async () => {
    opened = openSqliteDeps();
    deps = opened.deps;
    await deps.audience.putAreas([
      { code: 'DNI', name: 'Dong Nai', path: 'DNI' },
      { code: 'DNI-1', name: 'Tan Binh', parentCode: 'DNI', path: 'DNI/DNI-1' },
      { code: 'DNI-2', name: 'Phu Thanh', parentCode: 'DNI', path: 'DNI/DNI-2' },
    ]);
  });
  afterEach(() => opened.close());

  const newImport = async () =>
    (
      await createImport(
        { ...opened.deps, importUploads: { uploadFor: async () => ({ method: 'PUT', url: '/x', headers: {} }) } },
        OPERATOR,
        { fileName: 'f.csv' },
      )
    ).id;

  it('read in slices of a few rows, gives the rows, lines and reasons of the synchronous import of the same file', async () => {
    const csv = mixedFile(120);
    const files = filesOf(csv);
    const id = await newImport();

    let slices = 0;
    for (let more = true; more; slices++) more = (await importSlice({ ...deps, files }, id, { maxRows: 9 })).more;
    const sliced = await deps.imports.getImport(id);
    const synchronous = await importSubscribers(deps, OPERATOR, {
      read: async function* () {
        yield csv;
      },
    });

    expect(slices).toBeGreaterThan(10);
    expect(sliced).toMatchObject({ status: 'done', bytesRead: Buffer.byteLength(csv), fileBytes: Buffer.byteLength(csv) });
    expect(sliced?.imported).toBe(synchronous.updated);
    expect(sliced?.refusedCount).toBe(synchronous.refusedCount);
    expect(sliced?.refused).toEqual(synchronous.refused);
    // Each slice but the first (which checked the whole file) read on from where the last one stopped.
    expect(files.reads.slice(2).every((from, index) => from > files.reads[index + 1]!)).toBe(true);
  });

  it('stops when told to, after a batch, and the next slice goes on from there', async () => {
    const csv = mixedFile(2_500);
    const id = await newImport();
    let asked = 0;
    const first = await importSlice({ ...deps, files: filesOf(csv) }, id, { maxRows: 100_000, shouldStop: () => ++asked >= 1 });

    expect(first).toEqual({ status: 'importing', more: true, rows: 1_000 });
    expect(await deps.imports.getImport(id)).toMatchObject({ status: 'importing', rowsRead: 1_000 });
    expect(await importSlice({ ...deps, files: filesOf(csv) }, id, { maxRows: 100_000 })).toMatchObject({ status: 'done', more: false });
    const done = await deps.imports.getImport(id);
    expect(done?.status).toBe('done');
    expect(done?.rowsRead).toBe(done!.imported + done!.refusedCount);
  });

  it('after a crash between a batch written and its progress saved, repeats that batch only, counting nothing twice', async () => {
    const csv = mixedFile(3_000);
    const id = await newImport();
    const saves = deps.imports.saveImportProgress.bind(deps.imports);
    let crashAt = 3;
    const crashing = {
      ...deps,
      imports: {
        ...deps.imports,
        getImport: deps.imports.getImport.bind(deps.imports),
        insertImport: deps.imports.insertImport.bind(deps.imports),
        saveImportProgress: async (...args: Parameters<typeof saves>) => {
          if (--crashAt === 0) throw new Error('the process died');
          return saves(...args);
        },
      },
    };
    await expect(importSlice({ ...crashing, files: filesOf(csv) }, id, { maxRows: 100_000 })).rejects.toThrow('the process died');
    const atCrash = await deps.imports.getImport(id);
    expect(atCrash).toMatchObject({ status: 'importing', rowsRead: 1_000 });

    expect(await importSlice({ ...deps, files: filesOf(csv) }, id, { maxRows: 100_000 })).toMatchObject({ status: 'done' });
    const done = await deps.imports.getImport(id);
    const again = await importSubscribers(deps, OPERATOR, {
      read: async function* () {
        yield csv;
      },
    });
    // The batch written before the crash was written again: its rows count as updated, once.
    expect(done!.imported + done!.updated).toBe(again.updated);
    expect(done?.updated).toBeLessThanOrEqual(1_000);
    expect(done?.rowsRead).toBe(again.updated + again.refusedCount);
    expect(done?.refused).toEqual(again.refused);
    expect(done?.refusedCount).toBe(again.refusedCount);
  });

  it('fails a file over a limit before writing a row', async () => {
    const id = await newImport();
    const outcome = await importSlice({ ...deps, files: filesOf(mixedFile(50)) }, id, {
      maxRows: 100,
      limits: { bytes: 1_000_000, rows: 10, listedRefusals: 1_000 },
    });

    expect(outcome).toEqual({ status: 'failed', more: false, rows: 0 });
    expect(await deps.imports.getImport(id)).toMatchObject({ status: 'failed', imported: 0, error: expect.stringContaining('10 rows') });
    expect(await deps.audience.getSubscriber('+84961100000')).toBeUndefined();
  });
});
