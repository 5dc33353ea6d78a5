import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aReceipt } from '../factories.js';
import { draftCampaign, startTestApi, type TestApi } from './harness.js';

describe("a campaign's receipts as CSV, over HTTP", () => {
  let api: TestApi;
  let campaignId: string;
  const phones = ['+84912000101', '+84912000102', '+84912000103', '+84912000104', '+84912000105'];

  beforeAll(async () => {
    api = await startTestApi();
    campaignId = await draftCampaign(api);
    const receipts = phones.map((phone) =>
      aReceipt({ campaignId, runId: 'run-1', phone, carrier: 'viettel', queuedAt: '2026-12-05T01:00:00.000Z' }),
    );
    await api.store.receipts.insertReceipts(receipts);
    await api.store.receipts.recordSendOutcomes([
      {
        campaignId,
        runId: 'run-1',
        phone: phones[0]!,
        status: 'submitted',
        gatewayId: 'smpp-1',
        gatewayMessageId: 'm-1',
        attempts: 1,
        at: '2026-12-05T01:00:05.000Z',
      },
      {
        campaignId,
        runId: 'run-1',
        phone: phones[1]!,
        status: 'failed',
        error: '=HYPERLINK("x"), "rejected"',
        attempts: 3,
        at: '2026-12-05T01:00:09.000Z',
      },
    ]);
  });
  afterAll(() => api.close());

  const rows = (text: string) => text.trimEnd().split('\r\n');

  it('downloads every receipt with a header row, as an attachment', async () => {
    const result = await api.as('operator').get(`/v1/campaigns/${campaignId}/receipts.csv`);

    expect(result.status).toBe(200);
    expect(result.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(result.headers.get('content-disposition')).toBe(`attachment; filename="${campaignId}-receipts.csv"`);
    expect(result.headers.get('link')).toBeNull();
    expect(rows(result.text)).toEqual([
      'phone,carrier,status,gateway,attempts,error,queuedAt,submittedAt,doneAt',
      `${phones[0]},viettel,submitted,smpp-1,1,,2026-12-05T01:00:00.000Z,2026-12-05T01:00:05.000Z,`,
      // A gateway's error is quoted, and defused so that no spreadsheet runs it as a formula.
      `${phones[1]},viettel,failed,,3,"'=HYPERLINK(""x""), ""rejected""",2026-12-05T01:00:00.000Z,,2026-12-05T01:00:09.000Z`,
      ...phones.slice(2).map((phone) => `${phone},viettel,queued,,0,,2026-12-05T01:00:00.000Z,,`),
    ]);
  });

  it('takes the filters of the receipts list', async () => {
    const failed = await api.as('operator').get(`/v1/campaigns/${campaignId}/receipts.csv?status=failed&runId=run-1`);
    const otherRun = await api.as('operator').get(`/v1/campaigns/${campaignId}/receipts.csv?runId=run-2`);

    expect(
      rows(failed.text)
        .slice(1)
        .map((row) => row.split(',')[0]),
    ).toEqual([phones[1]]);
    expect(rows(otherRun.text)).toEqual(['phone,carrier,status,gateway,attempts,error,queuedAt,submittedAt,doneAt']);
  });

  it('comes in parts, each naming the next in its Link header', async () => {
    const seen: string[] = [];
    let path: string | undefined = `/v1/campaigns/${campaignId}/receipts.csv?status=queued&limit=2`;
    let parts = 0;
    while (path) {
      const part = await api.as('operator').get(path);
      expect(part.status).toBe(200);
      expect(rows(part.text)[0]).toBe('phone,carrier,status,gateway,attempts,error,queuedAt,submittedAt,doneAt');
      seen.push(
        ...rows(part.text)
          .slice(1)
          .map((row) => row.split(',')[0]!),
      );
      path = /^<([^>]+)>; rel="next"$/.exec(part.headers.get('link') ?? '')?.[1];
      parts += 1;
    }

    expect(seen).toEqual(phones.slice(2));
    expect(parts).toBe(2);
  });

  it('shows viewers every number masked, in the CSV and in the list, and operators whole', async () => {
    const masked = ['+8491****101', '+8491****102', '+8491****103', '+8491****104', '+8491****105'];
    const csv = await api.as('viewer').get(`/v1/campaigns/${campaignId}/receipts.csv`);
    expect(
      rows(csv.text)
        .slice(1)
        .map((row) => row.split(',')[0]),
    ).toEqual(masked);
    const list = async (role: 'viewer' | 'operator') =>
      (await api.as(role).get(`/v1/campaigns/${campaignId}/receipts?limit=10`)).body.items.map(
        (receipt: { phone: string }) => receipt.phone,
      );
    expect(await list('viewer')).toEqual(masked);
    expect(await list('operator')).toEqual(phones);
  });

  it('answers 404 for a campaign it does not have', async () => {
    expect((await api.as('viewer').get('/v1/campaigns/cmp-none/receipts.csv')).status).toBe(404);
  });
});
