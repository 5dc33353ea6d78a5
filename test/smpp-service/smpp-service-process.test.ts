/**
 * The SMPP service's entry point (lambdas/smpp-service/main.ts) as ECS runs it: a process configured by
 * its environment only, bound to the SMSC simulator, reading an SQS endpoint of the test's (an HTTP server
 * speaking SQS's JSON protocol, with no jobs) and DynamoDB Local. SIGTERM drains it: it unbinds, posts
 * its last health and exits 0.
 */
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { SmscSimulator } from '../../lambdas/adapters/smpp/smsc-simulator.js';
import { LOCAL_CLIENT_CONFIG } from '../aws/aws-test-env.js';
import { aTable } from '../handlers/aws-handler-fixtures.js';

const endpoint = inject('dynamoDbEndpoint');
const table = aTable(endpoint);
const smsc = new SmscSimulator({ reportDelayMs: 5, transientErrorRate: 0, permanentErrorRate: 0, undeliveredRate: 0 });
const sqsTargets: string[] = [];
/** SQS as the SDK speaks it (AWS JSON 1.0): every ReceiveMessage answers, shortly, with no message. */
const sqs: Server = createServer((request, response) => {
  request.resume();
  request.on('end', () => {
    sqsTargets.push(String(request.headers['x-amz-target']));
    setTimeout(() => {
      response.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
      response.end('{}');
    }, 50);
  });
});

let smscPort = 0;
beforeAll(async () => {
  await table.create();
  ({ port: smscPort } = await smsc.start());
  await new Promise<void>((resolve) => sqs.listen(0, '127.0.0.1', resolve));
});
afterAll(async () => {
  await table.drop();
  await smsc.close();
  await new Promise((resolve) => sqs.close(resolve));
});

describe('the SMPP service process', () => {
  it('binds, polls the queue and, on SIGTERM, unbinds and exits 0', async () => {
    const gateways = {
      gateways: [
        { id: 'smpp-local', type: 'smpp', host: '127.0.0.1', port: smscPort, systemId: 'loa', password: 'loa', sourceAddr: 'LOA' },
      ],
      routes: [{ carriers: ['*'], gateways: ['smpp-local'] }],
    };
    const child = spawn(process.execPath, ['--import', 'tsx', join(process.cwd(), 'lambdas', 'smpp-service', 'main.ts')], {
      env: {
        PATH: process.env.PATH,
        AWS_REGION: 'ap-southeast-1',
        AWS_ACCESS_KEY_ID: LOCAL_CLIENT_CONFIG.credentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: LOCAL_CLIENT_CONFIG.credentials.secretAccessKey,
        AWS_ENDPOINT_URL_DYNAMODB: endpoint,
        TABLE_NAME: table.tableName,
        SMPP_SEND_QUEUE_URL: `http://127.0.0.1:${(sqs.address() as AddressInfo).port}/123456789012/loa-dev-smpp-send`,
        LOA_GATEWAYS: JSON.stringify(gateways),
        POWERTOOLS_METRICS_NAMESPACE: 'Loa/test',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

    await vi.waitFor(() => expect(output).toContain('SMPP service started'), { timeout: 30_000, interval: 100 });
    expect(sqsTargets).toContain('AmazonSQS.ReceiveMessage');
    expect(smsc.stats().binds).toBe(1);
    child.kill('SIGTERM');

    expect(await exited).toBe(0);
    const lines = output
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { level: string; message: string });
    expect(lines.map((line) => line.message)).toEqual(
      expect.arrayContaining(['SMPP gateway bound', 'SMPP service started', 'Signal received: draining', 'SMPP service stopped']),
    );
    expect(lines.filter((line) => line.level === 'error' || line.level === 'warn')).toEqual([]);
    expect(smsc.stats().unbinds).toBe(1);
  }, 60_000);
});
