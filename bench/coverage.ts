/**
 * `npm run bench:coverage -- --runs N` (default 20): how long GET /v1/coverage takes to answer for a
 * province of 1,000 residential areas with 100 vans touring every morning for a week (the generated
 * province of the coverage test: 700 planned runs, 200 of them recorded), on each store: SQLite in a
 * file, and DynamoDB Local (started here, in memory) with the AWS path's table. Each store is loaded, then
 * asked once cold and N times warm; every answer is checked against the planned total, so that no wrong
 * answer is timed. Prints, last, one JSON line: the median and slowest warm answer of each store in
 * milliseconds, the cold one, and the DynamoDB requests of one answer.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { dynamoDbStores } from '../lambdas/adapters/dynamodb/dynamodb-stores.js';
import { createTable } from '../lambdas/adapters/dynamodb/table.js';
import { openSqliteStores } from '../lambdas/adapters/sqlite/sqlite-stores.js';
import { DEFAULT_CONFIG } from '../lambdas/core/config.js';
import { storesIn, type Stores } from '../lambdas/core/ports.js';
import { tourCoverage } from '../lambdas/core/tours/coverage.js';
import { DAYS, generatedProvince, STOPS_PER_TOUR, VANS, WEEK } from '../test/core/tours/generated-province.js';
import { LOCAL_CLIENT_CONFIG, startDynamoDbLocal } from '../test/setup/dynamodb-local-process.js';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '20' } } });
const runs = Number(values.runs);
if (!(runs > 0)) throw new Error('--runs must be a positive number');

const province = generatedProvince();
const log = (message: string) => process.stdout.write(`${message}\n`);

async function load(store: Stores): Promise<void> {
  await store.audience.putAreas(province.areas);
  for (const tour of province.tours) await store.tours.insertTour(tour);
  for (const run of province.runs) await store.tours.insertTourRun(run);
}

/** One answer, in milliseconds, refused if it is not the generated province's. */
async function timedCoverage(store: Stores): Promise<number> {
  const started = performance.now();
  const coverage = await tourCoverage({ ...storesIn(store), config: DEFAULT_CONFIG }, WEEK);
  const elapsed = performance.now() - started;
  const planned = coverage.areas.reduce((sum, area) => sum + area.planned, 0);
  if (coverage.areas.length !== province.residential.length || planned !== VANS * DAYS * STOPS_PER_TOUR) {
    throw new Error(`wrong coverage: ${coverage.areas.length} areas, ${planned} planned`);
  }
  return elapsed;
}

async function measure(name: string, store: Stores) {
  const loading = performance.now();
  await load(store);
  log(
    `${name}: loaded ${province.areas.length} areas, ${province.tours.length} tours, ${province.runs.length} runs ` +
      `in ${(performance.now() - loading).toFixed(0)} ms`,
  );
  const cold = await timedCoverage(store);
  const warm: number[] = [];
  for (let i = 0; i < runs; i++) warm.push(await timedCoverage(store));
  warm.sort((a, b) => a - b);
  const figures = { coldMs: round(cold), medianMs: round(warm[Math.floor(warm.length / 2)]!), maxMs: round(warm.at(-1)!) };
  log(`${name}: ${JSON.stringify(figures)}`);
  return figures;
}

/** To a hundredth of a millisecond, cut, never rounded up. */
const round = (ms: number) => Math.floor(ms * 100) / 100;

const dir = mkdtempSync(join(tmpdir(), 'loa-bench-coverage-'));
// Removed however the run ends, a failed one included.
process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
const sqliteStore = openSqliteStores(join(dir, 'loa.db'));
const sqlite = await measure('SQLite', sqliteStore);
sqliteStore.close();

const dynamoDbLocal = await startDynamoDbLocal();
const client = new DynamoDBClient({ ...LOCAL_CLIENT_CONFIG, endpoint: dynamoDbLocal.endpoint });
let requests = 0;
client.middlewareStack.add(
  (next) => async (args) => {
    requests++;
    return next(args);
  },
  { step: 'initialize', name: 'countRequests' },
);
await createTable(client, 'loa-bench-coverage');
const dynamoStore = dynamoDbStores(DynamoDBDocumentClient.from(client), 'loa-bench-coverage');
const dynamo = await measure('DynamoDB Local', dynamoStore);
requests = 0;
await timedCoverage(dynamoStore);
const dynamoRequests = requests;
client.destroy();
await dynamoDbLocal.stop();

log(
  JSON.stringify({
    areas: province.residential.length,
    vans: VANS,
    days: DAYS,
    runs,
    sqliteColdMs: sqlite.coldMs,
    sqliteMedianMs: sqlite.medianMs,
    sqliteMaxMs: sqlite.maxMs,
    dynamoColdMs: dynamo.coldMs,
    dynamoMedianMs: dynamo.medianMs,
    dynamoMaxMs: dynamo.maxMs,
    dynamoRequests,
  }),
);
