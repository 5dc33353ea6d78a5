/**
 * End User Messaging SMS events, as the stage's configuration set publishes them to its SNS topic and the
 * topic hands them to the delivery-event queue (raw message delivery: each SQS body is one event; an SNS
 * envelope `{ Type: 'Notification', Message }` is read too). One event, as documented:
 *
 *   {"eventType":"TEXT_DELIVERED","eventVersion":"1.0","eventTimestamp":1686975103470,"isFinal":true,
 *    "originationPhoneNumber":"SOYTE","destinationPhoneNumber":"+8491...","isoCountryCode":"VN",
 *    "mcc":"452","mnc":"02","messageId":"862a8790-...","messageRequestTimestamp":1686975103170,
 *    "messageEncoding":"GSM","messageType":"TRANSACTIONAL","messageStatus":"DELIVERED",
 *    "messageStatusDescription":"Message has been accepted by phone","context":{"loaGateway":"eum", ...},
 *    "totalMessageParts":1,"totalMessagePrice":0.0268,"totalCarrierFee":0.0}
 *
 * Only a final event is a report (`isFinal`; End User Messaging sends an UNKNOWN final one after 72 h
 * without word from the carrier); an intermediate one (PENDING, QUEUED, a carrier retrying) is skipped.
 * The report names its receipt from the `context` the gateway sent (eum-gateway.ts, CONTEXT_KEYS).
 * Nothing is dropped silently: what is not an SMS event comes back in `rejected` with the reason, never
 * with its text (it holds a phone number).
 */
import type { DeliveryReport } from '../../core/ports.js';
import { carrierFromNetworkCode } from '../../core/subscribers/carriers.js';
import { maskPhoneNumbers } from '../sns/sns-outcomes.js';
import { CONTEXT_KEYS } from './eum-gateway.js';

/** The event types the configuration set sends to Loa: every final outcome of an SMS. */
export const DELIVERY_EVENT_TYPES = [
  'TEXT_DELIVERED',
  'TEXT_SUCCESSFUL',
  'TEXT_INVALID',
  'TEXT_INVALID_MESSAGE',
  'TEXT_UNREACHABLE',
  'TEXT_CARRIER_UNREACHABLE',
  'TEXT_BLOCKED',
  'TEXT_CARRIER_BLOCKED',
  'TEXT_SPAM',
  'TEXT_UNKNOWN',
  'TEXT_TTL_EXPIRED',
] as const;

/** messageStatus values that mean the handset (or its carrier, where that is all a country reports) has it. */
const DELIVERED = new Set(['DELIVERED', 'SUCCESSFUL']);
const FAILED = new Set([
  'INVALID',
  'INVALID_MESSAGE',
  'UNREACHABLE',
  'CARRIER_UNREACHABLE',
  'BLOCKED',
  'CARRIER_BLOCKED',
  'SPAM',
  'UNKNOWN',
  'TTL_EXPIRED',
  'PROTECT_BLOCKED',
]);
const INTERMEDIATE = new Set(['PENDING', 'QUEUED']);
const MAX_QUOTED = 40;

export type ParsedEvent = { report: DeliveryReport } | { skipped: string } | { rejected: string };

/** One event (an SQS body). `fallbackGatewayId` names the gateway of an event whose context does not. */
export function parseDeliveryEvent(body: string, fallbackGatewayId: string): ParsedEvent {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return { rejected: 'not JSON' };
  }
  if (isObject(value) && value.Type === 'Notification' && typeof value.Message === 'string') {
    return parseDeliveryEvent(value.Message, fallbackGatewayId);
  }
  if (!isObject(value)) return { rejected: 'not a JSON object' };
  if (typeof value.eventType !== 'string' || !value.eventType.startsWith('TEXT_')) {
    return { rejected: `not an SMS event: eventType ${quote(value.eventType)}` };
  }
  const messageId = value.messageId;
  if (typeof messageId !== 'string' || messageId === '') return { rejected: 'no messageId' };
  const status = value.messageStatus;
  if (typeof status !== 'string') return { rejected: 'no messageStatus' };
  if (value.isFinal === false || INTERMEDIATE.has(status)) return { skipped: `${status} is not final` };
  const at = typeof value.eventTimestamp === 'number' ? new Date(value.eventTimestamp) : undefined;
  if (!at || Number.isNaN(at.getTime())) return { rejected: 'no valid eventTimestamp' };

  const context = isObject(value.context) ? value.context : {};
  const text = (key: string) => (typeof context[key] === 'string' && context[key] !== '' ? (context[key] as string) : undefined);
  const campaignId = text(CONTEXT_KEYS.campaignId);
  const runId = text(CONTEXT_KEYS.runId);
  const phone = text(CONTEXT_KEYS.phone);
  const carrier = carrierFromNetworkCode(value.mcc, value.mnc);
  const reported = {
    gatewayId: text(CONTEXT_KEYS.gatewayId) ?? fallbackGatewayId,
    messageId,
    at: at.toISOString(),
    ...(carrier && { carrier }),
    ...(campaignId && runId && phone && { receipt: { campaignId, runId, phone } }),
  };
  if (DELIVERED.has(status)) return { report: { ...reported, status: 'delivered' } };
  if (FAILED.has(status)) {
    const description = typeof value.messageStatusDescription === 'string' ? value.messageStatusDescription.trim() : '';
    return { report: { ...reported, status: 'failed', error: maskPhoneNumbers(description ? `${status}: ${description}` : status) } };
  }
  return { rejected: `unknown messageStatus ${quote(status)}` };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A value from the event, shortened and with any phone number masked, for a reason. */
function quote(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(value.slice(0, MAX_QUOTED)) : String(value);
  return maskPhoneNumbers(text);
}
