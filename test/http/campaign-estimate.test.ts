import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approvedTemplate, areasWithSubscribers, expectStatus, segmentOf, startTestApi, unique, type TestApi } from './harness.js';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi({ config: { prices: { currency: 'VND', perPart: { viettel: 350, '*': 400 } } } });
});
afterAll(() => api.close());

// Three Viettel numbers (096, 097) at Viettel's price, one VinaPhone (091) at the '*' price.
const PHONES = ['+84961000001', '+84971000002', '+84961000003', '+84911000004'];

async function campaignOver(body: string, extra: Record<string, unknown> = {}) {
  const templateId = await approvedTemplate(api, body, []);
  const { province } = await areasWithSubscribers(api, PHONES);
  const segmentId = await segmentOf(api, province);
  const created = await api
    .as('author')
    .post('/v1/campaigns', { name: unique('Estimate'), templateId, templateVersion: 1, segmentId, ...extra });
  expectStatus(created, 201);
  return created.body.id as string;
}

describe('the cost estimate of a campaign', () => {
  it('counts recipients, parts and cost by carrier at the configured price per part', async () => {
    const text = 'Sở Y tế khuyến cáo người dân đeo khẩu trang nơi công cộng, rửa tay thường xuyên và gọi 1022 khi cần hỗ trợ.';
    const id = await campaignOver(text);
    const estimate = await api.as('viewer').get(`/v1/campaigns/${id}/estimate`);
    expectStatus(estimate, 200);
    expect(estimate.body).toEqual({
      encoding: 'UCS-2',
      partsPerMessage: 2,
      recipients: 4,
      parts: 8,
      cost: 3 * 2 * 350 + 2 * 400,
      currency: 'VND',
      byCarrier: {
        viettel: { recipients: 3, parts: 6, pricePerPart: 350, cost: 2100 },
        vinaphone: { recipients: 1, parts: 2, pricePerPart: 400, cost: 800 },
      },
    });
  });

  it('halves the parts when the diacritics are stripped', async () => {
    const text = 'Sở Y tế khuyến cáo người dân đeo khẩu trang nơi công cộng, rửa tay thường xuyên và gọi 1022 khi cần hỗ trợ.';
    const id = await campaignOver(text, { stripDiacritics: true });
    const estimate = await api.as('viewer').get(`/v1/campaigns/${id}/estimate`);
    expect(estimate.body).toMatchObject({ encoding: 'GSM-7', partsPerMessage: 1, parts: 4, cost: 3 * 350 + 400 });
  });

  it('leaves out opted-out numbers, and says 404 for an unknown campaign', async () => {
    const id = await campaignOver('Thong bao mat nuoc');
    expectStatus(await api.as('operator').post('/v1/opt-outs', { phone: PHONES[3], source: 'hotline-1022' }), 201);
    const estimate = await api.as('viewer').get(`/v1/campaigns/${id}/estimate`);
    expect(estimate.body).toMatchObject({ recipients: 3, byCarrier: { viettel: { recipients: 3 } } });
    expect(estimate.body.byCarrier.vinaphone).toBeUndefined();
    expect((await api.as('viewer').get('/v1/campaigns/nope/estimate')).status).toBe(404);
  });
});

describe('without prices', () => {
  it('gives the parts and no cost', async () => {
    const plain = await startTestApi();
    try {
      const templateId = await approvedTemplate(plain, 'Thong bao mat nuoc', []);
      const { province } = await areasWithSubscribers(plain, ['+84961000001']);
      const segmentId = await segmentOf(plain, province);
      const created = await plain.as('author').post('/v1/campaigns', { name: 'C', templateId, templateVersion: 1, segmentId });
      const estimate = await plain.as('viewer').get(`/v1/campaigns/${created.body.id}/estimate`);
      expect(estimate.body).toEqual({
        encoding: 'GSM-7',
        partsPerMessage: 1,
        recipients: 1,
        parts: 1,
        byCarrier: { viettel: { recipients: 1, parts: 1 } },
      });
    } finally {
      await plain.close();
    }
  });
});
