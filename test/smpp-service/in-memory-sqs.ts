/**
 * The SMPP send queue for the SMPP service's tests: an SQSClient mocked by aws-sdk-client-mock, behind
 * which a small standard queue keeps its messages in memory with SQS's rules as the service relies on
 * them: a received message is invisible for its VisibilityTimeout and gets a new receipt handle each
 * receive; DeleteMessage and ChangeMessageVisibility with a handle that is no longer the current one do
 * nothing (SQS's "the job is someone else's now"); DelaySeconds delays a message. ReceiveMessage waits, a
 * few milliseconds at most, for a message when there is none (the long poll, shortened).
 */
import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import type { SendJob } from '../../lambdas/core/ports.js';

export const SMPP_QUEUE_URL = 'https://sqs.ap-southeast-1.amazonaws.com/123456789012/loa-dev-smpp-send';
const LONG_POLL_MS = 20;

interface Message {
  messageId: string;
  body: string;
  visibleAt: number;
  receiveCount: number;
  handle?: string;
}

export class InMemorySqs {
  readonly client = new SQSClient({ region: 'ap-southeast-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  readonly mock = mockClient(this.client);
  readonly messages: Message[] = [];
  /** Resolved before a ReceiveMessage answers, when set: lets a test hold a poll open. */
  beforeReceive: (() => Promise<void>) | undefined;
  private sequence = 0;

  constructor() {
    this.mock.on(ReceiveMessageCommand).callsFake(async (input) => {
      await this.beforeReceive?.();
      const deadline = Date.now() + Math.min(LONG_POLL_MS, (input.WaitTimeSeconds ?? 0) * 1000);
      for (;;) {
        const now = Date.now();
        const visible = this.messages.filter((message) => message.visibleAt <= now).slice(0, input.MaxNumberOfMessages ?? 1);
        if (visible.length > 0 || now >= deadline) {
          return {
            Messages: visible.map((message) => {
              message.visibleAt = now + (input.VisibilityTimeout ?? 30) * 1000;
              message.receiveCount++;
              message.handle = `rh-${message.messageId}-${message.receiveCount}`;
              return { MessageId: message.messageId, ReceiptHandle: message.handle, Body: message.body };
            }),
          };
        }
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
    });
    this.mock.on(SendMessageCommand).callsFake(async (input) => {
      const messageId = this.add(input.MessageBody!, input.DelaySeconds ?? 0);
      return { MessageId: messageId };
    });
    this.mock.on(SendMessageBatchCommand).callsFake(async (input) => ({
      Successful: (input.Entries ?? []).map((entry: { Id: string; MessageBody: string }) => ({
        Id: entry.Id,
        MessageId: this.add(entry.MessageBody, 0),
      })),
      Failed: [],
    }));
    this.mock.on(DeleteMessageCommand).callsFake(async (input) => {
      const index = this.messages.findIndex((message) => message.handle === input.ReceiptHandle);
      if (index >= 0) this.messages.splice(index, 1);
      return {};
    });
    this.mock.on(ChangeMessageVisibilityCommand).callsFake(async (input) => {
      const message = this.messages.find((candidate) => candidate.handle === input.ReceiptHandle);
      if (message) message.visibleAt = Date.now() + input.VisibilityTimeout * 1000;
      return {};
    });
  }

  enqueue(job: SendJob): void {
    this.add(JSON.stringify(job), 0);
  }

  /** The jobs on the queue, visible or not. */
  jobs(): SendJob[] {
    return this.messages.map((message) => JSON.parse(message.body) as SendJob);
  }

  visibleCount(): number {
    const now = Date.now();
    return this.messages.filter((message) => message.visibleAt <= now).length;
  }

  private add(body: string, delaySeconds: number): string {
    const messageId = `m-${++this.sequence}`;
    this.messages.push({ messageId, body, visibleAt: Date.now() + delaySeconds * 1000, receiveCount: 0 });
    return messageId;
  }
}
