/**
 * A gateway whose provider would send a repeat again (SNS, End User Messaging: `dropsRepeats` false) gets
 * each message once: an uncertain answer fails the message, saying it may have been sent, rather than risk
 * a second SMS. A gateway that drops repeats (or does not say) keeps the retry on the same gateway.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../../lambdas/core/config.js';
import type { DispatchDeps } from '../../../lambdas/core/dispatch/dispatcher.js';
import type { Gateway, OutgoingSms, SubmitResult } from '../../../lambdas/core/ports.js';
import { openSqliteDeps, type SqliteDeps } from '../../sqlite-deps.js';
import { anApprovedCampaignToDni } from '../campaigns/campaign-fixture.js';
import { throughOneGateway } from './one-gateway.js';
import { sendEverythingDue } from './send-everything-due.js';

/** 10:00 in Hanoi: inside the sending window. */
const MORNING = new Date('2026-11-28T03:00:00Z');
const PHONE = '+84961000001';

class TimingOutGateway implements Gateway {
  readonly id = 'aws-sms';
  readonly messagesPerSecond = undefined;
  submits = 0;
  constructor(readonly dropsRepeats: boolean | undefined) {}
  async submit(_message: OutgoingSms): Promise<SubmitResult> {
    this.submits++;
    return this.submits === 1
      ? { outcome: 'transient', reason: 'TimeoutError: Connection timed out after 10000 ms', uncertain: true }
      : { outcome: 'accepted', messageId: 'second' };
  }
}

let sqlite: SqliteDeps;
let now: Date;

beforeEach(() => {
  now = MORNING;
  sqlite = openSqliteDeps({ clock: { now: () => now }, config: { ...DEFAULT_CONFIG, retryBaseMs: 10 } });
});
afterEach(() => sqlite.close());

async function sendOneMessageThrough(gateway: TimingOutGateway): Promise<{ deps: DispatchDeps; campaignId: string }> {
  const deps = throughOneGateway(sqlite.deps, gateway);
  deps.random = () => 0.5;
  await sqlite.stores.audience.putAreas([{ code: 'DNI', name: 'Đồng Nai', path: 'DNI' }]);
  await sqlite.stores.audience.upsertSubscribers([
    {
      phone: PHONE,
      areaCode: 'DNI',
      areaPath: 'DNI',
      tags: [],
      carrier: 'viettel',
      carrierSource: 'prefix',
      updatedAt: MORNING.toISOString(),
    },
  ]);
  const campaign = await anApprovedCampaignToDni(
    deps,
    { body: 'Thong bao {{x}}', placeholders: [{ name: 'x', maxLength: 5 }] },
    {
      variables: { x: 'a' },
    },
  );
  await sendEverythingDue(deps);
  now = new Date(now.getTime() + 60_000);
  await sendEverythingDue(deps);
  return { deps, campaignId: campaign.id };
}

describe('an uncertain answer', () => {
  it('fails the message, never sent again, when the gateway does not drop repeats', async () => {
    const gateway = new TimingOutGateway(false);
    const { deps, campaignId } = await sendOneMessageThrough(gateway);

    expect(gateway.submits).toBe(1);
    const { items } = await deps.receipts.listReceipts(campaignId, {}, { limit: 10 });
    expect(items).toEqual([
      expect.objectContaining({
        phone: PHONE,
        status: 'failed',
        gatewayId: 'aws-sms',
        error:
          'may have been sent and was not sent again (aws-sms does not drop repeats): TimeoutError: Connection timed out after 10000 ms',
      }),
    ]);
    expect((await deps.campaigns.getCampaign(campaignId))!.status).toBe('completed');
  });

  it.each([
    ['drops repeats', true],
    ['does not say', undefined],
  ])('is retried on the same gateway when it %s', async (_, dropsRepeats) => {
    const gateway = new TimingOutGateway(dropsRepeats);
    const { deps, campaignId } = await sendOneMessageThrough(gateway);

    expect(gateway.submits).toBe(2);
    expect(await deps.receipts.campaignCounts(campaignId)).toMatchObject({ submitted: 1, failed: 0 });
  });
});
