import { expect } from 'vitest';
import { api, atExpressionIn, tokenFor } from './runtime-process.js';

export interface CampaignSetup {
  campaignId: string;
  /** Every imported subscriber, E.164. */
  phones: string[];
  optedOut: string[];
  callAs: Record<'author' | 'approver' | 'operator' | 'viewer', ReturnType<typeof api>>;
}

/** A phone number per index, spread over the carriers' prefixes. */
export function phoneAt(index: number): string {
  const prefixes = ['96', '97', '98', '32', '91', '94', '90', '93', '89', '92', '56', '99'];
  return `+84${prefixes[index % prefixes.length]}${String(1_000_000 + index).slice(-7)}`;
}

/**
 * Walks a campaign through the API the way staff would: a template written by one person and approved
 * by another, areas, a CSV import, opt-outs, a segment, and a campaign approved by a second person,
 * scheduled `startInSeconds` ahead.
 */
export async function setUpCampaign(
  url: string,
  dataDir: string,
  options: { subscribers: number; optOuts: number; startInSeconds: number },
): Promise<CampaignSetup> {
  const callAs = {
    author: api(url, await tokenFor(dataDir, 'lan', ['author'])),
    approver: api(url, await tokenFor(dataDir, 'minh', ['approver'])),
    operator: api(url, await tokenFor(dataDir, 'hoa', ['operator'])),
    viewer: api(url, await tokenFor(dataDir, 'tuan', ['viewer'])),
  };
  const template = await callAs.author('POST', '/v1/templates', {
    name: 'Khuyến cáo',
    body: 'Sở Y tế khuyến cáo: {{advice}}. Gọi 1022.',
    placeholders: [{ name: 'advice', maxLength: 60 }],
  });
  expect(template.status).toBe(201);
  const templateId = template.body.id as string;
  expect((await callAs.author('POST', `/v1/templates/${templateId}/submit`, {})).status).toBe(200);
  expect((await callAs.approver('POST', `/v1/templates/${templateId}/approve`, { version: 1 })).status).toBe(200);

  const areas = await callAs.operator('POST', '/v1/areas', {
    areas: [
      { code: 'DNI', name: 'Tỉnh Đồng Nai' },
      { code: 'DNI-DX', name: 'Phường Đồng Xoài', parentCode: 'DNI' },
      { code: 'DNI-DX-1', name: 'Khu phố Tân Bình', parentCode: 'DNI-DX' },
      { code: 'DNI-DX-2', name: 'Khu phố Phú Thanh', parentCode: 'DNI-DX' },
    ],
  });
  expect(areas.status).toBe(201);

  const phones = Array.from({ length: options.subscribers }, (_, index) => phoneAt(index));
  const csv = ['phone,area,tags', ...phones.map((phone, index) => `${phone},DNI-DX-${(index % 2) + 1},dan-cu`)].join('\n');
  const imported = await callAs.operator('POST', '/v1/subscribers/import', csv, 'text/csv');
  expect(imported.status).toBe(200);
  expect(imported.body.imported).toBe(options.subscribers);

  const optedOut = phones.slice(0, options.optOuts);
  for (const phone of optedOut) {
    expect((await callAs.operator('POST', '/v1/opt-outs', { phone, source: 'hotline-1022' })).status).toBe(201);
  }

  const segment = await callAs.author('POST', '/v1/segments', {
    name: 'Đồng Xoài',
    filter: { areas: ['DNI-DX'], tags: [], carriers: [] },
  });
  expect(segment.status).toBe(201);
  expect(segment.body.counts.total).toBe(options.subscribers - options.optOuts);

  const campaign = await callAs.author('POST', '/v1/campaigns', {
    name: 'Khuyến cáo tuần này',
    templateId,
    templateVersion: 1,
    segmentId: segment.body.id,
    variables: { advice: 'đeo khẩu trang nơi đông người' },
    priority: 'normal',
    schedule: { expression: atExpressionIn(options.startInSeconds) },
  });
  expect(campaign.status).toBe(201);
  const campaignId = campaign.body.id as string;
  const submitted = await callAs.author('POST', `/v1/campaigns/${campaignId}/submit`, {});
  expect(submitted.status).toBe(200);
  const approved = await callAs.approver('POST', `/v1/campaigns/${campaignId}/approve`, { revision: submitted.body.revision });
  expect(approved.status).toBe(200);
  expect(approved.body.status).toBe('scheduled');
  return { campaignId, phones, optedOut, callAs };
}

/** Every receipt of a campaign, walking the pages. */
export async function allReceipts(call: ReturnType<typeof api>, campaignId: string) {
  const receipts: { phone: string; status: string; gatewayMessageId?: string }[] = [];
  let cursor: string | undefined;
  do {
    const page = await call(
      'GET',
      `/v1/campaigns/${campaignId}/receipts?limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    expect(page.status).toBe(200);
    receipts.push(...page.body.items);
    cursor = page.body.nextCursor;
  } while (cursor);
  return receipts;
}
