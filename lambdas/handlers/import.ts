/**
 * The import Lambda, reading the import queue. Two kinds of message come in:
 *
 *   an S3 event   a file was PUT at imports/<id>.csv of the import bucket (with the presigned URL
 *                 POST /v1/imports gave): its import starts
 *   continue      an import a slice stopped in: it goes on from where it stands
 *
 * Each calls the core's importSlice, which reads the file with a Range GET from the byte the import stands
 * at and saves its progress after each batch, until the invocation's time left falls under a margin; then
 * the rest is handed on as a `continue` message. The message is done only once that is sent, so a slice
 * that dies (out of time, out of memory) is delivered again and goes on from the last saved batch; a
 * duplicate (S3 delivers events at least once) finds the import moved on and writes nothing.
 */
import { JSONStringified } from '@aws-lambda-powertools/parser/helpers';
import { SqsRecordSchema } from '@aws-lambda-powertools/parser/schemas/sqs';
import { S3Client } from '@aws-sdk/client-s3';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { z } from 'zod';
import { importIdOfKey, S3ImportFiles } from '../adapters/s3/s3-imports.js';
import type { ImportFiles } from '../core/imports/import-files.js';
import { importSlice, type ImportSliceDeps } from '../core/imports/import-slice.js';
import { type AwsDeps, awsDeps, AwsSettingsError } from './aws-deps.js';
import { logger, tracer, withPowertools } from './powertools.js';
import { processRecordsInOrder } from './sqs-batch.js';

const S3Event = z.object({
  Records: z.array(
    z.object({
      eventName: z.string(),
      s3: z.object({ bucket: z.object({ name: z.string() }), object: z.object({ key: z.string(), size: z.number().optional() }) }),
    }),
  ),
});
/** What S3 sends once when the notification is set up. */
const S3TestEvent = z.object({ Event: z.literal('s3:TestEvent') });
const Continue = z.object({ type: z.literal('continue'), importId: z.string().min(1) });

export const ImportRecord = SqsRecordSchema.extend({ body: JSONStringified(z.union([Continue, S3TestEvent, S3Event])) });
export type ImportRecord = z.infer<typeof ImportRecord>;

export interface ImportOptions {
  /** Time kept free at the end of an invocation: a batch and the hand-on fit in it. */
  safetyMarginMs: number;
  /** Rows one invocation imports at most before handing on. */
  maxRows: number;
}

export const IMPORT_DEFAULTS: ImportOptions = { safetyMarginMs: 60_000, maxRows: 2_000_000 };

export interface ImportLambdaDeps {
  slices: Omit<ImportSliceDeps, 'files'>;
  files: ImportFiles;
  /** Hands the rest of an import on to the next invocation. */
  continueImport(importId: string): Promise<void>;
}

export function makeImportLambda(deps: () => ImportLambdaDeps, options: Partial<ImportOptions> = {}) {
  const settings = { ...IMPORT_DEFAULTS, ...options };
  return withPowertools(
    middy<SQSEvent, SQSBatchResponse, Error, Context>(async (event: SQSEvent, context: Context) => {
      const d = deps();
      return processRecordsInOrder(event, context, {
        recordSchema: ImportRecord,
        carries: 'Import message',
        handle: async (record) => {
          for (const importId of importIdsOf(record.body)) await importFor(d, importId, context, settings);
        },
      });
    }),
  );
}

function importIdsOf(message: ImportRecord['body']): string[] {
  if ('type' in message) return [message.importId];
  if ('Event' in message) return [];
  return message.Records.flatMap((record) => {
    // S3 escapes keys in events as in a form (a space is "+"); import ids have neither.
    const importId = importIdOfKey(decodeURIComponent(record.s3.object.key.replace(/\+/g, ' ')));
    if (importId === undefined) logger.warn('An object that is no import file', { key: record.s3.object.key });
    return importId === undefined ? [] : [importId];
  });
}

async function importFor(deps: ImportLambdaDeps, importId: string, context: Context, options: ImportOptions): Promise<void> {
  logger.appendKeys({ importId });
  try {
    const outcome = await importSlice({ ...deps.slices, files: deps.files }, importId, {
      maxRows: options.maxRows,
      shouldStop: () => context.getRemainingTimeInMillis() < options.safetyMarginMs,
    });
    if (outcome.more) await deps.continueImport(importId);
    logger.info(outcome.more ? 'Import handed on' : 'Import slice ended', { ...outcome });
  } finally {
    logger.removeKeys(['importId']);
  }
}

const Environment = z.object({
  IMPORT_BUCKET: z.string().min(3),
  IMPORT_QUEUE_URL: z.url({ protocol: /^https?$/ }),
});

/** The import Lambda's deps over the AWS deps (the stores), an S3 client on the bucket and an SQS client on the queue. */
export function importLambdaDepsOf(aws: AwsDeps, s3: S3Client, sqs: SQSClient, env: z.infer<typeof Environment>): ImportLambdaDeps {
  // Only what a slice uses: the AWS deps' other parts (queues, gateways) are built when read, from settings this Lambda has not.
  const { audience, audit, clock, config, pseudonymizer, imports } = aws;
  return {
    slices: { audience, audit, clock, config, pseudonymizer, imports },
    files: new S3ImportFiles(s3, env.IMPORT_BUCKET),
    continueImport: async (importId) => {
      await sqs.send(
        new SendMessageCommand({ QueueUrl: env.IMPORT_QUEUE_URL, MessageBody: JSON.stringify({ type: 'continue', importId }) }),
      );
    },
  };
}

let containerDeps: ImportLambdaDeps | undefined;

/** The deps of this Lambda container, from process.env. */
function importLambdaDeps(): ImportLambdaDeps {
  if (containerDeps) return containerDeps;
  const env = Environment.safeParse(process.env);
  if (!env.success) throw new AwsSettingsError(`Invalid environment: ${env.error.issues.map((issue) => issue.path.join('.')).join(', ')}`);
  containerDeps = importLambdaDepsOf(
    awsDeps(),
    tracer.captureAWSv3Client(new S3Client({})),
    tracer.captureAWSv3Client(new SQSClient({})),
    env.data,
  );
  return containerDeps;
}

export const handler = makeImportLambda(importLambdaDeps);
