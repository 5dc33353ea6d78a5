import { Readable } from 'node:stream';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { createImport } from '../../lambdas/core/imports/import-use-cases.js';
import { createAwsDeps } from '../../lambdas/handlers/aws-deps.js';
import { importLambdaDepsOf, makeImportLambda } from '../../lambdas/handlers/import.js';
import { lambdaContext, sqsRecord } from '../aws/lambda-events.js';
import { LOCAL_CLIENT_CONFIG, PSEUDONYM_SECRET_ARN, REGION } from '../aws/aws-test-env.js';
import { uniqueId } from '../factories.js';
import { aTable, operator } from './aws-handler-fixtures.js';

const BUCKET = 'loa-dev-imports';
const QUEUE_URL = `https://sqs.${REGION}.amazonaws.com/123456789012/loa-dev-imports`;
const endpoint = inject('dynamoDbEndpoint');
const table = aTable(endpoint);
beforeAll(() => table.create());
afterAll(() => table.drop());

const s3 = mockClient(S3Client);
const sqs = mockClient(SQSClient);
afterAll(() => {
  s3.restore();
  sqs.restore();
});

describe('the import Lambda', () => {
  const aws = createAwsDeps({
    env: { TABLE_NAME: table.tableName, IMPORT_BUCKET: BUCKET, PSEUDONYM_SECRET_ARN },
    clients: {
      dynamodb: new DynamoDBClient({ ...LOCAL_CLIENT_CONFIG, endpoint }),
      s3: new S3Client({ region: REGION, credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' } }),
      secrets: { secretString: async () => 'k'.repeat(64) },
    },
  });
  const deps = importLambdaDepsOf(aws, new S3Client({ region: REGION }), new SQSClient({ region: REGION }), {
    IMPORT_BUCKET: BUCKET,
    IMPORT_QUEUE_URL: QUEUE_URL,
  });
  let area: string;
  let file: Buffer;

  beforeAll(async () => {
    area = uniqueId('DNI');
    await aws.audience.putAreas([{ code: area, name: 'Dong Nai', path: area }]);
    const rows = Array.from({ length: 60 }, (_, i) => `0962${String(100_000 + i).padStart(6, '0')},${i === 40 ? 'NOWHERE' : area},dan-cu`);
    file = Buffer.from(`phone,area,tags\n${rows.join('\n')}\n`);
  });
  beforeEach(() => {
    s3.reset();
    sqs.reset();
    // S3 answers a Range GET with the bytes from the range's start, as a stream.
    s3.on(GetObjectCommand).callsFake((input: { Range: string }) => {
      const from = Number(/^bytes=(\d+)-$/.exec(input.Range)?.[1]);
      return { Body: Readable.from([file.subarray(from)]) as never };
    });
    sqs.on(SendMessageCommand).resolves({ MessageId: 'm' });
  });

  const newImport = async () =>
    (
      await createImport(
        { imports: aws.imports, clock: aws.clock, importUploads: { uploadFor: async () => ({ method: 'PUT', url: 'x', headers: {} }) } },
        operator,
        {},
      )
    ).id;
  const s3Event = (importId: string) =>
    JSON.stringify({
      Records: [
        {
          eventName: 'ObjectCreated:Put',
          s3: { bucket: { name: BUCKET }, object: { key: `imports/${importId}.csv`, size: file.length } },
        },
      ],
    });
  const deliver = (lambda: ReturnType<typeof makeImportLambda>, body: string) =>
    lambda(
      {
        Records: [
          sqsRecord('loa-dev-imports', { messageId: uniqueId('msg'), body, sentAt: Date.now(), receiveCount: 1, receiptHandle: 'r' }),
        ],
      },
      lambdaContext('import', 900_000),
    );

  it('imports the file S3 tells of, reading it from the start with a GET of its key', async () => {
    const importId = await newImport();
    const result = await deliver(
      makeImportLambda(() => deps),
      s3Event(importId),
    );

    expect(result).toEqual({ batchItemFailures: [] });
    expect(s3.commandCalls(GetObjectCommand).map((call) => call.args[0].input)).toEqual([
      { Bucket: BUCKET, Key: `imports/${importId}.csv`, Range: 'bytes=0-' },
      { Bucket: BUCKET, Key: `imports/${importId}.csv`, Range: 'bytes=0-' },
    ]);
    expect(sqs.commandCalls(SendMessageCommand)).toEqual([]);
    expect(await aws.imports.getImport(importId)).toMatchObject({
      status: 'done',
      fileBytes: file.length,
      bytesRead: file.length,
      imported: 59,
      refusedCount: 1,
      refused: [{ line: 42, reason: 'unknown area "NOWHERE"' }],
    });
  });

  it('hands the rest on when a slice stops, and the next reads on with a Range GET from where the import stands', async () => {
    const importId = await newImport();
    const lambda = makeImportLambda(() => deps, { maxRows: 25 });
    await deliver(lambda, s3Event(importId));
    const afterFirst = await aws.imports.getImport(importId);
    expect(afterFirst).toMatchObject({ status: 'importing', rowsRead: 25 });
    expect(sqs.commandCalls(SendMessageCommand).map((call) => call.args[0].input)).toEqual([
      { QueueUrl: QUEUE_URL, MessageBody: JSON.stringify({ type: 'continue', importId }) },
    ]);

    s3.resetHistory();
    await deliver(lambda, JSON.stringify({ type: 'continue', importId }));
    expect(s3.commandCalls(GetObjectCommand).map((call) => call.args[0].input)).toEqual([
      { Bucket: BUCKET, Key: `imports/${importId}.csv`, Range: `bytes=${afterFirst!.bytesRead}-` },
    ]);
    await deliver(lambda, JSON.stringify({ type: 'continue', importId }));
    expect(await aws.imports.getImport(importId)).toMatchObject({
      status: 'done',
      imported: 0,
      updated: 59,
      refusedCount: 1,
      rowsRead: 60,
    });
    expect(sqs.commandCalls(SendMessageCommand)).toHaveLength(2);
  });

  it("ignores S3's test event and keys that are no import file, and refuses a message that is neither", async () => {
    const lambda = makeImportLambda(() => deps);
    const test = await deliver(lambda, JSON.stringify({ Service: 'Amazon S3', Event: 's3:TestEvent', Bucket: BUCKET }));
    const other = await deliver(lambda, s3Event('x').replace('imports/x.csv', 'other/file.csv'));
    const junk = await deliver(lambda, JSON.stringify({ hello: 'world' }));

    expect(test).toEqual({ batchItemFailures: [] });
    expect(other).toEqual({ batchItemFailures: [] });
    expect(junk.batchItemFailures).toHaveLength(1);
    expect(s3.commandCalls(GetObjectCommand)).toEqual([]);
  });

  it('gives the API a presigned, write-once PUT of imports/<id>.csv for 15 minutes, its headers signed', async () => {
    const upload = await aws.importUploads!.uploadFor('imp_0abc');
    const url = new URL(upload.url);

    // If-None-Match: a second PUT within the 15 minutes is refused, so the file never changes under an import.
    expect(upload).toMatchObject({
      method: 'PUT',
      headers: { 'content-type': 'text/csv', 'if-none-match': '*' },
      expiresAt: expect.any(String),
    });
    expect(`${url.host}${url.pathname}`).toBe(`${BUCKET}.s3.${REGION}.amazonaws.com/imports/imp_0abc.csv`);
    expect(url.searchParams.get('X-Amz-Expires')).toBe('900');
    expect(url.searchParams.get('X-Amz-SignedHeaders')?.split(';')).toEqual(expect.arrayContaining(['host', 'if-none-match']));
    expect(s3.calls()).toEqual([]);
  });
});
