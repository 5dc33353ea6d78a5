/**
 * Test data for the Lambda handler tests: an AwsWorld (aws-driver.ts: real handlers, DynamoDB Local, SQS,
 * Scheduler and SNS mocked) on a table of the test file's own, and campaigns and loudspeaker tours made
 * through the core's use cases (faster than through the API, which the end-to-end test covers).
 */
import { randomBytes } from 'node:crypto';
import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { CloudWatchMetrics } from '../../lambdas/adapters/cloudwatch/cloudwatch-metrics.js';
import { createTable } from '../../lambdas/adapters/dynamodb/table.js';
import type { Caller } from '../../lambdas/core/auth/caller.js';
import { approveCampaign, createCampaign, submitCampaign } from '../../lambdas/core/campaigns/campaign-use-cases.js';
import type { Campaign, CampaignRun, Priority } from '../../lambdas/core/model.js';
import { launchRun } from '../../lambdas/core/dispatch/dispatcher.js';
import { createSegment } from '../../lambdas/core/segments/segment-use-cases.js';
import { carrierFromPrefix } from '../../lambdas/core/subscribers/carriers.js';
import { approveTemplate, createTemplate, submitTemplate } from '../../lambdas/core/templates/template-use-cases.js';
import type { Tour, Van } from '../../lambdas/core/tours/tour-model.js';
import { approveTour, createTour, submitTour } from '../../lambdas/core/tours/tour-use-cases.js';
import { createVan } from '../../lambdas/core/tours/van-use-cases.js';
import { AwsWorld, type AwsWorldOptions } from '../aws/aws-driver.js';
import { LOCAL_CLIENT_CONFIG } from '../aws/aws-test-env.js';
import { uniqueId, uniquePhone, uniquePhones } from '../factories.js';

export const author: Caller = { id: 'lan', roles: ['author'] };
export const approver: Caller = { id: 'minh', roles: ['approver'] };
export const operator: Caller = { id: 'hoa', roles: ['operator'] };

/** What the handlers' metrics emitted: one entry a flush. */
export interface EmittedMetrics {
  dimensions: Record<string, string>;
  counts: Record<string, number>;
}

/**
 * The world of a handler test file: an AwsWorld on a table of its own on the DynamoDB Local at `endpoint`
 * (the file's `inject('dynamoDbEndpoint')`, which also tells the test run to start it), made before the
 * file's tests and dropped after them; before each test, the traffic it saw and the metrics it emitted are
 * forgotten.
 */
export function handlerWorld(
  endpoint: string,
  options: Partial<AwsWorldOptions> = {},
): { world: AwsWorld; emitted: EmittedMetrics[]; tableName: string } {
  const emitted: EmittedMetrics[] = [];
  const table = aTable(endpoint);
  const world = new AwsWorld({
    endpoint,
    tableName: table.tableName,
    metrics: new CloudWatchMetrics((dimensions, counts) => emitted.push({ dimensions, counts })),
    ...options,
  });
  beforeAll(() => table.create());
  afterAll(() => table.drop());
  beforeEach(() => {
    forgetTraffic(world);
    emitted.length = 0;
  });
  return { world, emitted, tableName: table.tableName };
}

/** A table of its own on DynamoDB Local, named now, made by `create()` and deleted by `drop()`. */
export function aTable(endpoint: string): { tableName: string; create(): Promise<void>; drop(): Promise<void> } {
  const admin = new DynamoDBClient({ ...LOCAL_CLIENT_CONFIG, endpoint });
  const tableName = `loa-handlers-${randomBytes(4).toString('hex')}`;
  return {
    tableName,
    create: () => createTable(admin, tableName),
    drop: async () => {
      await admin.send(new DeleteTableCommand({ TableName: tableName }));
      admin.destroy();
    },
  };
}

/**
 * A campaign to `count` new subscribers in an area of its own, created by the author; approved by the
 * approver unless `approve` is false (approving one without a schedule queues its launch message).
 */
export async function aCampaign(
  world: Pick<AwsWorld, 'deps'>,
  options: { count?: number; phones?: string[]; schedule?: string; priority?: Priority; approve?: boolean } = {},
): Promise<{ campaign: Campaign; phones: string[] }> {
  const deps = world.deps;
  const phones = options.phones ?? uniquePhones(options.count ?? 3);
  const area = uniqueId('AREA').toUpperCase();
  const now = deps.clock.now().toISOString();
  await deps.audience.putAreas([{ code: area, name: 'Khu pho thu', path: area }]);
  await deps.audience.upsertSubscribers(
    phones.map((phone) => {
      const carrier = carrierFromPrefix(phone);
      return {
        phone,
        areaCode: area,
        areaPath: area,
        tags: [],
        ...(carrier && { carrier }),
        carrierSource: 'prefix' as const,
        updatedAt: now,
      };
    }),
  );
  const template = await createTemplate(deps, author, {
    name: 'Thong bao',
    body: 'Thong bao {{n}} tu UBND tinh.',
    placeholders: [{ name: 'n', maxLength: 10 }],
  });
  await submitTemplate(deps, author, template.id);
  await approveTemplate(deps, approver, template.id, 1);
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
  const submitted = await submitCampaign(deps, author, created.id);
  const campaign = options.approve === false ? created : await approveCampaign(deps, approver, created.id, submitted.revision);
  return { campaign: (await deps.campaigns.getCampaign(campaign.id))!, phones };
}

/**
 * A launched run of a new campaign to `phones` (see aCampaign), its fan-out done: a queued receipt a phone,
 * queued at `queuedAt` (when the run fired unless told).
 */
export async function aQueuedRun(world: Pick<AwsWorld, 'deps'>, phones: string[], queuedAt?: string): Promise<CampaignRun> {
  const { campaign } = await aCampaign(world, { phones });
  const run = (await launchRun(world.deps, campaign))!;
  await world.deps.receipts.insertReceipts(
    phones.map((phone) => ({
      campaignId: run.campaignId,
      runId: run.runId,
      phone,
      status: 'queued' as const,
      test: false,
      attempts: 0,
      queuedAt: queuedAt ?? run.firedAt,
    })),
  );
  return run;
}

/** Moves the receipts of `phones` in `run` to submitted to SNS: the i-th with messageIds[i], at submittedAt(i). */
export async function submittedToSns(
  world: AwsWorld,
  run: CampaignRun,
  phones: string[],
  messageIds: string[],
  submittedAt: (index: number) => string,
): Promise<void> {
  await world.deps.receipts.recordSendOutcomes(
    phones.map((phone, i) => ({
      campaignId: run.campaignId,
      runId: run.runId,
      phone,
      status: 'submitted' as const,
      gatewayId: 'sns',
      gatewayMessageId: messageIds[i]!,
      attempts: 1,
      at: submittedAt(i),
    })),
  );
}

/**
 * An approved loudspeaker tour (which arms its schedule) of a van of its own, through two areas of its own
 * (20 minutes each, 15 apart: the run lasts 55 minutes), reading a script written by the author and
 * approved by the approver; the tour is planned by the author and approved by the approver.
 */
export async function aTour(world: AwsWorld, options: { schedule: string }): Promise<{ tour: Tour; van: Van }> {
  const deps = world.deps;
  const commune = uniqueId('XA').toUpperCase();
  const stops = [`${commune}-1`, `${commune}-2`];
  await deps.audience.putAreas([
    { code: commune, name: 'Xa Tan Loi', path: commune },
    ...stops.map((code, i) => ({ code, name: `Ap ${i + 1}`, parentCode: commune, path: `${commune}/${code}` })),
  ]);
  const van = await createVan(deps, operator, {
    plate: '60A-123.45',
    kind: 'van',
    crewLead: { name: 'Nguyen Van Hung', phone: uniquePhone() },
    homeCommune: commune,
  });
  const script = await createTemplate(deps, author, {
    name: 'Phong chong sot xuat huyet',
    channel: 'loudspeaker',
    body: 'Kinh thua ba con, hay diet lang quang quanh nha.',
    placeholders: [],
  });
  await submitTemplate(deps, author, script.id);
  await approveTemplate(deps, approver, script.id, 1);
  const created = await createTour(deps, author, {
    name: 'Tuyen truyen Tan Loi',
    vanId: van.id,
    scriptId: script.id,
    scriptVersion: 1,
    schedule: { expression: options.schedule },
    stops: stops.map((areaCode) => ({ areaCode, minutes: 20 })),
    priority: 'normal',
  });
  const submitted = await submitTour(deps, author, created.id);
  return { tour: await approveTour(deps, approver, created.id, submitted.revision), van };
}

/**
 * The next 07:00 in Vietnam (00:00 UTC) at least an hour after `now`, inside the tours' morning slot
 * (06:30-11:00): as an instant, and as the `at()` expression of a tour starting then.
 */
export function nextMorning(now: Date): { at: Date; expression: string } {
  const DAY_MS = 86_400_000;
  const at = new Date(Math.ceil((now.getTime() + 3_600_000) / DAY_MS) * DAY_MS);
  return { at, expression: `at(${at.toISOString().slice(0, 10)}T07:00:00)` };
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
