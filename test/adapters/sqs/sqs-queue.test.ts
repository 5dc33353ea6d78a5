import {
  DeleteMessageCommand,
  ReceiveMessageCommand,
  ReceiptHandleIsInvalid,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
  type SendMessageBatchCommandInput,
} from '@aws-sdk/client-sqs';
import type { SQSRecord } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { SqsQueueError } from '../../../lambdas/adapters/sqs/errors.js';
import {
  batchEntryId,
  delaySeconds,
  MAX_MESSAGE_BYTES,
  SqsQueue,
  type SqsCommandName,
  type SqsQueueOptions,
} from '../../../lambdas/adapters/sqs/sqs-queue.js';
import { leasedFromSqsRecord, SendJobRecord, sendJobFromBody } from '../../../lambdas/adapters/sqs/send-job-message.js';
import type { SendJob } from '../../../lambdas/core/ports.js';
import { uniqueId, uniquePhones } from '../../factories.js';
import { anAwsError } from '../aws-errors.js';

const QUEUE_URL = 'https://sqs.ap-southeast-1.amazonaws.com/123456789012/loa-dev-send';
const sqs = mockClient(SQSClient);
afterAll(() => sqs.restore());

/**
 * A fan-out slice as the dispatcher makes it (id = campaign:run:cursor), every recipient with the
 * longest carrier name: the largest a job of that many recipients gets.
 */
function aSliceJob(recipients = 3, overrides: Partial<SendJob> = {}): SendJob {
  const campaignId = uniqueId('cmp');
  const runId = 'run_20260302T010000000Z';
  return {
    id: `${campaignId}:${runId}:${uniqueId('cursor')}`,
    campaignId,
    runId,
    // A 30-character area code, as long as the demo province's longest.
    recipients: uniquePhones(recipients).map((phone) => ({
      phone,
      carrier: 'vietnamobile' as const,
      areaCode: 'DNI-DXOAI-KHU-PHO-TAN-BINH-001',
    })),
    attempt: 0,
    ...overrides,
  };
}

function entryOf(job: SendJob) {
  return { Id: batchEntryId(job.id), MessageBody: JSON.stringify(job) };
}

/** Answers every SendMessageBatch as fully successful. */
function acceptAllBatches() {
  sqs.on(SendMessageBatchCommand).callsFake((input: SendMessageBatchCommandInput) => ({
    Successful: (input.Entries ?? []).map((entry) => ({ Id: entry.Id, MessageId: `m-${entry.Id}`, MD5OfMessageBody: 'x' })),
    Failed: [],
  }));
}

function batchInputs(): SendMessageBatchCommandInput[] {
  return sqs.commandCalls(SendMessageBatchCommand).map((call) => call.args[0].input);
}

function newQueue(options: SqsQueueOptions = {}) {
  const sleeps: number[] = [];
  const requests: SqsCommandName[] = [];
  const queue = new SqsQueue(new SQSClient({ region: 'ap-southeast-1' }), QUEUE_URL, {
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 1,
    onRequest: (command) => requests.push(command),
    ...options,
  });
  return { queue, sleeps, requests };
}

function anSqsRecord(body: string, overrides: Partial<SQSRecord> = {}): SQSRecord {
  return {
    messageId: '059f36b4-87a3-44ab-83d2-661975830a7d',
    receiptHandle: 'AQEBwJnKyrHigUMZj6rYigCgxlaS3SLy0a...',
    body,
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: '1545082649183',
      SenderId: 'AIDAIENQZJOLO23YVJ4VO',
      ApproximateFirstReceiveTimestamp: '1545082649185',
    },
    messageAttributes: {},
    md5OfBody: '098f6bcd4621d373cade4e832627b4f6',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:ap-southeast-1:123456789012:loa-dev-send',
    awsRegion: 'ap-southeast-1',
    ...overrides,
  };
}

beforeEach(() => {
  sqs.reset();
});

describe('SqsQueue.enqueue', () => {
  it('sends the jobs in one SendMessageBatch, one job as JSON per message, entry ids hashed from the job ids', async () => {
    acceptAllBatches();
    const jobs = [aSliceJob(), aSliceJob()];
    const { queue } = newQueue();

    await queue.enqueue(jobs);

    expect(batchInputs()).toEqual([{ QueueUrl: QUEUE_URL, Entries: jobs.map(entryOf) }]);
    expect(batchEntryId(jobs[0]!.id)).toMatch(/^[0-9a-f]{40}$/);
  });

  it('sends groups of at most 10 entries, in order', async () => {
    acceptAllBatches();
    const jobs = Array.from({ length: 23 }, () => aSliceJob(1));
    const { queue } = newQueue();

    await queue.enqueue(jobs);

    expect(batchInputs().map((input) => input.Entries)).toEqual([
      jobs.slice(0, 10).map(entryOf),
      jobs.slice(10, 20).map(entryOf),
      jobs.slice(20).map(entryOf),
    ]);
  });

  it('keeps a job of 1,000 recipients near 94 KB, and a batch of them under 256 KiB in total', async () => {
    acceptAllBatches();
    const jobs = Array.from({ length: 7 }, () => aSliceJob(1_000));
    const { queue } = newQueue();

    await queue.enqueue(jobs);

    const size = Buffer.byteLength(JSON.stringify(jobs[0]), 'utf8');
    expect(size).toBeGreaterThan(90_000);
    expect(size).toBeLessThan(98_000);
    const batches = batchInputs().map((input) => input.Entries ?? []);
    expect(batches.map((entries) => entries.length)).toEqual([2, 2, 2, 1]);
    for (const entries of batches) {
      expect(entries.reduce((sum, entry) => sum + Buffer.byteLength(entry.MessageBody ?? '', 'utf8'), 0)).toBeLessThanOrEqual(
        MAX_MESSAGE_BYTES,
      );
    }
    expect(batches.flat()).toEqual(jobs.map(entryOf));
  });

  it('refuses a job over 256 KiB before sending anything, naming it', async () => {
    acceptAllBatches();
    const small = aSliceJob(1);
    const huge = aSliceJob(6_000);
    const { queue } = newQueue();

    const error = await queue.enqueue([small, huge]).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(SqsQueueError);
    expect((error as SqsQueueError).jobIds).toEqual([huge.id]);
    expect((error as Error).message).toContain(huge.id);
    expect((error as Error).message).toContain('6000 recipients');
    expect(sqs.calls()).toHaveLength(0);
  });

  it('queues a job id repeated within one call once, the first one', async () => {
    acceptAllBatches();
    const job = aSliceJob();
    const { queue } = newQueue();

    await queue.enqueue([job, { ...job, attempt: 7 }]);

    expect(batchInputs()).toEqual([{ QueueUrl: QUEUE_URL, Entries: [entryOf(job)] }]);
  });

  it('sends nothing for no jobs', async () => {
    const { queue, requests } = newQueue();
    await queue.enqueue([]);
    expect(sqs.calls()).toHaveLength(0);
    expect(requests).toEqual([]);
  });

  it('sends again, after a backoff, only the entries SQS failed through no fault of the sender', async () => {
    const jobs = [aSliceJob(), aSliceJob(), aSliceJob()];
    const [first, second, third] = jobs.map((job) => batchEntryId(job.id)) as [string, string, string];
    sqs
      .on(SendMessageBatchCommand)
      .resolvesOnce({
        Successful: [{ Id: second, MessageId: 'm2', MD5OfMessageBody: 'x' }],
        Failed: [
          { Id: first, SenderFault: false, Code: 'InternalError', Message: 'try again' },
          { Id: third, SenderFault: false, Code: 'RequestThrottled', Message: 'slow down' },
        ],
      })
      .resolvesOnce({
        Successful: [
          { Id: first, MessageId: 'm1', MD5OfMessageBody: 'x' },
          { Id: third, MessageId: 'm3', MD5OfMessageBody: 'x' },
        ],
        Failed: [],
      });
    const { queue, sleeps } = newQueue({ retryBaseMs: 100 });

    await queue.enqueue(jobs);

    expect(batchInputs()).toEqual([
      { QueueUrl: QUEUE_URL, Entries: jobs.map(entryOf) },
      { QueueUrl: QUEUE_URL, Entries: [entryOf(jobs[0]!), entryOf(jobs[2]!)] },
    ]);
    expect(sleeps).toEqual([100]);
  });

  it('gives up on throttled entries after the last attempt, doubling the backoff, and names their jobs', async () => {
    const [kept, throttled] = [aSliceJob(), aSliceJob()] as [SendJob, SendJob];
    sqs.on(SendMessageBatchCommand).callsFake((input: SendMessageBatchCommandInput) => ({
      Successful: (input.Entries ?? [])
        .filter((entry) => entry.Id === batchEntryId(kept.id))
        .map((entry) => ({ Id: entry.Id, MessageId: 'm', MD5OfMessageBody: 'x' })),
      Failed: (input.Entries ?? [])
        .filter((entry) => entry.Id === batchEntryId(throttled.id))
        .map((entry) => ({ Id: entry.Id, SenderFault: false, Code: 'RequestThrottled', Message: 'Request is throttled.' })),
    }));
    const { queue, sleeps } = newQueue({ maxSendAttempts: 4, retryBaseMs: 100 });

    const error = await queue.enqueue([kept, throttled]).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(SqsQueueError);
    expect((error as SqsQueueError).jobIds).toEqual([throttled.id]);
    expect((error as Error).message).toContain(throttled.id);
    expect((error as Error).message).toContain('RequestThrottled');
    expect((error as Error).message).toContain('after 4 attempts');
    expect(batchInputs().map((input) => input.Entries?.length)).toEqual([2, 1, 1, 1]);
    expect(sleeps).toEqual([100, 200, 400]);
  });

  it('does not send again an entry failed as the sender fault, and still sends the rest of the batch', async () => {
    const jobs = [aSliceJob(), aSliceJob()];
    sqs.on(SendMessageBatchCommand).resolvesOnce({
      Successful: [{ Id: batchEntryId(jobs[1]!.id), MessageId: 'm', MD5OfMessageBody: 'x' }],
      Failed: [{ Id: batchEntryId(jobs[0]!.id), SenderFault: true, Code: 'InvalidMessageContents', Message: 'bad character' }],
    });
    const { queue, sleeps } = newQueue();

    const error = await queue.enqueue(jobs).catch((e: unknown) => e);

    expect((error as SqsQueueError).jobIds).toEqual([jobs[0]!.id]);
    expect((error as Error).message).toContain('InvalidMessageContents: bad character');
    expect(batchInputs()).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it('rejects with the error of a request SQS refused as a whole, so the fan-out keeps its cursor', async () => {
    const throttled = anAwsError('RequestThrottled', 'Request is throttled.', 400);
    sqs.on(SendMessageBatchCommand).rejects(throttled);
    const { queue } = newQueue();

    await expect(queue.enqueue([aSliceJob()])).rejects.toBe(throttled);
  });
});

describe('SqsQueue.take', () => {
  it('receives up to 10 messages without waiting, leased for the lease rounded up to seconds', async () => {
    const jobs = [aSliceJob(), aSliceJob()];
    sqs.on(ReceiveMessageCommand).resolves({
      Messages: jobs.map((job, i) => ({ MessageId: `m${i}`, ReceiptHandle: `handle-${i}`, Body: JSON.stringify(job) })),
    });
    const { queue } = newQueue();

    const taken = await queue.take(25, 30_500);

    expect(sqs.commandCalls(ReceiveMessageCommand).map((call) => call.args[0].input)).toEqual([
      { QueueUrl: QUEUE_URL, MaxNumberOfMessages: 10, VisibilityTimeout: 31, WaitTimeSeconds: 0 },
    ]);
    expect(taken).toEqual([
      { job: jobs[0], lease: 'handle-0' },
      { job: jobs[1], lease: 'handle-1' },
    ]);
  });

  it('asks for as many messages as wanted, and returns none when SQS has none', async () => {
    sqs.on(ReceiveMessageCommand).resolves({});
    const { queue } = newQueue();

    expect(await queue.take(3, 60_000)).toEqual([]);
    expect(sqs.commandCalls(ReceiveMessageCommand)[0]?.args[0].input).toEqual({
      QueueUrl: QUEUE_URL,
      MaxNumberOfMessages: 3,
      VisibilityTimeout: 60,
      WaitTimeSeconds: 0,
    });
  });

  it('sends nothing when asked for no job', async () => {
    const { queue } = newQueue();
    expect(await queue.take(0, 60_000)).toEqual([]);
    expect(sqs.calls()).toHaveLength(0);
  });

  it('throws for a message that is not a send job, naming the message', async () => {
    sqs.on(ReceiveMessageCommand).resolves({ Messages: [{ MessageId: 'm-bad', ReceiptHandle: 'h', Body: '{"id":"x"}' }] });
    const { queue } = newQueue();

    await expect(queue.take(1, 1_000)).rejects.toThrow(/SQS message m-bad is not a send job: campaignId/);
  });
});

describe('SqsQueue.complete', () => {
  it('deletes the message by its receipt handle', async () => {
    sqs.on(DeleteMessageCommand).resolves({});
    const { queue } = newQueue();

    await queue.complete({ job: aSliceJob(), lease: 'handle-1' });

    expect(sqs.commandCalls(DeleteMessageCommand).map((call) => call.args[0].input)).toEqual([
      { QueueUrl: QUEUE_URL, ReceiptHandle: 'handle-1' },
    ]);
  });

  it.each([
    [
      'an expired receipt handle',
      anAwsError('InvalidParameterValue', 'Value h for parameter ReceiptHandle is invalid. Reason: The receipt handle has expired.', 400),
    ],
    [
      'an invalid receipt handle',
      new ReceiptHandleIsInvalid({ message: 'The input receipt handle is invalid.', $metadata: { httpStatusCode: 400 } }),
    ],
  ])('does nothing for a stale lease: %s', async (_, error) => {
    sqs.on(DeleteMessageCommand).rejects(error);
    const { queue } = newQueue();

    await expect(queue.complete({ job: aSliceJob(), lease: 'old-handle' })).resolves.toBeUndefined();
  });

  it('rejects with any other error', async () => {
    const error = anAwsError('QueueDoesNotExist', 'The specified queue does not exist.', 400);
    sqs.on(DeleteMessageCommand).rejects(error);
    const { queue } = newQueue();

    await expect(queue.complete({ job: aSliceJob(), lease: 'h' })).rejects.toBe(error);
  });
});

describe('SqsQueue.reschedule', () => {
  it('sends the next job delayed, then deletes the leased one', async () => {
    sqs.on(SendMessageCommand).resolves({ MessageId: 'm-next' });
    sqs.on(DeleteMessageCommand).resolves({});
    const job = aSliceJob(3, { attempt: 1 });
    const next = { ...job, recipients: job.recipients.slice(1), attempt: 2 };
    const { queue, requests } = newQueue();

    await queue.reschedule({ job, lease: 'handle-7' }, next, 4_001);

    expect(sqs.calls().map((call) => call.args[0].constructor.name)).toEqual(['SendMessageCommand', 'DeleteMessageCommand']);
    expect(sqs.commandCalls(SendMessageCommand)[0]?.args[0].input).toEqual({
      QueueUrl: QUEUE_URL,
      MessageBody: JSON.stringify(next),
      DelaySeconds: 5,
    });
    expect(sqs.commandCalls(DeleteMessageCommand)[0]?.args[0].input).toEqual({ QueueUrl: QUEUE_URL, ReceiptHandle: 'handle-7' });
    expect(requests).toEqual(['SendMessage', 'DeleteMessage']);
  });

  it('keeps the leased job when the next one could not be sent, so nothing is lost', async () => {
    const error = anAwsError('InternalError', 'We encountered an internal error.', 500);
    sqs.on(SendMessageCommand).rejects(error);
    const { queue } = newQueue();

    await expect(queue.reschedule({ job: aSliceJob(), lease: 'h' }, aSliceJob(), 0)).rejects.toBe(error);
    expect(sqs.commandCalls(DeleteMessageCommand)).toHaveLength(0);
  });

  it('delays by at most 15 minutes: quiet hours come back every 15 minutes to be rescheduled again', async () => {
    sqs.on(SendMessageCommand).resolves({ MessageId: 'm' });
    sqs.on(DeleteMessageCommand).resolves({});
    const { queue } = newQueue();
    const job = aSliceJob();

    await queue.reschedule({ job, lease: 'h' }, job, 9 * 60 * 60_000);

    expect(sqs.commandCalls(SendMessageCommand)[0]?.args[0].input.DelaySeconds).toBe(900);
  });

  it.each([
    [0, 0],
    [-5, 0],
    [1, 1],
    [1_000, 1],
    [1_001, 2],
    [899_999, 900],
    [900_000, 900],
    [900_001, 900],
  ])('turns a delay of %i ms into DelaySeconds %i', (ms, seconds) => {
    expect(delaySeconds(ms)).toBe(seconds);
  });
});

describe('leasedFromSqsRecord', () => {
  it('leases the job of an event source record by its receipt handle', () => {
    const job = aSliceJob();
    const record = anSqsRecord(JSON.stringify(job));

    expect(leasedFromSqsRecord(SendJobRecord.parse(record))).toEqual({ job, lease: record.receiptHandle });
  });

  it('hands back a job the queue wrote, completed by deleting that record', async () => {
    acceptAllBatches();
    sqs.on(DeleteMessageCommand).resolves({});
    const job = aSliceJob();
    const { queue } = newQueue();
    await queue.enqueue([job]);
    const body = batchInputs()[0]?.Entries?.[0]?.MessageBody ?? '';

    const leased = leasedFromSqsRecord(SendJobRecord.parse(anSqsRecord(body, { receiptHandle: 'from-lambda' })));
    await queue.complete(leased);

    expect(leased.job).toEqual(job);
    expect(sqs.commandCalls(DeleteMessageCommand)[0]?.args[0].input).toEqual({ QueueUrl: QUEUE_URL, ReceiptHandle: 'from-lambda' });
  });
});

describe('a send job message', () => {
  const aJob = { id: 'j', campaignId: 'c', runId: 'r', attempt: 0, recipients: [{ phone: '+84912345678', carrier: 'viettel' }] };

  it.each([
    ['not JSON', 'hello', /Invalid JSON/],
    ['an array', '[]', /expected object, received array/],
    ['with an empty id', JSON.stringify({ ...aJob, id: '' }), /id: Too small/],
    ['without a run id', JSON.stringify({ ...aJob, runId: undefined }), /runId: Invalid input: expected string/],
    ['without recipients', JSON.stringify({ ...aJob, recipients: undefined }), /recipients: Invalid input: expected array/],
    ['with a negative attempt', JSON.stringify({ ...aJob, attempt: -1 }), /attempt: Too small/],
    ['with a fractional attempt', JSON.stringify({ ...aJob, attempt: 0.5 }), /attempt: Invalid input: expected int/],
    [
      'with a recipient without a phone',
      JSON.stringify({ ...aJob, recipients: [{ carrier: 'viettel' }] }),
      /recipients\.0\.phone: Invalid input/,
    ],
    [
      'with an unknown carrier',
      JSON.stringify({ ...aJob, recipients: [{ phone: '+84912345678', carrier: 'acme' }] }),
      /recipients\.0\.carrier: Invalid option/,
    ],
  ])('is refused for a body %s, naming the SQS message and what is wrong', (_, body, reason) => {
    expect(() => sendJobFromBody(body, 'msg-42')).toThrow(SqsQueueError);
    expect(() => sendJobFromBody(body, 'msg-42')).toThrow(/^SQS message msg-42 is not a send job: /);
    expect(() => sendJobFromBody(body, 'msg-42')).toThrow(reason);
    expect(SendJobRecord.safeParse(anSqsRecord(body)).success).toBe(false);
  });

  it('keeps the fields it does not know, so that a job is handed on as it was written', () => {
    const body = JSON.stringify({ ...aJob, priority: 'high', recipients: [{ phone: '+84912345678', name: 'Hoa' }] });

    expect(sendJobFromBody(body)).toEqual(JSON.parse(body));
  });
});

describe('request counting', () => {
  it('reports every request it sends, for the cost benchmark', async () => {
    acceptAllBatches();
    sqs.on(ReceiveMessageCommand).resolves({});
    sqs.on(DeleteMessageCommand).resolves({});
    const { queue, requests } = newQueue();

    await queue.enqueue(Array.from({ length: 12 }, () => aSliceJob(1)));
    await queue.take(10, 1_000);
    await queue.complete({ job: aSliceJob(), lease: 'h' });

    expect(requests).toEqual(['SendMessageBatch', 'SendMessageBatch', 'ReceiveMessage', 'DeleteMessage']);
    expect(queue.client).toBeInstanceOf(SQSClient);
  });
});
