/**
 * SNS SMS delivery status, as it reaches the ingester Lambda through a CloudWatch Logs subscription filter.
 *
 * With delivery status logging on (SetSMSAttributes: DeliveryStatusIAMRole, and
 * DeliveryStatusSuccessSamplingRate 100, or delivered messages go unreported and end expired), SNS writes
 * one JSON line per SMS to the log groups `sns/<region>/<account>/DirectPublishToPhoneNumber` (successes)
 * and `.../DirectPublishToPhoneNumber/Failure` (failures):
 *
 *   {"notification":{"messageId":"0eb79b44-...","timestamp":"2022-03-08 19:05:32.271"},
 *    "delivery":{"numberOfMessageParts":1,"destination":"+8491...","priceInUSD":0.02,"smsType":"Transactional",
 *                "phoneCarrier":"...","mcc":452,"mnc":4,"providerResponse":"Message has been accepted by phone",
 *                "dwellTimeMs":105,"dwellTimeMsUntilDeviceAck":336},
 *    "status":"SUCCESS"}
 *
 * `notification.messageId` is the MessageId Publish returned, so it is the report's message id; the report's
 * time is the log event's timestamp (when SNS logged the outcome), else `notification.timestamp` (UTC).
 * The subscription delivers `{ awslogs: { data } }`, data being base64 of the gzipped
 * `{ messageType, owner, logGroup, logStream, subscriptionFilters, logEvents: [{ id, timestamp, message }] }`;
 * a CONTROL_MESSAGE (sent once when the filter is created) carries no delivery status.
 *
 * Nothing is dropped silently: a line that is not a delivery status comes back in `rejected` with its log
 * event id and the reason, never with its text (it holds a phone number).
 */
import { gunzipSync } from 'node:zlib';
import type { CloudWatchLogsEvent } from 'aws-lambda';
import type { DeliveryReport } from '../../core/ports.js';
import { carrierFromNetworkCode } from '../../core/subscribers/carriers.js';
import { DeliveryLogEventError } from './errors.js';
import { SNS_GATEWAY_ID } from './sns-gateway.js';
import { maskPhoneNumbers } from './sns-outcomes.js';

export interface RejectedLogLine {
  /** The CloudWatch Logs event id of the line. */
  logEventId: string;
  reason: string;
  /** The SNS message id, when the line had a readable one. */
  messageId?: string;
}

export interface DeliveryLogReports {
  logGroup: string;
  reports: DeliveryReport[];
  rejected: RejectedLogLine[];
}

interface LogEvent {
  id: string;
  timestamp: number;
  message: string;
}

const MAX_REASON_VALUE = 60;

/**
 * The delivery reports in one CloudWatch Logs subscription event. Throws DeliveryLogEventError only when the
 * event as a whole cannot be read; every unreadable line is returned in `rejected`.
 */
export function deliveryReportsFromLogsEvent(event: CloudWatchLogsEvent, gatewayId: string = SNS_GATEWAY_ID): DeliveryLogReports {
  const data = decodeLogsData(event);
  const logGroup = typeof data.logGroup === 'string' ? data.logGroup : '';
  if (data.messageType === 'CONTROL_MESSAGE') return { logGroup, reports: [], rejected: [] };
  if (data.messageType !== 'DATA_MESSAGE') {
    throw new DeliveryLogEventError(`Unknown CloudWatch Logs messageType ${quote(data.messageType)}`);
  }
  if (!Array.isArray(data.logEvents)) throw new DeliveryLogEventError('CloudWatch Logs event without logEvents');

  const reports: DeliveryReport[] = [];
  const rejected: RejectedLogLine[] = [];
  data.logEvents.forEach((candidate: unknown, index: number) => {
    const logEvent = asLogEvent(candidate);
    if (!logEvent) {
      const id = (candidate as { id?: unknown } | null)?.id;
      rejected.push({ logEventId: typeof id === 'string' ? id : `#${index}`, reason: 'log event without id, timestamp or message' });
      return;
    }
    const parsed = deliveryReportFromLogLine(logEvent.message, logEvent.timestamp, gatewayId);
    if ('report' in parsed) reports.push(parsed.report);
    else rejected.push({ logEventId: logEvent.id, reason: parsed.reason, ...(parsed.messageId && { messageId: parsed.messageId }) });
  });
  return { logGroup, reports, rejected };
}

/**
 * One delivery status line. `loggedAt` (epoch ms, the log event's timestamp) is the report's time when
 * given and valid.
 */
export function deliveryReportFromLogLine(
  line: string,
  loggedAt: number | undefined,
  gatewayId: string = SNS_GATEWAY_ID,
): { report: DeliveryReport } | { reason: string; messageId?: string } {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { reason: 'not JSON' };
  }
  if (!isObject(value)) return { reason: 'not a JSON object' };
  const notification = isObject(value.notification) ? value.notification : undefined;
  const messageId = notification?.messageId;
  if (typeof messageId !== 'string' || messageId === '') return { reason: 'no notification.messageId' };

  const at = reportTime(loggedAt, notification?.timestamp);
  if (!at) return { reason: 'no valid timestamp', messageId };

  const delivery = isObject(value.delivery) ? value.delivery : {};
  const carrier = carrierFromNetworkCode(delivery.mcc, delivery.mnc);
  const reported = { gatewayId, messageId, at, ...(carrier && { carrier }) };
  switch (value.status) {
    case 'SUCCESS':
      return { report: { ...reported, status: 'delivered' } };
    case 'FAILURE': {
      const response = delivery.providerResponse;
      const error =
        typeof response === 'string' && response.trim() !== '' ? maskPhoneNumbers(response) : 'FAILURE without providerResponse';
      return { report: { ...reported, status: 'failed', error } };
    }
    default:
      return { reason: `unknown status ${quote(value.status)}`, messageId };
  }
}

function decodeLogsData(event: CloudWatchLogsEvent): Record<string, unknown> {
  const data = (event as { awslogs?: { data?: unknown } } | undefined)?.awslogs?.data;
  if (typeof data !== 'string' || data === '') throw new DeliveryLogEventError('Not a CloudWatch Logs event: no awslogs.data');
  let text: string;
  try {
    text = gunzipSync(Buffer.from(data, 'base64')).toString('utf8');
  } catch (error) {
    throw new DeliveryLogEventError('awslogs.data is not base64 of gzip', { cause: error });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new DeliveryLogEventError('awslogs.data does not hold JSON', { cause: error });
  }
  if (!isObject(parsed)) throw new DeliveryLogEventError('awslogs.data does not hold a JSON object');
  return parsed;
}

function asLogEvent(value: unknown): LogEvent | undefined {
  if (!isObject(value)) return undefined;
  const { id, timestamp, message } = value;
  if (typeof id !== 'string' || typeof message !== 'string' || typeof timestamp !== 'number') return undefined;
  return { id, timestamp, message };
}

/** The log event's time, else SNS's `yyyy-mm-dd hh:mm:ss.SSS` (UTC) or an ISO timestamp. */
function reportTime(loggedAt: number | undefined, snsTimestamp: unknown): string | undefined {
  if (loggedAt !== undefined && Number.isFinite(loggedAt) && loggedAt > 0) {
    const at = new Date(loggedAt);
    if (!Number.isNaN(at.getTime())) return at.toISOString();
  }
  if (typeof snsTimestamp !== 'string') return undefined;
  const sns = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?)$/.exec(snsTimestamp);
  const ms = sns
    ? Date.parse(`${sns[1]}T${sns[2]}Z`)
    : /^\d{4}-\d{2}-\d{2}T.*(Z|[+-]\d{2}:\d{2})$/.test(snsTimestamp)
      ? Date.parse(snsTimestamp)
      : NaN;
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A value from the line, shortened and with any phone number masked, for a reason. */
function quote(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(value.slice(0, MAX_REASON_VALUE)) : String(value);
  return maskPhoneNumbers(text);
}
