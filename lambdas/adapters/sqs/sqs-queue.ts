/**
 * The send queue on Amazon SQS (a standard queue, with a dead-letter queue by redrive policy).
 *
 * One SQS message carries one SendJob as JSON: a fan-out slice of up to `sliceSize` recipients (1,000 by
 * default). A recipient costs about 90 bytes of JSON with a 30-character area code
 * (`{"phone":"+84912345678","carrier":"vietnamobile","areaCode":"..."},`), so a 1,000-recipient job is about
 * 90 KB (test/adapters/sqs measures it) and the 256 KiB limit of one message is reached near 2,800 recipients;
 * `enqueue` refuses a bigger job before sending anything rather than let SQS refuse it half-way. SQS now
 * accepts messages up to 1 MiB, but 256 KiB stays the limit here so that a queue created with the old
 * default `MaximumMessageSize` works too. Batches are cut at 10 entries and at 256 KiB in total, the limits
 * of SendMessageBatch.
 *
 * How the Queue port maps onto SQS:
 *
 * - `enqueue`: SendMessageBatch. Entries SQS reports as `Failed` through no fault of ours
 *   (`SenderFault: false`, e.g. throttling or an internal error) are sent again with exponential backoff,
 *   a bounded number of times; entries failed as the sender's fault, or still failing after the last
 *   attempt, end in an SqsQueueError naming their job ids. A failed request as a whole (throttled,
 *   5xx, network) is retried by the SDK's own retry strategy and then rejects: the caller (the fan-out)
 *   must then not save its cursor, and repeats the slice.
 * - `take`: ReceiveMessage, without long polling. On AWS the senders do not call it: the Lambda event
 *   source mapping receives the messages and hands them to the sender handler, which parses each record
 *   and turns it into a LeasedJob with `leasedFromSqsRecord` (send-job-message.ts, the schema both
 *   readers check a body against). The lease is the receipt handle.
 * - `complete`: DeleteMessage.
 * - `reschedule`: SendMessage of the next job with a delay, then DeleteMessage of the leased one. Sent
 *   first so that a crash in between repeats work (harmless: a sender only sends to receipts still
 *   queued) instead of losing it. SQS delays a message by at most 15 minutes (DelaySeconds 900): a
 *   longer delay, such as the night's quiet hours, brings the job back after 15 minutes, and the sender
 *   finds it still too early and reschedules it again, once every 15 minutes until it may send.
 *
 * In the sender Lambda the event source mapping deletes every record the handler does not report in
 * `batchItemFailures`; the dispatcher's own `complete`/`reschedule` delete it first, so the mapping's
 * delete finds it gone, which is harmless (one extra delete request a job). A record whose job throws
 * must be reported as a batch item failure: it comes back after the visibility timeout, and after the
 * redrive policy's receive count it lands in the dead-letter queue.
 *
 * A standard queue delivers at least once and does not de-duplicate: unlike the SQLite queue, a job
 * enqueued twice (the fan-out repeating a slice after a crash) is queued twice. That is safe because the
 * dispatcher only submits messages whose receipt is still queued; `enqueue` still drops repeats of a job
 * id within one call. FIFO queues, which de-duplicate, cannot delay single messages, so reschedule
 * could not work on one.
 *
 * A stale lease (the receipt handle of a message whose visibility timeout ran out and which another
 * worker has received since) makes DeleteMessage either succeed without deleting or fail with "receipt
 * handle has expired"/ReceiptHandleIsInvalid; both are taken as "the job is someone else's now", as the
 * port asks.
 */
import { createHash } from 'node:crypto';
import {
  DeleteMessageCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  type BatchResultErrorEntry,
  type SendMessageBatchRequestEntry,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { retryDelayMs } from '../../core/dispatch/backoff.js';
import type { Sleep } from '../../core/gateways/rate-limiter.js';
import type { LeasedJob, Queue, SendJob } from '../../core/ports.js';
import { awsErrorMessage, awsErrorName, realSleep } from '../aws-sdk-errors.js';
import { SqsQueueError } from './errors.js';
import { sendJobFromBody } from './send-job-message.js';

/** Largest message body, and largest sum of bodies in one SendMessageBatch, in bytes (256 KiB). */
export const MAX_MESSAGE_BYTES = 262_144;
/** Entries in one SendMessageBatch. */
export const MAX_BATCH_ENTRIES = 10;
/** Messages one ReceiveMessage returns at most. */
export const MAX_RECEIVE = 10;
/** SQS's longest per-message delay: 15 minutes. */
export const MAX_DELAY_SECONDS = 900;
/** SQS's longest visibility timeout: 12 hours. */
export const MAX_VISIBILITY_SECONDS = 43_200;
/** Longest wait before resending failed batch entries. */
const MAX_RETRY_DELAY_MS = 5_000;

export type SqsCommandName = 'SendMessageBatch' | 'SendMessage' | 'ReceiveMessage' | 'DeleteMessage';

export interface SqsQueueOptions {
  /** Attempts at sending an entry SendMessageBatch reports as failed, the first included. Default 5. */
  maxSendAttempts?: number;
  /** Backoff before the first resend; doubled for each further one, with full jitter. Default 100 ms. */
  retryBaseMs?: number;
  sleep?: Sleep;
  /** For the jitter of the backoff; tests pass `() => 1` to get the full delay. */
  random?: () => number;
  /** Called once for every request this adapter sends (not for the SDK's own retries of a request). */
  onRequest?: (command: SqsCommandName) => void;
}

interface Entry {
  job: SendJob;
  id: string;
  body: string;
  bytes: number;
}

export class SqsQueue implements Queue {
  private readonly maxSendAttempts: number;
  private readonly retryBaseMs: number;
  private readonly sleep: Sleep;
  private readonly random: () => number;
  private readonly onRequest: ((command: SqsCommandName) => void) | undefined;

  constructor(
    /** Exposed so that a benchmark or a test can count or stub what is sent. */
    readonly client: SQSClient,
    /** The send queue's URL (https://sqs.<region>.amazonaws.com/<account>/<name>). */
    readonly queueUrl: string,
    options: SqsQueueOptions = {},
  ) {
    this.maxSendAttempts = Math.max(1, options.maxSendAttempts ?? 5);
    this.retryBaseMs = options.retryBaseMs ?? 100;
    this.sleep = options.sleep ?? realSleep;
    this.random = options.random ?? Math.random;
    this.onRequest = options.onRequest;
  }

  async enqueue(jobs: SendJob[]): Promise<void> {
    const entries = uniqueById(jobs).map(toEntry);
    const tooBig = entries.filter((entry) => entry.bytes > MAX_MESSAGE_BYTES);
    if (tooBig.length > 0) {
      throw new SqsQueueError(
        `Send job too large for one SQS message (${MAX_MESSAGE_BYTES} bytes at most): ` +
          tooBig.map((entry) => `${entry.job.id} is ${entry.bytes} bytes, ${entry.job.recipients.length} recipients`).join('; ') +
          '; lower sliceSize',
        tooBig.map((entry) => entry.job.id),
      );
    }
    const failures: { entry: Entry; reason: string }[] = [];
    for (const batch of batches(entries)) failures.push(...(await this.sendBatch(batch)));
    if (failures.length > 0) {
      throw new SqsQueueError(
        `SQS did not queue ${failures.length} of ${entries.length} send jobs: ` +
          failures.map(({ entry, reason }) => `${entry.job.id} (${reason})`).join('; '),
        failures.map(({ entry }) => entry.job.id),
      );
    }
  }

  async take(max: number, leaseMs: number): Promise<LeasedJob[]> {
    const count = Math.min(MAX_RECEIVE, Math.floor(max));
    if (!(count >= 1)) return [];
    this.onRequest?.('ReceiveMessage');
    const output = await this.client.send(
      new ReceiveMessageCommand({
        QueueUrl: this.queueUrl,
        MaxNumberOfMessages: count,
        VisibilityTimeout: visibilitySeconds(leaseMs),
        WaitTimeSeconds: 0,
      }),
    );
    return (output.Messages ?? []).map((message) => {
      if (message.Body === undefined || message.ReceiptHandle === undefined) {
        throw new SqsQueueError(`SQS message ${message.MessageId ?? '(no id)'} has no body or receipt handle`);
      }
      return { job: sendJobFromBody(message.Body, message.MessageId), lease: message.ReceiptHandle };
    });
  }

  /** Deletes the message; a stale lease (another worker has the job now) is ignored. */
  async complete(leased: LeasedJob): Promise<void> {
    try {
      this.onRequest?.('DeleteMessage');
      await this.client.send(new DeleteMessageCommand({ QueueUrl: this.queueUrl, ReceiptHandle: leased.lease }));
    } catch (error) {
      if (!isStaleReceiptHandle(error)) throw error;
    }
  }

  /**
   * Queues `next` with a delay of at most 15 minutes, then deletes the leased message. A delay over
   * 15 minutes comes back early and is rescheduled again by the sender (see the module's comment).
   */
  async reschedule(leased: LeasedJob, next: SendJob, delayMs: number): Promise<void> {
    const entry = toEntry(next);
    if (entry.bytes > MAX_MESSAGE_BYTES) {
      throw new SqsQueueError(`Send job ${next.id} is ${entry.bytes} bytes, over the ${MAX_MESSAGE_BYTES} of an SQS message`, [next.id]);
    }
    this.onRequest?.('SendMessage');
    await this.client.send(
      new SendMessageCommand({ QueueUrl: this.queueUrl, MessageBody: entry.body, DelaySeconds: delaySeconds(delayMs) }),
    );
    await this.complete(leased);
  }

  /** One batch: resends what SQS failed through no fault of ours; returns what never got in. */
  private async sendBatch(batch: Entry[]): Promise<{ entry: Entry; reason: string }[]> {
    const refused: { entry: Entry; reason: string }[] = [];
    let pending = batch;
    for (let attempt = 1; ; attempt++) {
      this.onRequest?.('SendMessageBatch');
      const output = await this.client.send(new SendMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: pending.map(requestEntry) }));
      const succeeded = new Set((output.Successful ?? []).map((result) => result.Id));
      const failed = new Map((output.Failed ?? []).map((result) => [result.Id, result] as const));
      const retry: { entry: Entry; reason: string }[] = [];
      for (const entry of pending) {
        if (succeeded.has(entry.id)) continue;
        const failure = failed.get(entry.id);
        const reason = failure ? describeFailure(failure) : 'in neither Successful nor Failed of the response';
        (failure?.SenderFault ? refused : retry).push({ entry, reason });
      }
      if (retry.length === 0) return refused;
      if (attempt >= this.maxSendAttempts) {
        return [...refused, ...retry.map(({ entry, reason }) => ({ entry, reason: `${reason}; gave up after ${attempt} attempts` }))];
      }
      await this.sleep(retryDelayMs(attempt, this.retryBaseMs, { capMs: MAX_RETRY_DELAY_MS, random: this.random }));
      pending = retry.map(({ entry }) => entry);
    }
  }
}

/** DelaySeconds for a delay in milliseconds: rounded up, at most 900. */
export function delaySeconds(delayMs: number): number {
  return Math.min(MAX_DELAY_SECONDS, Math.max(0, Math.ceil(delayMs / 1000)));
}

/** VisibilityTimeout for a lease in milliseconds: rounded up, at most 12 hours. */
export function visibilitySeconds(leaseMs: number): number {
  return Math.min(MAX_VISIBILITY_SECONDS, Math.max(0, Math.ceil(leaseMs / 1000)));
}

/**
 * A batch entry id from a job id: job ids hold colons and cursors, which entry ids may not (at most
 * 80 characters of letters, digits, - and _), so the entry id is a hash of the job id.
 */
export function batchEntryId(jobId: string): string {
  return createHash('sha256').update(jobId).digest('hex').slice(0, 40);
}

function toEntry(job: SendJob): Entry {
  const body = JSON.stringify(job);
  return { job, id: batchEntryId(job.id), body, bytes: Buffer.byteLength(body, 'utf8') };
}

function requestEntry(entry: Entry): SendMessageBatchRequestEntry {
  return { Id: entry.id, MessageBody: entry.body };
}

function uniqueById(jobs: SendJob[]): SendJob[] {
  const seen = new Set<string>();
  return jobs.filter((job) => !seen.has(job.id) && seen.add(job.id));
}

/** Consecutive groups of at most 10 entries and 256 KiB. */
function batches(entries: Entry[]): Entry[][] {
  const result: Entry[][] = [];
  let current: Entry[] = [];
  let bytes = 0;
  for (const entry of entries) {
    if (current.length === MAX_BATCH_ENTRIES || bytes + entry.bytes > MAX_MESSAGE_BYTES) {
      result.push(current);
      current = [];
      bytes = 0;
    }
    current.push(entry);
    bytes += entry.bytes;
  }
  if (current.length > 0) result.push(current);
  return result;
}

function describeFailure(failure: BatchResultErrorEntry): string {
  return `${failure.Code ?? 'unknown error'}${failure.Message ? `: ${failure.Message}` : ''}`;
}

function isStaleReceiptHandle(error: unknown): boolean {
  const name = awsErrorName(error);
  if (name === 'ReceiptHandleIsInvalid') return true;
  return name === 'InvalidParameterValue' && /receipt ?handle/i.test(awsErrorMessage(error));
}
