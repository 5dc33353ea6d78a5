/**
 * Test data for the Lambda handler tests: an AwsWorld (aws-driver.ts: real handlers, DynamoDB Local, SQS,
 * Scheduler and SNS mocked) on a table of the test file's own, and campaigns made through the core's use
 * cases (faster than through the API, which the end-to-end test covers).
 */
import { randomBytes } from 'node:crypto';
import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createTable } from '../../lambdas/adapters/dynamodb/table.js';
import type { Caller } from '../../lambdas/core/auth/caller.js';
import { approveCampaign, createCampaign, submitCampaign } from '../../lambdas/core/campaigns/campaign-use-cases.js';
import type { Campaign, Priority } from '../../lambdas/core/model.js';
import { createSegment } from '../../lambdas/core/segments/segment-use-cases.js';
import { carrierFromPrefix } from '../../lambdas/core/subscribers/carriers.js';
import { approveTemplate, createTemplate, submitTemplate } from '../../lambdas/core/templates/template-use-cases.js';
import { AwsWorld, LOCAL_CLIENT_CONFIG, type AwsWorldOptions } from '../aws/aws-driver.js';
import { uniqueId, uniquePhones } from '../factories.js';

export const author: Caller = { id: 'lan', roles: ['author'] };
export const approver: Caller = { id: 'minh', roles: ['approver'] };

/** A table of its own on DynamoDB Local, and a function that deletes it. */
export async function aTable(endpoint: string): Promise<{ tableName: string; drop(): Promise<void> }> {
  const admin = new DynamoDBClient({ ...LOCAL_CLIENT_CONFIG, endpoint });
  const tableName = `loa-handlers-${randomBytes(4).toString('hex')}`;
  await createTable(admin, tableName);
  return {
    tableName,
    drop: async () => {
      await admin.send(new DeleteTableCommand({ TableName: tableName }));
      admin.destroy();
    },
  };
}

export function aWorld(endpoint: string, tableName: string, options: Partial<AwsWorldOptions> = {}): AwsWorld {
  return new AwsWorld({ endpoint, tableName, ...options });
}

/**
 * A campaign to `count` new subscribers in an area of its own, created by the author; approved by the
 * approver unless `approve` is false (approving one without a schedule queues its launch message).
 */
export async function aCampaign(
  world: AwsWorld,
  options: { count?: number; phones?: string[]; schedule?: string; priority?: Priority; approve?: boolean } = {},
): Promise<{ campaign: Campaign; phones: string[] }> {
  const deps = world.deps;
  const phones = options.phones ?? uniquePhones(options.count ?? 3);
  const area = uniqueId('AREA').toUpperCase();
  const now = deps.clock.now().toISOString();
  await deps.store.putAreas([{ code: area, name: 'Khu pho thu', path: area }]);
  await deps.store.upsertSubscribers(
    phones.map((phone) => {
      const carrier = carrierFromPrefix(phone);
      return { phone, areaCode: area, areaPath: area, tags: [], ...(carrier && { carrier }), carrierSource: 'prefix' as const, updatedAt: now };
    }),
  );
  const template = await createTemplate(deps, author, { name: 'Thong bao', body: 'Thong bao {{n}} tu UBND tinh.', placeholders: [{ name: 'n', maxLength: 10 }] });
  await submitTemplate(deps, author, template.id);
  await approveTemplate(deps, approver, template.id);
  const segment = await createSegment(deps, author, { name: 'Khu pho', filter: { areas: [area], tags: [], carriers: [] } });
  const created = await createCampaign(deps, author, {
    name: 'Thong bao',
    templateId: template.id,
    templateVersion: 1,
    segmentId: segment.id,
    variables: { n: '7' },
    priority: options.priority ?? 'normal',
    test: false,
    stripDiacritics: false,
    ...(options.schedule && { schedule: { expression: options.schedule } }),
  });
  await submitCampaign(deps, author, created.id);
  const campaign = options.approve === false ? created : await approveCampaign(deps, approver, created.id);
  return { campaign: (await deps.store.getCampaign(campaign.id))!, phones };
}

/** Forgets what the driver and the mocks saw so far (the mocks keep their behaviour). */
export function forgetTraffic(world: AwsWorld): void {
  world.sqsMock.resetHistory();
  world.schedulerMock.resetHistory();
  world.snsMock.resetHistory();
  world.queues.fanOut.length = 0;
  world.queues.send.length = 0;
  world.publishes.length = 0;
}

/** The bodies of the SendMessage(Batch) calls to `queueUrl`, parsed, in order. */
export function sentBodies(world: AwsWorld, queueUrl: string): unknown[] {
  const bodies: unknown[] = [];
  for (const call of world.sqsMock.calls()) {
    const input = call.args[0].input as { QueueUrl?: string; MessageBody?: string; Entries?: { MessageBody?: string }[] };
    if (input.QueueUrl !== queueUrl) continue;
    if (input.MessageBody !== undefined) bodies.push(JSON.parse(input.MessageBody));
    for (const entry of input.Entries ?? []) bodies.push(JSON.parse(entry.MessageBody ?? 'null'));
  }
  return bodies;
}
