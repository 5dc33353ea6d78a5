/**
 * Test data. Every factory makes a valid record with ids unique to this process (and, through a random
 * run tag, to this run), so tests can share one database or table without seeing each other's data.
 * Pass overrides for what the test is about; leave the rest to the defaults.
 */
import { randomBytes, randomInt } from 'node:crypto';
import type {
  Area,
  AuditEntry,
  Campaign,
  CampaignRun,
  IdempotencyRecord,
  OptOut,
  Receipt,
  Segment,
  Subscriber,
  Template,
  TemplateVersion,
} from '../lambdas/core/model.js';
import type { SendJob } from '../lambdas/core/ports.js';

const RUN_TAG = randomBytes(4).toString('hex');
let sequence = 0;

/** `prefix` + a tag of this run + a counter, e.g. `tpl_1a2b3c4d_17`; ids sort in creation order. */
export function uniqueId(prefix: string): string {
  sequence += 1;
  return `${prefix}_${RUN_TAG}_${String(sequence).padStart(6, '0')}`;
}

const PHONE_BASE = randomInt(0, 50_000_000);
let phoneSequence = 0;

/** A Vietnamese mobile number in E.164 (+84 9x xxx xxxx), never handed out twice in one process. */
export function uniquePhone(): string {
  phoneSequence += 1;
  return `+849${String(PHONE_BASE + phoneSequence).padStart(8, '0')}`;
}

/** `n` unique phones in ascending order. */
export function uniquePhones(n: number): string[] {
  return Array.from({ length: n }, () => uniquePhone());
}

/** An ISO timestamp `seconds` after a fixed instant, so tests can order records without a clock. */
export function at(seconds: number, base = '2026-03-02T01:00:00.000Z'): string {
  return new Date(Date.parse(base) + seconds * 1000).toISOString();
}

export function aTemplate(overrides: Partial<Template> = {}): Template {
  return {
    id: uniqueId('tpl'),
    name: 'Thong bao phong dich',
    channel: 'sms',
    latestVersion: 1,
    createdBy: 'author-1',
    createdAt: at(0),
    ...overrides,
  };
}

export function aTemplateVersion(templateId: string, overrides: Partial<Omit<TemplateVersion, 'templateId'>> = {}): TemplateVersion {
  return {
    templateId,
    version: 1,
    body: 'So Thong tin: {{message}}',
    placeholders: [],
    status: 'draft',
    author: 'author-1',
    createdAt: at(0),
    ...overrides,
  } as TemplateVersion;
}

/** A root area (no parent); pass `parent` to put it under another one. */
export function anArea(overrides: Partial<Area> = {}, parent?: Area): Area {
  const code = overrides.code ?? uniqueId('AREA');
  return {
    code,
    name: `Khu pho ${code}`,
    path: parent ? `${parent.path}/${code}` : code,
    ...(parent && { parentCode: parent.code }),
    ...overrides,
  };
}

export function aSubscriber(overrides: Partial<Subscriber> = {}): Subscriber {
  return {
    phone: uniquePhone(),
    areaCode: 'AREA',
    areaPath: 'AREA',
    tags: [],
    carrier: 'mobifone',
    carrierSource: 'prefix',
    updatedAt: at(0),
    ...overrides,
  };
}

/** A subscriber living in `area`. */
export function aSubscriberIn(area: Area, overrides: Partial<Subscriber> = {}): Subscriber {
  return aSubscriber({ areaCode: area.code, areaPath: area.path, ...overrides });
}

export function anOptOut(overrides: Partial<OptOut> = {}): OptOut {
  return { phone: uniquePhone(), source: 'sms-keyword', by: 'citizen', at: at(0), ...overrides };
}

export function aSegment(overrides: Partial<Segment> = {}): Segment {
  return {
    id: uniqueId('seg'),
    name: 'Cong nhan khu tro',
    filter: { areas: [], tags: [], carriers: [] },
    createdBy: 'author-1',
    createdAt: at(0),
    ...overrides,
  };
}

export function aCampaign(overrides: Partial<Campaign> = {}): Campaign {
  return {
    id: uniqueId('cmp'),
    name: 'Canh bao cap do 2',
    templateId: uniqueId('tpl'),
    templateVersion: 1,
    segmentId: uniqueId('seg'),
    variables: {},
    priority: 'normal',
    test: false,
    stripDiacritics: true,
    text: 'So Thong tin: han che tap trung dong nguoi.',
    sms: { encoding: 'GSM-7', parts: 1 },
    status: 'draft',
    createdBy: 'author-1',
    createdAt: at(0),
    runCount: 0,
    revision: 1,
    ...overrides,
  } as Campaign;
}

export function aRun(overrides: Partial<CampaignRun> = {}): CampaignRun {
  return {
    campaignId: uniqueId('cmp'),
    runId: uniqueId('run'),
    firedAt: at(0),
    test: false,
    fanOutDone: false,
    sendingDone: false,
    ...overrides,
  };
}

/** A queued receipt. */
export function aReceipt(overrides: Partial<Receipt> = {}): Receipt {
  return {
    campaignId: uniqueId('cmp'),
    runId: uniqueId('run'),
    phone: uniquePhone(),
    carrier: 'viettel',
    status: 'queued',
    test: false,
    attempts: 0,
    queuedAt: at(0),
    ...overrides,
  };
}

/** Queued receipts of one run for `phones`. */
export function receiptsFor(campaignId: string, runId: string, phones: string[], overrides: Partial<Receipt> = {}): Receipt[] {
  return phones.map((phone) => aReceipt({ campaignId, runId, phone, ...overrides }));
}

export function anAuditEntry(overrides: Partial<AuditEntry> = {}): AuditEntry {
  return {
    id: uniqueId('aud'),
    at: at(0),
    actor: 'operator-1',
    action: 'campaign.paused',
    subject: uniqueId('cmp'),
    ...overrides,
  };
}

export function anIdempotencyRecord(overrides: Partial<IdempotencyRecord> = {}): IdempotencyRecord {
  return {
    key: uniqueId('idem'),
    requestHash: randomBytes(16).toString('hex'),
    statusCode: 201,
    body: '{"id":"cmp_1"}',
    createdAt: at(0),
    ...overrides,
  };
}

export function aSendJob(overrides: Partial<SendJob> = {}): SendJob {
  return {
    id: uniqueId('job'),
    campaignId: uniqueId('cmp'),
    runId: uniqueId('run'),
    recipients: [{ phone: uniquePhone(), carrier: 'viettel' }, { phone: uniquePhone() }],
    attempt: 1,
    ...overrides,
  };
}
