import type { Deps } from '../deps.js';
import type { SmsEncoding } from '../templates/sms-parts.js';
import { resolveFilter } from '../segments/segment-use-cases.js';
import { requireCampaign } from './campaign-use-cases.js';
import { listedPhones, listedRecipients } from './listed-recipients.js';

export interface CarrierEstimate {
  recipients: number;
  parts: number;
  pricePerPart?: number;
  cost?: number;
}

export interface CampaignEstimate {
  encoding: SmsEncoding;
  partsPerMessage: number;
  recipients: number;
  parts: number;
  /** Present when every carrier reached has a price (a '*' price covers the others). */
  cost?: number;
  currency?: string;
  byCarrier: Record<string, CarrierEstimate>;
}

/**
 * What a campaign would cost if sent now: who its segment reaches (opted-out numbers excluded), times
 * the parts of its text, at each carrier's price per part. The daily cap may send fewer; nothing sends more.
 */
export async function estimateCampaign(deps: Deps, id: string): Promise<CampaignEstimate> {
  const campaign = await requireCampaign(deps, id);
  const listed = listedPhones(campaign, deps.config.testNumbers);
  const byCarrierCount = listed ? await countListed(deps, listed) : await countSegment(deps, campaign.segmentId);
  const partsPerMessage = campaign.sms.parts;
  const prices = deps.config.prices;

  const byCarrier: Record<string, CarrierEstimate> = {};
  let recipients = 0;
  let cost: number | undefined = 0;
  for (const [carrier, count] of Object.entries(byCarrierCount)) {
    if (count === 0) continue;
    const parts = count * partsPerMessage;
    const pricePerPart = prices?.perPart[carrier] ?? prices?.perPart['*'];
    byCarrier[carrier] = { recipients: count, parts, ...(pricePerPart !== undefined && { pricePerPart, cost: parts * pricePerPart }) };
    recipients += count;
    cost = pricePerPart === undefined || cost === undefined ? undefined : cost + parts * pricePerPart;
  }
  return {
    encoding: campaign.sms.encoding,
    partsPerMessage,
    recipients,
    parts: recipients * partsPerMessage,
    ...(prices && cost !== undefined && { cost, currency: prices.currency }),
    byCarrier,
  };
}

async function countSegment(deps: Deps, segmentId: string): Promise<Record<string, number>> {
  const segment = await deps.store.getSegment(segmentId);
  if (!segment) return {};
  return (await deps.store.countRecipients(await resolveFilter(deps, segment.filter))).byCarrier;
}

async function countListed(deps: Deps, phones: readonly string[]): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const { carrier = 'unknown' } of await listedRecipients(deps, phones)) counts[carrier] = (counts[carrier] ?? 0) + 1;
  return counts;
}
