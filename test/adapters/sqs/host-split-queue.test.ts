import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { batchEntryId, SqsQueue } from '../../../lambdas/adapters/sqs/sqs-queue.js';
import { HostSplitQueue } from '../../../lambdas/adapters/sqs/host-split-queue.js';
import type { SendJob } from '../../../lambdas/core/ports.js';
import { recipientHost } from '../../../lambdas/handlers/host-gateways.js';
import { parseGatewaysFile } from '../../../lambdas/settings/gateways-file.js';

const LAMBDA_QUEUE = 'https://sqs.ap-southeast-1.amazonaws.com/123456789012/loa-prod-send';
const SMPP_QUEUE = 'https://sqs.ap-southeast-1.amazonaws.com/123456789012/loa-prod-smpp-send';
const file = parseGatewaysFile(
  {
    gateways: [
      { id: 'viettel-smpp', type: 'smpp', host: '10.0.0.5', port: 2775, systemId: 'loa', password: 'pw', sourceAddr: 'LOA' },
      { id: 'sns', type: 'sns', senderId: 'SOYTE' },
    ],
    routes: [
      { carriers: ['viettel'], gateways: ['viettel-smpp', 'sns'] },
      { carriers: ['*'], gateways: ['sns', 'viettel-smpp'] },
    ],
  },
  { runtime: 'aws' },
);

describe('HostSplitQueue on SQS', () => {
  it('splits each job by the host of its recipients’ first gateway (or pinned one), one SendMessageBatch a queue', async () => {
    const sqs = new SQSClient({ region: 'ap-southeast-1' });
    const mock = mockClient(sqs);
    mock.on(SendMessageBatchCommand).callsFake((input: { Entries: { Id: string }[] }) => ({
      Successful: input.Entries.map((entry) => ({ Id: entry.Id, MessageId: entry.Id, MD5OfMessageBody: '' })),
    }));
    const queue = new HostSplitQueue(
      { lambda: new SqsQueue(sqs, LAMBDA_QUEUE), smpp: new SqsQueue(sqs, SMPP_QUEUE) },
      recipientHost(file),
      'lambda',
    );
    const job: SendJob = {
      id: 'cmp_1:run_1:start',
      campaignId: 'cmp_1',
      runId: 'run_1',
      attempt: 0,
      recipients: [
        { phone: '+84961000001', carrier: 'viettel' },
        { phone: '+84911000002', carrier: 'vinaphone' },
        { phone: '+84961000003', carrier: 'viettel', gatewayId: 'sns' },
        { phone: '+84900000004' },
      ],
    };

    await queue.enqueue([job]);

    const lambdaJob = { ...job, id: 'cmp_1:run_1:start:lambda', recipients: [job.recipients[1], job.recipients[2], job.recipients[3]] };
    const smppJob = { ...job, id: 'cmp_1:run_1:start:smpp', recipients: [job.recipients[0]] };
    const requests = mock.commandCalls(SendMessageBatchCommand).map((call) => call.args[0].input);
    expect(requests.sort((a, b) => a.QueueUrl!.localeCompare(b.QueueUrl!))).toEqual([
      { QueueUrl: LAMBDA_QUEUE, Entries: [{ Id: batchEntryId(lambdaJob.id), MessageBody: JSON.stringify(lambdaJob) }] },
      { QueueUrl: SMPP_QUEUE, Entries: [{ Id: batchEntryId(smppJob.id), MessageBody: JSON.stringify(smppJob) }] },
    ]);
  });
});
