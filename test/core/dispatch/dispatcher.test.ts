import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SqliteQueue } from '../../../lambdas/adapters/sqlite/sqlite-queue.js';
import type { SqliteStores } from '../../../lambdas/adapters/sqlite/sqlite-stores.js';
import type { Caller } from '../../../lambdas/core/auth/caller.js';
import { cancelCampaign, pauseCampaign, resumeCampaign, type NewCampaign } from '../../../lambdas/core/campaigns/campaign-use-cases.js';
import { DEFAULT_CONFIG, type LoaConfig } from '../../../lambdas/core/config.js';
import { fanOutSlice, launchRun, sendJob, type DispatchDeps } from '../../../lambdas/core/dispatch/dispatcher.js';
import { DEFAULT_HEALTH_POLICY } from '../../../lambdas/core/gateways/gateway-health.js';
import { GatewayRouter } from '../../../lambdas/core/gateways/gateway-router.js';
import type { Gateway, OutgoingSms, SubmitResult } from '../../../lambdas/core/ports.js';
import { expireOverdueReceipts } from '../../../lambdas/core/receipts/expire-receipts.js';
import { openSqliteDeps, type SqliteDeps } from '../../sqlite-deps.js';
import { anApprovedCampaignToDni } from '../campaigns/campaign-fixture.js';
import { throughOneGateway } from './one-gateway.js';
import { sendEverythingDue } from './send-everything-due.js';

const operator: Caller = { id: 'hoa', roles: ['operator'] };
/** 10:00 in Hanoi: inside the sending window. */
const MORNING = new Date('2026-11-28T03:00:00Z');

class TestGateway implements Gateway {
  readonly messagesPerSecond = undefined;
  constructor(readonly id = 'test-gateway') {}
  readonly sent: OutgoingSms[] = [];
  answer: (message: OutgoingSms) => SubmitResult = (message) => ({ outcome: 'accepted', messageId: `m-${message.reference}` });
  async submit(message: OutgoingSms): Promise<SubmitResult> {
    const result = this.answer(message);
    if (result.outcome === 'accepted') this.sent.push(message);
    return result;
  }
}

let deps: DispatchDeps;
let gateway: TestGateway;
let now: Date;
let sqlite: SqliteDeps;
let store: SqliteStores;
let queue: SqliteQueue;

function setUp(config: Partial<LoaConfig> = {}) {
  now = MORNING;
  sqlite = openSqliteDeps({ clock: { now: () => now }, config: { ...DEFAULT_CONFIG, sliceSize: 4, retryBaseMs: 10, ...config } });
  ({ stores: store, queue } = sqlite);
  gateway = new TestGateway();
  deps = throughOneGateway(sqlite.deps, gateway);
}

beforeEach(() => setUp());
afterEach(() => sqlite.close());

const phone = (index: number) => `+8496${String(1_000_000 + index).slice(-7)}`;

async function subscribers(count: number) {
  await store.audience.putAreas([{ code: 'DNI', name: 'Đồng Nai', path: 'DNI' }]);
  await store.audience.upsertSubscribers(
    Array.from({ length: count }, (_, index) => ({
      phone: phone(index),
      areaCode: 'DNI',
      areaPath: 'DNI',
      tags: [],
      carrier: 'viettel' as const,
      carrierSource: 'prefix' as const,
      updatedAt: MORNING.toISOString(),
    })),
  );
}

async function approvedCampaign(overrides: Partial<NewCampaign> = {}) {
  const template = { body: 'Thong bao {{x}}', placeholders: [{ name: 'x', maxLength: 5 }] };
  return anApprovedCampaignToDni(deps, template, { variables: { x: 'a' }, ...overrides });
}

describe('dispatching a campaign', () => {
  it('sends each subscriber exactly one message and completes', async () => {
    await subscribers(10);
    const campaign = await approvedCampaign();
    await sendEverythingDue(deps);
    expect(gateway.sent.map((message) => message.to).sort()).toEqual(Array.from({ length: 10 }, (_, i) => phone(i)));
    expect(gateway.sent[0]!.text).toBe('Thong bao a');
    expect((await store.campaigns.getCampaign(campaign.id))!.status).toBe('completed');
    expect(await store.receipts.campaignCounts(campaign.id)).toMatchObject({ queued: 0, submitted: 10, total: 10 });
  });

  it('sends nothing twice when a slice is fanned out again and a job is delivered again after a crash', async () => {
    await subscribers(6);
    const campaign = await approvedCampaign();
    const run = (await launchRun(deps, (await store.campaigns.getCampaign(campaign.id))!))!;
    await fanOutSlice(deps, run);
    await fanOutSlice(deps, run);
    const [job] = await queue.take(1, 1);
    now = new Date(now.getTime() + 10);
    const [again] = await queue.take(1, 60_000);
    expect(again!.job.id).toBe(job!.job.id);
    await sendJob(deps, job!);
    await sendJob(deps, again!);
    await sendEverythingDue(deps);
    expect(gateway.sent).toHaveLength(6);
    expect(new Set(gateway.sent.map((message) => message.to)).size).toBe(6);
    expect((await store.receipts.campaignCounts(campaign.id)).total).toBe(6);
  });

  it('with a daily cap of 1, a slice fanned out again after a crash still sends to everyone in it once', async () => {
    setUp({ dailyCap: 1 });
    await subscribers(4);
    const campaign = await approvedCampaign();
    const run = (await launchRun(deps, (await store.campaigns.getCampaign(campaign.id))!))!;
    await fanOutSlice(deps, run);
    await fanOutSlice(deps, run);
    await sendEverythingDue(deps);
    expect(gateway.sent.map((message) => message.to).sort()).toEqual([phone(0), phone(1), phone(2), phone(3)]);
    expect(await store.receipts.campaignCounts(campaign.id)).toMatchObject({ submitted: 4, failed: 0 });

    const next = await approvedCampaign();
    await sendEverythingDue(deps);
    expect(await store.receipts.campaignCounts(next.id)).toMatchObject({ submitted: 0, failed: 4 });
  });

  it('retries transient failures with backoff and then fails the receipt with the reason', async () => {
    setUp({ maxAttempts: 3 });
    await subscribers(2);
    gateway.answer = (message) =>
      message.to === phone(0) ? { outcome: 'transient', reason: 'carrier busy' } : { outcome: 'accepted', messageId: 'ok' };
    const campaign = await approvedCampaign();
    for (let attempt = 0; attempt < 5; attempt++) {
      await sendEverythingDue(deps);
      now = new Date(now.getTime() + 60_000);
    }
    const receipt = await store.receipts.getReceipt(
      campaign.id,
      (await store.receipts.listReceipts(campaign.id, {}, { limit: 10 })).items[0]!.runId,
      phone(0),
    );
    expect(receipt).toMatchObject({ status: 'failed', attempts: 3 });
    expect(receipt!.error).toMatch(/gave up after 3 attempts: carrier busy/);
  });

  it('keeps a throttled message waiting without using up its attempts', async () => {
    setUp({ maxAttempts: 2 });
    await subscribers(1);
    let answers = 0;
    gateway.answer = () => (answers++ < 4 ? { outcome: 'throttled', reason: 'ESME_RTHROTTLED' } : { outcome: 'accepted', messageId: 'ok' });
    const campaign = await approvedCampaign();
    for (let round = 0; round < 5; round++) {
      await sendEverythingDue(deps);
      now = new Date(now.getTime() + 60_000);
    }
    expect(answers).toBe(5);
    expect(await store.receipts.campaignCounts(campaign.id)).toMatchObject({ submitted: 1, failed: 0 });
  });

  it('fails a permanently refused message at once', async () => {
    await subscribers(1);
    gateway.answer = () => ({ outcome: 'permanent', reason: 'unknown subscriber' });
    const campaign = await approvedCampaign();
    await sendEverythingDue(deps);
    expect(await store.receipts.campaignCounts(campaign.id)).toMatchObject({ failed: 1, submitted: 0 });
  });

  it('holds a paused campaign and sends the rest after resume', async () => {
    await subscribers(8);
    const campaign = await approvedCampaign();
    const run = (await launchRun(deps, (await store.campaigns.getCampaign(campaign.id))!))!;
    await fanOutSlice(deps, run);
    await pauseCampaign(deps, operator, campaign.id);
    await sendEverythingDue(deps);
    expect(gateway.sent).toHaveLength(0);
    await resumeCampaign(deps, operator, campaign.id);
    now = new Date(now.getTime() + 5_000);
    await sendEverythingDue(deps);
    expect(gateway.sent).toHaveLength(8);
  });

  it('hands the rest of a job back at once when its sender must stop, between two submit batches', async () => {
    deps = { ...deps, config: { ...deps.config, submitBatchSize: 2 }, shouldStop: () => gateway.sent.length >= 2 };
    await subscribers(4);
    const campaign = await approvedCampaign();
    const run = (await launchRun(deps, (await store.campaigns.getCampaign(campaign.id))!))!;
    await fanOutSlice(deps, run);
    const [job] = await queue.take(1, 60_000);

    await sendJob(deps, job!);

    expect(gateway.sent.map((message) => message.to)).toEqual([phone(0), phone(1)]);
    const [rest] = await queue.take(1, 60_000);
    expect(rest!.job).toEqual({ ...job!.job, recipients: job!.job.recipients.slice(2) });
    expect(await store.receipts.campaignCounts(campaign.id)).toMatchObject({ queued: 2, submitted: 2 });
  });

  it('stops before its next message, not only between submit batches: a slow gateway can make one batch last minutes', async () => {
    deps = { ...deps, config: { ...deps.config, submitBatchSize: 10 }, shouldStop: () => gateway.sent.length >= 3 };
    await subscribers(4);
    const campaign = await approvedCampaign();
    const run = (await launchRun(deps, (await store.campaigns.getCampaign(campaign.id))!))!;
    await fanOutSlice(deps, run);
    const [job] = await queue.take(1, 60_000);

    await sendJob(deps, job!);

    expect(gateway.sent).toHaveLength(3);
    const [rest] = await queue.take(1, 60_000);
    expect(rest!.job.recipients).toEqual(job!.job.recipients.slice(3));
    expect(await store.receipts.campaignCounts(campaign.id)).toMatchObject({ queued: 1, submitted: 3 });
  });

  it('records what it submitted before its rate limiter failed, then fails the job, so nothing is sent twice', async () => {
    let takes = 0;
    const failingLimiter = {
      take: async () => {
        if (++takes > 2) throw new Error('the rate bucket cannot be reached');
      },
    };
    deps = {
      ...deps,
      gateways: new GatewayRouter(
        [gateway],
        [{ carriers: ['*'], gateways: [gateway.id] }],
        DEFAULT_HEALTH_POLICY,
        deps.clock,
        async () => {},
        {},
        () => failingLimiter,
      ),
    };
    await subscribers(4);
    const campaign = await approvedCampaign();
    const run = (await launchRun(deps, (await store.campaigns.getCampaign(campaign.id))!))!;
    await fanOutSlice(deps, run);
    const [job] = await queue.take(1, 60_000);

    await expect(sendJob(deps, job!)).rejects.toThrow('the rate bucket cannot be reached');

    expect(gateway.sent).toHaveLength(2);
    expect(await store.receipts.campaignCounts(campaign.id)).toMatchObject({ queued: 2, submitted: 2 });
  });

  it('stops sending at once when cancelled, failing what was still queued', async () => {
    await subscribers(8);
    const campaign = await approvedCampaign();
    const run = (await launchRun(deps, (await store.campaigns.getCampaign(campaign.id))!))!;
    await fanOutSlice(deps, run);
    await cancelCampaign(deps, operator, campaign.id);
    await sendEverythingDue(deps);
    expect(gateway.sent).toHaveLength(0);
    const counts = await store.receipts.campaignCounts(campaign.id);
    expect(counts).toMatchObject({ queued: 0, failed: 4, total: 4 });
    expect((await store.campaigns.getCampaign(campaign.id))!.status).toBe('cancelled');
  });

  it('waits for the end of the quiet hours for normal priority, not for an emergency', async () => {
    await subscribers(2);
    now = new Date('2026-11-28T16:00:00Z');
    const normal = await approvedCampaign();
    await sendEverythingDue(deps);
    expect(gateway.sent).toHaveLength(0);
    const emergency = await approvedCampaign({ priority: 'emergency' });
    await sendEverythingDue(deps);
    expect(gateway.sent.length).toBe(2);
    now = new Date('2026-11-29T00:00:01Z');
    await sendEverythingDue(deps);
    expect((await store.receipts.campaignCounts(normal.id)).submitted).toBe(2);
    expect((await store.receipts.campaignCounts(emergency.id)).submitted).toBe(2);
  });

  it('caps normal messages a subscriber gets a day, but not emergencies', async () => {
    setUp({ dailyCap: 1 });
    await subscribers(3);
    await approvedCampaign();
    await sendEverythingDue(deps);
    const second = await approvedCampaign();
    await sendEverythingDue(deps);
    const third = await approvedCampaign({ priority: 'emergency' });
    await sendEverythingDue(deps);
    expect(await store.receipts.campaignCounts(second.id)).toMatchObject({ failed: 3, submitted: 0 });
    const refused = (await store.receipts.listReceipts(second.id, { status: 'failed' }, { limit: 10 })).items[0]!;
    expect(refused.error).toBe('daily limit of 1 messages reached');
    expect(await store.receipts.campaignCounts(third.id)).toMatchObject({ submitted: 3 });
  });

  it('never sends to an opted-out number, emergency included', async () => {
    await subscribers(3);
    await store.audience.addOptOut({ phone: phone(1), source: 'hotline', by: 'hoa', at: MORNING.toISOString() });
    await approvedCampaign({ priority: 'emergency' });
    await sendEverythingDue(deps);
    expect(gateway.sent.map((message) => message.to).sort()).toEqual([phone(0), phone(2)]);
  });

  it('sends a test campaign only to the test numbers, with receipts marked as tests', async () => {
    const testNumber = '+84912345678';
    setUp({ testNumbers: [testNumber] });
    await subscribers(5);
    const campaign = await approvedCampaign({ test: true });
    await sendEverythingDue(deps);
    expect(gateway.sent.map((message) => message.to)).toEqual([testNumber]);
    const receipts = await store.receipts.listReceipts(campaign.id, {}, { limit: 10 });
    expect(receipts.items).toEqual([expect.objectContaining({ phone: testNumber, test: true })]);
  });

  it('starts a new run with its own receipts at each fire of a recurring schedule', async () => {
    await subscribers(2);
    const campaign = await approvedCampaign({ priority: 'emergency', schedule: { expression: 'rate(1 hour)' } });
    await sendEverythingDue(deps);
    now = new Date(now.getTime() + 3_600_000);
    await sendEverythingDue(deps);
    expect(gateway.sent).toHaveLength(4);
    const stored = (await store.campaigns.getCampaign(campaign.id))!;
    expect(stored).toMatchObject({ status: 'scheduled', runCount: 2 });
    const runs = new Set((await store.receipts.listReceipts(campaign.id, {}, { limit: 10 })).items.map((receipt) => receipt.runId));
    expect(runs.size).toBe(2);
  });

  it('expires submitted messages with no delivery report after 72 hours, not before', async () => {
    await subscribers(3);
    const campaign = await approvedCampaign();
    await sendEverythingDue(deps);
    now = new Date(MORNING.getTime() + 71 * 3_600_000);
    expect(await expireOverdueReceipts(deps)).toBe(0);
    now = new Date(MORNING.getTime() + 72 * 3_600_000 + 1_000);
    expect(await expireOverdueReceipts(deps)).toBe(3);
    expect(await store.receipts.campaignCounts(campaign.id)).toMatchObject({ submitted: 0, expired: 3 });
  });

  it('counts submissions and retries by gateway and carrier, never by phone', async () => {
    const counted: { name: string; value: number; dimensions: object }[] = [];
    deps.metrics = { count: (name, value, dimensions) => counted.push({ name, value, dimensions }) };
    await subscribers(2);
    gateway.answer = (message) =>
      message.to === phone(0) ? { outcome: 'throttled', reason: 'slow down' } : { outcome: 'accepted', messageId: 'ok' };
    await approvedCampaign();
    await sendEverythingDue(deps);
    expect(counted).toEqual(
      expect.arrayContaining([
        { name: 'submitted', value: 1, dimensions: { gateway: 'test-gateway', carrier: 'viettel' } },
        { name: 'throttles', value: 1, dimensions: { gateway: 'test-gateway', carrier: 'viettel' } },
      ]),
    );
    expect(JSON.stringify(counted)).not.toContain('+84');
  });
});

describe('failing over between the gateways of a route', () => {
  let backup: TestGateway;
  beforeEach(() => {
    backup = new TestGateway('backup');
    deps.gateways = new GatewayRouter(
      [gateway, backup],
      [{ carriers: ['*'], gateways: [gateway.id, backup.id] }],
      DEFAULT_HEALTH_POLICY,
      deps.clock,
      async () => {},
    );
  });

  it('sends a message the first gateway definitely refused through the next one, in the same attempt', async () => {
    await subscribers(3);
    gateway.answer = () => ({ outcome: 'transient', reason: 'ESME_RSYSERR' });
    const campaign = await approvedCampaign();
    await sendEverythingDue(deps);
    expect(gateway.sent).toHaveLength(0);
    expect(backup.sent).toHaveLength(3);
    expect(await store.receipts.campaignCounts(campaign.id)).toMatchObject({ submitted: 3, queued: 0 });
    expect(deps.gateways.status().find((status) => status.id === gateway.id)!.failovers).toBe(3);
  });

  it('retries a message whose answer was uncertain through the same gateway only, never a second one', async () => {
    await subscribers(1);
    let answers = 0;
    gateway.answer = () =>
      answers++ === 0 ? { outcome: 'transient', reason: 'response timeout', uncertain: true } : { outcome: 'accepted', messageId: 'late' };
    const campaign = await approvedCampaign();
    // The retry's jitter, drawn from [0, retryBaseMs], is never 0 here: the retry waits for the clock.
    deps.random = () => 0.5;
    await sendEverythingDue(deps);
    expect(await store.receipts.campaignCounts(campaign.id)).toMatchObject({ queued: 1 });
    // Even once the gateway is out of the route, the message goes back to it and nowhere else.
    for (let i = 0; i < 20; i++) deps.gateways.record(gateway.id, { outcome: 'transient', reason: 'timeout' });
    expect(deps.gateways.status()[0]!.state).toBe('down');
    now = new Date(now.getTime() + 60_000);
    await sendEverythingDue(deps);
    expect(answers).toBe(2);
    expect(backup.sent).toHaveLength(0);
    expect(gateway.sent).toHaveLength(1);
    expect(await store.receipts.campaignCounts(campaign.id)).toMatchObject({ submitted: 1, queued: 0 });
  });

  it('does not fail over a permanent refusal or throttling', async () => {
    await subscribers(2);
    gateway.answer = (message) =>
      message.to === phone(0) ? { outcome: 'permanent', reason: 'ESME_RINVDSTADR' } : { outcome: 'throttled', reason: 'ESME_RTHROTTLED' };
    await approvedCampaign();
    await sendEverythingDue(deps);
    expect(backup.sent).toHaveLength(0);
  });
});
