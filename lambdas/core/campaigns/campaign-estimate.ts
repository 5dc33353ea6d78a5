import type { SendingRoute } from '../config.js';
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
  /** The first gateway of the carrier's route; absent when the runtime gave no routes. */
  gatewayId?: string;
  /** That gateway's rate in parts a second; absent when it has none configured. */
  partsPerSecond?: number;
  /** This carrier's parts at that rate, in whole seconds, as if it had the gateway to itself. */
  sendingSeconds?: number;
}

/** The carriers whose messages go through one gateway first, and how long their parts take together. */
export interface GatewayEstimate {
  carriers: string[];
  parts: number;
  partsPerSecond?: number;
  sendingSeconds?: number;
}

export interface CampaignEstimate {
  encoding: SmsEncoding;
  partsPerMessage: number;
  recipients: number;
  parts: number;
  /** Present when every carrier reached has a price (a '*' price covers the others). */
  cost?: number;
  currency?: string;
  /**
   * How long the sending takes at the gateways' configured rates, in whole seconds: the gateways send
   * side by side, so it is the slowest gateway's time, each gateway's time being the parts of all the
   * carriers it takes. Present only when every gateway reached has a known rate. Quiet hours, retries and
   * a gateway failing over are not in it: it is the least the sending takes.
   */
  sendingSeconds?: number;
  byCarrier: Record<string, CarrierEstimate>;
  /** Present when the runtime gave its routes. */
  byGateway?: Record<string, GatewayEstimate>;
}

/**
 * What a campaign would cost if sent now: who its segment reaches (opted-out numbers excluded), times
 * the parts of its text, at each carrier's price per part, and how long its parts take at the rate of
 * the gateway each carrier goes through first. The daily cap may send fewer; nothing sends more.
 */
export async function estimateCampaign(deps: Deps, id: string): Promise<CampaignEstimate> {
  const campaign = await requireCampaign(deps, id);
  const listed = listedPhones(campaign, deps.config.testNumbers);
  const byCarrierCount = listed ? await countListed(deps, listed) : await countSegment(deps, campaign.segmentId);
  const partsPerMessage = campaign.sms.parts;
  const prices = deps.config.prices;
  const routes = deps.config.sendingRoutes;

  const byCarrier: Record<string, CarrierEstimate> = {};
  const byGateway: Record<string, GatewayEstimate> = {};
  let recipients = 0;
  let cost: number | undefined = 0;
  for (const [carrier, count] of Object.entries(byCarrierCount)) {
    if (count === 0) continue;
    const parts = count * partsPerMessage;
    const pricePerPart = prices?.perPart[carrier] ?? prices?.perPart['*'];
    const route = routes && routeOf(routes, carrier);
    const rate = route?.partsPerSecond;
    byCarrier[carrier] = {
      recipients: count,
      parts,
      ...(pricePerPart !== undefined && { pricePerPart, cost: parts * pricePerPart }),
      ...(route && { gatewayId: route.gatewayId }),
      ...(rate !== undefined && { partsPerSecond: rate, sendingSeconds: secondsFor(parts, rate) }),
    };
    if (route) {
      const gateway = byGateway[route.gatewayId] ?? { carriers: [], parts: 0, ...(rate !== undefined && { partsPerSecond: rate }) };
      byGateway[route.gatewayId] = gateway;
      gateway.carriers.push(carrier);
      gateway.parts += parts;
    }
    recipients += count;
    cost = pricePerPart === undefined || cost === undefined ? undefined : cost + parts * pricePerPart;
  }
  for (const gateway of Object.values(byGateway)) {
    if (gateway.partsPerSecond !== undefined) gateway.sendingSeconds = secondsFor(gateway.parts, gateway.partsPerSecond);
  }
  const gateways = Object.values(byGateway);
  const timed = routes !== undefined && recipients > 0 && gateways.every((gateway) => gateway.sendingSeconds !== undefined);
  return {
    encoding: campaign.sms.encoding,
    partsPerMessage,
    recipients,
    parts: recipients * partsPerMessage,
    ...(prices && cost !== undefined && { cost, currency: prices.currency }),
    ...(timed && { sendingSeconds: Math.max(...gateways.map((gateway) => gateway.sendingSeconds ?? 0)) }),
    byCarrier,
    ...(routes && { byGateway }),
  };
}

/** The route a carrier's messages take, as the gateway router picks it: its own, else the '*' one. */
function routeOf(routes: readonly SendingRoute[], carrier: string): SendingRoute | undefined {
  return (
    routes.find((route) => carrier !== 'unknown' && (route.carriers as string[]).includes(carrier)) ??
    routes.find((route) => route.carriers.includes('*'))
  );
}

function secondsFor(parts: number, partsPerSecond: number): number {
  return Math.ceil(parts / partsPerSecond);
}

async function countSegment(deps: Deps, segmentId: string): Promise<Record<string, number>> {
  const segment = await deps.audience.getSegment(segmentId);
  if (!segment) return {};
  return (await deps.audience.countRecipients(await resolveFilter(deps, segment.filter))).byCarrier;
}

async function countListed(deps: Deps, phones: readonly string[]): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const { carrier = 'unknown' } of await listedRecipients(deps, phones)) counts[carrier] = (counts[carrier] ?? 0) + 1;
  return counts;
}
