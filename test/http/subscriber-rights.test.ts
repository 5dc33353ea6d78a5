/**
 * Decree 13 over HTTP: a person's number is exported whole, then erased. What is kept is kept under the
 * number's pseudonym: the receipts (a late delivery report still finds its receipt) and the opt-out, so that
 * an erased number that opted out and comes back in an import is still never messaged.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fanOutSlice, launchRun } from '../../lambdas/core/dispatch/dispatcher.js';
import type { Campaign, CampaignRun } from '../../lambdas/core/model.js';
import { ERASED_OPT_OUT_SOURCE } from '../../lambdas/core/privacy/erased-opt-outs.js';
import { ERASED_BEFORE_SENDING } from '../../lambdas/core/privacy/subscriber-data.js';
import { aCampaign, uniquePhones } from '../factories.js';
import { TEST_PSEUDONYMIZER } from '../test-pseudonymizer.js';
import { areasWithSubscribers, expectStatus, segmentOf, startTestApi, type TestApi } from './harness.js';

describe('erasing and exporting a subscriber', () => {
  let api: TestApi;
  let areas: [string, string];
  let segmentId: string;
  let firstRun: CampaignRun;
  // optedOut opts out and is erased, then imported again; queued is erased while its message waits.
  const [optedOut, queued, kept] = uniquePhones(3) as [string, string, string];

  /** A campaign to the segment, approved and due now, launched and fanned out: a queued receipt a recipient. */
  async function campaignRun(): Promise<CampaignRun> {
    const now = api.deps.clock.now().toISOString();
    const campaign: Campaign = aCampaign({ segmentId, status: 'approved', nextFireAt: now, createdAt: now });
    await api.deps.campaigns.insertCampaign(campaign);
    const run = (await launchRun(api.deps, campaign))!;
    await fanOutSlice(api.deps, run);
    return run;
  }
  const receiptsOf = async (run: CampaignRun) =>
    (await api.as('operator').get(`/v1/campaigns/${run.campaignId}/receipts?runId=${run.runId}`)).body.items as { phone: string }[];

  beforeAll(async () => {
    api = await startTestApi();
    ({ areas } = await areasWithSubscribers(api, [optedOut, queued, kept]));
    segmentId = await segmentOf(api, areas[0].replace(/-1$/, ''));
    firstRun = await campaignRun();
    await api.deps.receipts.recordSendOutcomes([
      {
        campaignId: firstRun.campaignId,
        runId: firstRun.runId,
        phone: optedOut,
        status: 'submitted',
        gatewayId: 'sim',
        gatewayMessageId: 'm-1',
        attempts: 1,
        at: api.deps.clock.now().toISOString(),
      },
    ]);
    const added = await api
      .as('operator')
      .post('/v1/opt-outs', { phone: optedOut, source: 'hotline-1022' }, { 'idempotency-key': 'opt-out-1' });
    expectStatus(added, 201);
  });
  afterAll(() => api.close());

  it('exports everything held on a number, audited under its pseudonym', async () => {
    const exported = await api.as('operator').post('/v1/subscribers/export', { phone: optedOut });
    expectStatus(exported, 200);
    expect(exported.body).toMatchObject({
      phone: optedOut,
      subscriber: { phone: optedOut, areaCode: areas[0] },
      optOut: { phone: optedOut, source: 'hotline-1022' },
      receipts: [{ campaignId: firstRun.campaignId, runId: firstRun.runId, phone: optedOut, status: 'submitted' }],
    });
    const audit = await api.as('viewer').get('/v1/audit?action=subscriber.exported');
    expect(audit.body.items[0]).toMatchObject({ actor: 'hoa', subject: await TEST_PSEUDONYMIZER.pseudonym(optedOut) });
  });

  it('erases a number: the look-up is 404, receipts and opt-out carry the pseudonym, the audit names the reason', async () => {
    const pseudonym = await TEST_PSEUDONYMIZER.pseudonym(optedOut);
    const erased = await api.as('operator').post('/v1/subscribers/erase', { phone: optedOut, reason: 'Yeu cau so 2026-117' });
    expectStatus(erased, 200);
    expect(erased.body).toEqual({
      pseudonym,
      subscriberDeleted: true,
      optOutKept: true,
      receiptsPseudonymized: 1,
      idempotencyRecordsDeleted: 1,
    });

    expect((await api.as('operator').post('/v1/subscribers/lookup', { phone: optedOut })).status).toBe(404);
    expect((await api.as('operator').post('/v1/subscribers/export', { phone: optedOut })).status).toBe(404);
    expect((await api.as('operator').post('/v1/subscribers/erase', { phone: optedOut, reason: 'again' })).status).toBe(404);

    const receipts = await receiptsOf(firstRun);
    expect(receipts.map((receipt) => receipt.phone)).toContain(pseudonym);
    expect(receipts.map((receipt) => receipt.phone)).not.toContain(optedOut);
    // A delivery report arriving after the erasure still finds its receipt.
    await api.deps.receipts.recordDeliveryReports([
      { gatewayId: 'sim', messageId: 'm-1', status: 'delivered', at: api.deps.clock.now().toISOString() },
    ]);
    expect(await api.deps.receipts.getReceipt(firstRun.campaignId, firstRun.runId, pseudonym)).toMatchObject({ status: 'delivered' });

    const optOuts = (await api.as('operator').get('/v1/opt-outs')).body.items as { phone: string }[];
    expect(optOuts.map((optOut) => optOut.phone)).toEqual([pseudonym]);

    const audit = await api.as('viewer').get('/v1/audit?action=subscriber.erased');
    expect(audit.body.items).toEqual([
      expect.objectContaining({ actor: 'hoa', subject: pseudonym, details: expect.objectContaining({ reason: 'Yeu cau so 2026-117' }) }),
    ]);
    const everything = JSON.stringify((await api.as('viewer').get('/v1/audit?limit=200')).body);
    expect(everything).not.toContain(optedOut.slice(3));
  });

  it('fails a message still queued to an erased number, so that its run can finish', async () => {
    const pseudonym = await TEST_PSEUDONYMIZER.pseudonym(queued);
    const erased = await api.as('operator').post('/v1/subscribers/erase', { phone: queued, reason: 'Yeu cau so 2026-118' });
    expect(erased.body).toMatchObject({ subscriberDeleted: true, optOutKept: false, receiptsPseudonymized: 1 });
    expect(await api.deps.receipts.getReceipt(firstRun.campaignId, firstRun.runId, pseudonym)).toMatchObject({
      status: 'failed',
      error: ERASED_BEFORE_SENDING,
    });
    expect(await api.deps.receipts.queuedPhones(firstRun.campaignId, firstRun.runId, [queued, pseudonym])).toEqual(new Set());
  });

  it('keeps an erased number that opted out suppressed when an import brings it back', async () => {
    const csv = ['phone,area,tags', `${optedOut},${areas[0]},dan-cu`].join('\n');
    expectStatus(await api.as('operator').request('POST', '/v1/subscribers/import', { body: csv, contentType: 'text/csv' }), 200);

    const back = await api.as('operator').post('/v1/subscribers/lookup', { phone: optedOut });
    expect(back.body).toMatchObject({ phone: optedOut, optedOut: true });
    expect((await api.deps.audience.getOptOut(optedOut))?.source).toBe(ERASED_OPT_OUT_SOURCE);

    const nextRun = await campaignRun();
    expect((await receiptsOf(nextRun)).map((receipt) => receipt.phone)).toEqual([kept]);
  });

  it('refuses erasure and export to every role but the operator', async () => {
    for (const role of ['viewer', 'author', 'approver', 'integration'] as const) {
      expect((await api.as(role).post('/v1/subscribers/erase', { phone: kept, reason: 'x' })).status).toBe(403);
      expect((await api.as(role).post('/v1/subscribers/export', { phone: kept })).status).toBe(403);
    }
  });
});
