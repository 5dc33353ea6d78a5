/**
 * The SMPP service's side of the SMPP send queue that the Lambda senders leave to their event source
 * mapping: receiving with long polling, keeping a job's message invisible while the job is sent, and
 * giving a job back at once. Completing and rescheduling a job are the Queue port's, done by SqsQueue
 * (lambdas/adapters/sqs/sqs-queue.ts) on the same queue; a body is read by the same schema
 * (send-job-message.ts), so the fan-out's jobs mean the same to both kinds of sender.
 */
import { ChangeMessageVisibilityCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { MAX_RECEIVE, visibilitySeconds } from '../adapters/sqs/sqs-queue.js';
import { sendJobFromBody } from '../adapters/sqs/send-job-message.js';
import type { LeasedJob } from '../core/ports.js';

/** SQS's longest long poll: an idle service makes three ReceiveMessage requests a minute. */
export const LONGEST_POLL_SECONDS = 20;

/** A message whose body is not a send job: left to come back and, after the redrive count, to the dead-letter queue. */
export interface RefusedMessage {
  messageId: string;
  reason: string;
}

export class SendQueuePoller {
  constructor(
    private readonly client: SQSClient,
    readonly queueUrl: string,
    private readonly waitTimeSeconds = LONGEST_POLL_SECONDS,
  ) {}

  /**
   * Up to `max` jobs, each leased for `leaseMs`; waits up to the poll time for the first to arrive. Messages
   * that are not send jobs are returned apart, still leased.
   */
  async receive(max: number, leaseMs: number): Promise<{ jobs: LeasedJob[]; refused: RefusedMessage[] }> {
    const output = await this.client.send(
      new ReceiveMessageCommand({
        QueueUrl: this.queueUrl,
        MaxNumberOfMessages: Math.max(1, Math.min(MAX_RECEIVE, Math.floor(max))),
        VisibilityTimeout: visibilitySeconds(leaseMs),
        WaitTimeSeconds: this.waitTimeSeconds,
      }),
    );
    const jobs: LeasedJob[] = [];
    const refused: RefusedMessage[] = [];
    for (const message of output.Messages ?? []) {
      const messageId = message.MessageId ?? '(no id)';
      if (message.Body === undefined || message.ReceiptHandle === undefined) {
        refused.push({ messageId, reason: 'no body or receipt handle' });
        continue;
      }
      try {
        jobs.push({ job: sendJobFromBody(message.Body, messageId), lease: message.ReceiptHandle });
      } catch (error) {
        refused.push({ messageId, reason: (error as Error).message });
      }
    }
    return { jobs, refused };
  }

  /** Keeps the job invisible `leaseMs` longer from now: a job outlasting its lease would be sent by another task too. */
  async extend(leased: LeasedJob, leaseMs: number): Promise<void> {
    await this.changeVisibility(leased, visibilitySeconds(leaseMs));
  }

  /** Makes a job not started visible again at once, for another task to take. */
  async release(leased: LeasedJob): Promise<void> {
    await this.changeVisibility(leased, 0);
  }

  private async changeVisibility(leased: LeasedJob, seconds: number): Promise<void> {
    await this.client.send(
      new ChangeMessageVisibilityCommand({ QueueUrl: this.queueUrl, ReceiptHandle: leased.lease, VisibilityTimeout: seconds }),
    );
  }
}
