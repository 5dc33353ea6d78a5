/**
 * A provider's delivery-report callback, read into DeliveryReports. The body is one JSON report, a JSON
 * array of them, or one report form-encoded; without a body (a provider calling back with GET), the query
 * string is the report. A batch is taken whole or not at all, so that the provider's retry of a refused
 * batch brings back every report of it.
 *
 * Answering fast, and the same way to a repeat, is the caller's part: the store ignores a report for a
 * receipt that is already final.
 */
import type { DeliveryReport } from '../../core/ports.js';
import { parseCarrier } from '../../core/subscribers/carriers.js';
import type { HttpGatewayOptions } from './http-gateway-options.js';
import { isRecord, textAtPath } from './json-path.js';
import { parseProviderTime } from './provider-time.js';
import { reasonTextFor } from './reason-text.js';
import { webhookAuthFailure, type WebhookAuth } from './webhook-authentication.js';

export interface WebhookRequest {
  headers: Record<string, string | undefined>;
  /** The body exactly as received: an HMAC is computed over it. */
  body: string;
  query: Record<string, string | undefined>;
}

export type DeliveryReportWebhookResult = { ok: true; reports: DeliveryReport[] } | { ok: false; status: 401 | 422; detail: string };

export function readDeliveryReportWebhook(options: HttpGatewayOptions, request: WebhookRequest, now: Date): DeliveryReportWebhookResult {
  const settings = options.deliveryReports;
  if (!settings) return refused(422, `gateway ${options.id} takes no delivery reports (not configured)`);
  const authFailure = webhookAuthFailure(settings.auth, request);
  if (authFailure !== undefined) return refused(401, authFailure);

  const records = request.body.trim() === '' ? [queryReport(request.query, settings.auth)] : reportRecords(request.body);
  if (typeof records === 'string') return refused(422, records);

  const errorText = reasonTextFor(options);
  const reports: DeliveryReport[] = [];
  for (const [index, record] of records.entries()) {
    const which = records.length === 1 ? 'the report' : `report ${index + 1} of ${records.length}`;
    const messageId = textAtPath(record, settings.messageIdField);
    if (messageId === undefined) return refused(422, `${which} has no ${settings.messageIdField}`);
    const status = textAtPath(record, settings.statusField);
    if (status === undefined) return refused(422, `${which} has no ${settings.statusField}`);

    const delivered = settings.delivered.includes(status);
    if (!delivered && !settings.failed.includes(status)) continue;
    const carrierName = settings.carrierField === undefined ? undefined : textAtPath(record, settings.carrierField);
    const carrier = carrierName === undefined ? undefined : parseCarrier(carrierName);
    const at = parseProviderTime(settings.timeField === undefined ? undefined : textAtPath(record, settings.timeField)) ?? now;
    const error = settings.errorField === undefined ? undefined : textAtPath(record, settings.errorField);
    reports.push({
      gatewayId: options.id,
      messageId,
      at: at.toISOString(),
      ...(carrier && { carrier }),
      ...(delivered
        ? { status: 'delivered' as const }
        : { status: 'failed' as const, error: errorText(error ?? `${settings.statusField} ${status}`) }),
    });
  }
  return { ok: true, reports };
}

function refused(status: 401 | 422, detail: string): DeliveryReportWebhookResult {
  return { ok: false, status, detail };
}

/** The report in a GET callback's query, without the token that authenticated it. */
function queryReport(query: WebhookRequest['query'], auth: WebhookAuth): Record<string, unknown> {
  const report: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined && !(auth.type === 'token' && name === auth.param)) report[name] = value;
  }
  return report;
}

/** The report objects of the body, or why there are none. */
function reportRecords(body: string): Record<string, unknown>[] | string {
  const text = body.trim();
  if (!text.startsWith('{') && !text.startsWith('[')) return [Object.fromEntries(new URLSearchParams(text))];
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return 'the body is not valid JSON';
  }
  const list: unknown[] = Array.isArray(parsed) ? parsed : [parsed];
  const notObject = list.findIndex((item) => !isRecord(item));
  if (notObject >= 0) return `report ${notObject + 1} of ${list.length} is not a JSON object`;
  return list as Record<string, unknown>[];
}
