/**
 * How fast an import in slices writes a province's list into DynamoDB: generates a CSV of --rows rows
 * (default 1,000,000; one in 10,000 in an unknown area, to be refused), starts DynamoDB Local (in memory),
 * and runs the slice use case (core/imports/import-slice.ts) on the DynamoDB stores, slice after slice of
 * --slice-rows rows, each read from its saved byte offset as the import Lambda reads from S3. Prints a
 * progress line per slice and, last, one JSON line with the rows a second.
 *
 *   npm run bench:import -- --rows 1000000 --slice-rows 100000
 */
import './quiet-powertools.js';
import { createReadStream } from 'node:fs';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { dynamoDbStores } from '../lambdas/adapters/dynamodb/dynamodb-stores.js';
import { createTable } from '../lambdas/adapters/dynamodb/table.js';
import { DEFAULT_CONFIG } from '../lambdas/core/config.js';
import { importSlice, type ImportSliceDeps } from '../lambdas/core/imports/import-slice.js';
import { createImport } from '../lambdas/core/imports/import-use-cases.js';
import { hmacPseudonymizer } from '../lambdas/core/privacy/pseudonym.js';
import { LOCAL_CLIENT_CONFIG, startDynamoDbLocal } from '../test/setup/dynamodb-local-process.js';

const { values } = parseArgs({
  options: { rows: { type: 'string', default: '1000000' }, 'slice-rows': { type: 'string', default: '100000' } },
});
const rows = Number(values.rows);
const sliceRows = Number(values['slice-rows']);
if (!(rows > 0) || !(sliceRows > 0)) throw new Error('--rows and --slice-rows must be positive numbers');
const log = (message: string) => process.stdout.write(`${message}\n`);

const AREAS = 100;
const folder = await mkdtemp(join(tmpdir(), 'loa-bench-import-'));
const dynamoDbLocal = await startDynamoDbLocal();
try {
  const file = join(folder, 'province.csv');
  const out = await open(file, 'w', 0o600);
  let chunk: string[] = ['phone,area,tags'];
  for (let i = 0; i < rows; i++) {
    const area = i % 10_000 === 9_999 ? 'NOWHERE' : `BENCH-${i % AREAS}`;
    chunk.push(`+849${10_000_000 + i},${area},dan-cu;bench`);
    if (chunk.length >= 10_000) {
      await out.write(`${chunk.join('\n')}\n`);
      chunk = [];
    }
  }
  await out.write(chunk.length > 0 ? `${chunk.join('\n')}\n` : '');
  const { size } = await out.stat();
  await out.close();
  log(`${rows} rows, ${(size / 1024 / 1024).toFixed(1)} MB, in ${file}; DynamoDB Local at ${dynamoDbLocal.endpoint}`);

  const client = new DynamoDBClient({ ...LOCAL_CLIENT_CONFIG, endpoint: dynamoDbLocal.endpoint });
  const tableName = 'loa-bench-import';
  await createTable(client, tableName);
  const stores = dynamoDbStores(DynamoDBDocumentClient.from(client), tableName);
  const clock = { now: () => new Date() };
  await stores.audience.putAreas([
    { code: 'BENCH', name: 'Tinh', path: 'BENCH' },
    ...Array.from({ length: AREAS }, (_, i) => ({ code: `BENCH-${i}`, name: `Xa ${i}`, parentCode: 'BENCH', path: `BENCH/BENCH-${i}` })),
  ]);
  const deps: ImportSliceDeps = {
    ...stores,
    clock,
    config: DEFAULT_CONFIG,
    pseudonymizer: hmacPseudonymizer(new Uint8Array(32).fill(1)),
    files: { read: (_id, from) => createReadStream(file, { start: from }) },
  };
  const upload = { uploadFor: async () => ({ method: 'PUT' as const, url: file, headers: {} }) };
  const { id } = await createImport({ ...deps, importUploads: upload }, { id: 'bench', roles: ['operator'] }, { fileName: 'province.csv' });

  const started = performance.now();
  let slices = 0;
  for (;;) {
    const sliceStarted = performance.now();
    const outcome = await importSlice(deps, id, { maxRows: sliceRows });
    slices += 1;
    const seconds = (performance.now() - sliceStarted) / 1000;
    log(
      `slice ${slices}: ${outcome.rows} rows in ${seconds.toFixed(1)} s (${Math.round(outcome.rows / seconds)} rows/s), ${outcome.status}`,
    );
    if (!outcome.more) break;
  }
  const seconds = (performance.now() - started) / 1000;
  const done = await stores.imports.getImport(id);
  if (done?.status !== 'done') throw new Error(`the import ended ${done?.status}: ${done?.error}`);
  log(
    JSON.stringify({
      rows: done.rowsRead,
      imported: done.imported,
      updated: done.updated,
      refused: done.refusedCount,
      megabytes: Number((size / 1024 / 1024).toFixed(1)),
      slices,
      seconds: Number(seconds.toFixed(1)),
      rowsPerSecond: Math.round(done.rowsRead / seconds),
    }),
  );
  client.destroy();
} finally {
  await dynamoDbLocal.stop();
  await rm(folder, { recursive: true, force: true });
}
