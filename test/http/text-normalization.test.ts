import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countSmsParts } from '../../lambdas/core/templates/sms-parts.js';
import { approvedTemplate, areasWithSubscribers, expectStatus, segmentOf, startTestApi, unique, type TestApi } from './harness.js';

/** Exactly one part when composed (70 UCS-2 units), two when typed decomposed (90). */
const BODY = 'Tiếng Việt: Sở Y tế tỉnh Đồng Nai khuyến cáo người dân đeo khẩu trang.';
const nfd = (text: string) => text.normalize('NFD');

describe('text typed decomposed (NFD) is kept and sent composed (NFC) over HTTP', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  it('stores a template body and name typed decomposed in NFC, costing the parts of the NFC form', async () => {
    expect(countSmsParts(nfd(BODY)).parts).toBe(2);

    const created = await api.as('author').post('/v1/templates', { name: nfd('Khuyến cáo'), body: nfd(BODY), placeholders: [] });

    expectStatus(created, 201);
    expect(created.body.name).toBe('Khuyến cáo'.normalize('NFC'));
    expect(created.body.versions[0].body).toBe(BODY.normalize('NFC'));
    expect(created.body.versions[0].sms).toMatchObject({ encoding: 'UCS-2', parts: countSmsParts(BODY).parts });
    expect(created.body.versions[0].sms.parts).toBe(1);
  });

  it('renders a campaign from variables typed decomposed into NFC text, counted as such', async () => {
    const templateId = await approvedTemplate(api, 'Thông báo: {{tin}}', [{ name: 'tin', maxLength: 70 }]);
    const { province } = await areasWithSubscribers(api, []);
    const advice = 'Sở Y tế khuyến cáo người dân đeo khẩu trang nơi đông người';

    const campaign = await api.as('author').post('/v1/campaigns', {
      name: nfd('Khuyến cáo tuần này'),
      templateId,
      templateVersion: 1,
      segmentId: await segmentOf(api, province),
      variables: { tin: nfd(advice) },
    });

    expectStatus(campaign, 201);
    expect(campaign.body.name).toBe('Khuyến cáo tuần này'.normalize('NFC'));
    expect(campaign.body.text).toBe(`Thông báo: ${advice}`.normalize('NFC'));
    expect(campaign.body.sms).toEqual({ encoding: 'UCS-2', parts: countSmsParts(`Thông báo: ${advice}`).parts });
  });

  it('stores a loudspeaker script typed decomposed in NFC', async () => {
    const script = 'Bà con chú ý: tiêm vắc xin tại trạm y tế phường từ 7 giờ sáng thứ Bảy.';

    const created = await api
      .as('author')
      .post('/v1/templates', { name: unique('Loa'), channel: 'loudspeaker', body: nfd(script), repetitionsPerStop: 2 });

    expectStatus(created, 201);
    expect(created.body.versions[0].body).toBe(script.normalize('NFC'));
  });

  it('imports CSV tags typed decomposed so that a segment on the same tag typed composed reaches them', async () => {
    const { province, areas } = await areasWithSubscribers(api, []);
    const tag = 'công-nhân';
    const csv = ['phone,area,tags', `0961000001,${areas[0]},${nfd(tag)}`, `0961000002,${areas[1]},${tag}`].join('\n');
    expectStatus(await api.as('operator').request('POST', '/v1/subscribers/import', { body: csv, contentType: 'text/csv' }), 200);

    const preview = await api.as('author').post('/v1/segments/preview', { filter: { areas: [province], tags: [tag] } });

    expect(preview.status, preview.text).toBe(200);
    expect(preview.body.total).toBe(2);
  });
});
