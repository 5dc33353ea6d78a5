/**
 * A campaign set up the way staff set one up, through the API Lambda with Cognito JWT claims: a template
 * written by an author and approved by an approver, areas, a CSV import, opt-outs, a segment, and a
 * campaign created by the author and approved by the approver. Shared by the AWS end-to-end test and the
 * cost bench.
 */
import type { AwsWorld } from './aws-driver.js';

export const PEOPLE = {
  author: { sub: 'lan', groups: ['author'] },
  approver: { sub: 'minh', groups: ['approver'] },
  operator: { sub: 'hoa', groups: ['operator'] },
  viewer: { sub: 'tuan', groups: ['viewer'] },
} as const;

/** The i-th phone of a generated population, spread over the carriers' prefixes. */
export function phoneAt(index: number): string {
  const prefixes = ['96', '97', '98', '32', '86', '91', '94', '88', '90', '93', '89', '70', '92', '56', '99'];
  return `+84${prefixes[index % prefixes.length]}${String(index).padStart(7, '0')}`;
}

export interface CampaignSetup {
  campaignId: string;
  /** The phones the campaign must reach (imported, not opted out). */
  recipients: string[];
  optedOut: string[];
  text: string;
}

function expectStatus(result: { status: number; body: unknown }, status: number, what: string): void {
  if (result.status !== status) throw new Error(`${what}: expected ${status}, got ${result.status}: ${JSON.stringify(result.body)}`);
}

/**
 * Sets up a campaign to `subscribers` generated phones minus `optOuts`, scheduled `startInSeconds` after
 * it is created (a one-time `at()` schedule) or, without it, sent when approved; and approves it.
 */
export async function setUpCampaignViaApi(
  world: AwsWorld,
  options: { subscribers: number; optOuts: number; startInSeconds?: number; importChunk?: number; areaPrefix?: string },
): Promise<CampaignSetup> {
  const area = options.areaPrefix ?? 'DNI';
  const template = await world.api('POST', '/v1/templates', {
    as: PEOPLE.author,
    json: { name: 'Khuyen cao', body: 'So Y te khuyen cao: {{advice}}. Goi 1022.', placeholders: [{ name: 'advice', maxLength: 60 }] },
  });
  expectStatus(template, 201, 'create template');
  const templateId = template.body.id as string;
  expectStatus(await world.api('POST', `/v1/templates/${templateId}/submit`, { as: PEOPLE.author }), 200, 'submit template');
  expectStatus(
    await world.api('POST', `/v1/templates/${templateId}/approve`, { as: PEOPLE.approver, json: { version: 1 } }),
    200,
    'approve template',
  );

  const areas = await world.api('POST', '/v1/areas', {
    as: PEOPLE.operator,
    json: {
      areas: [
        { code: area, name: 'Tinh Dong Nai' },
        { code: `${area}-DX`, name: 'Phuong Dong Xoai', parentCode: area },
        { code: `${area}-DX-1`, name: 'Khu pho Tan Binh', parentCode: `${area}-DX` },
        { code: `${area}-DX-2`, name: 'Khu pho Phu Thanh', parentCode: `${area}-DX` },
      ],
    },
  });
  expectStatus(areas, 201, 'create areas');

  const phones = Array.from({ length: options.subscribers }, (_, index) => phoneAt(index));
  const chunk = options.importChunk ?? 10_000;
  for (let start = 0; start < phones.length; start += chunk) {
    const lines = phones.slice(start, start + chunk).map((phone, index) => `${phone},${area}-DX-${((start + index) % 2) + 1},dan-cu`);
    const imported = await world.api('POST', '/v1/subscribers/import', {
      as: PEOPLE.operator,
      csv: ['phone,area,tags', ...lines].join('\n'),
    });
    expectStatus(imported, 200, 'import subscribers');
    if (imported.body.imported + imported.body.updated !== lines.length)
      throw new Error(`import rejected lines: ${JSON.stringify(imported.body)}`);
  }

  const optedOut = phones.slice(0, options.optOuts);
  for (const phone of optedOut) {
    expectStatus(await world.api('POST', '/v1/opt-outs', { as: PEOPLE.operator, json: { phone, source: 'hotline-1022' } }), 201, 'opt out');
  }

  const segment = await world.api('POST', '/v1/segments', {
    as: PEOPLE.author,
    json: { name: 'Dong Xoai', filter: { areas: [`${area}-DX`], tags: [], carriers: [] } },
  });
  expectStatus(segment, 201, 'create segment');
  if (segment.body.counts.total !== options.subscribers - options.optOuts) {
    throw new Error(`segment counts ${segment.body.counts.total}, expected ${options.subscribers - options.optOuts}`);
  }

  const campaign = await world.api('POST', '/v1/campaigns', {
    as: PEOPLE.author,
    json: {
      name: 'Khuyen cao tuan nay',
      templateId,
      templateVersion: 1,
      segmentId: segment.body.id,
      variables: { advice: 'deo khau trang noi dong nguoi' },
      priority: 'normal',
      ...(options.startInSeconds !== undefined && { schedule: { expression: atIn(world.clock.now(), options.startInSeconds) } }),
    },
  });
  expectStatus(campaign, 201, 'create campaign');
  const campaignId = campaign.body.id as string;
  const submitted = await world.api('POST', `/v1/campaigns/${campaignId}/submit`, { as: PEOPLE.author });
  expectStatus(submitted, 200, 'submit campaign');
  const approval = { as: PEOPLE.approver, json: { revision: submitted.body.revision } };
  expectStatus(await world.api('POST', `/v1/campaigns/${campaignId}/approve`, approval), 200, 'approve campaign');
  const optedOutSet = new Set(optedOut);
  return { campaignId, recipients: phones.filter((phone) => !optedOutSet.has(phone)), optedOut, text: campaign.body.text as string };
}

/** An `at()` expression `seconds` after `now`, in Vietnam's local time (UTC+7, no daylight saving). */
export function atIn(now: Date, seconds: number): string {
  return `at(${new Date(now.getTime() + seconds * 1000 + 7 * 3_600_000).toISOString().slice(0, 19)})`;
}

/** Every receipt of a campaign through the API, walking the pages. */
export async function allReceipts(
  world: AwsWorld,
  campaignId: string,
): Promise<{ phone: string; status: string; gatewayMessageId?: string; runId: string }[]> {
  const receipts: { phone: string; status: string; gatewayMessageId?: string; runId: string }[] = [];
  let cursor: string | undefined;
  do {
    // Operators see the numbers whole (viewers masked), to compare with what SNS was given.
    const page = await world.api('GET', `/v1/campaigns/${campaignId}/receipts`, {
      as: PEOPLE.operator,
      query: { limit: '1000', ...(cursor && { cursor }) },
    });
    expectStatus(page, 200, 'list receipts');
    receipts.push(...page.body.items);
    cursor = page.body.nextCursor;
  } while (cursor);
  return receipts;
}
