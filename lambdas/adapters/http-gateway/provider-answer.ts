/**
 * What the provider's answer to a submit means for the message. The HTTP status decides first (429
 * slow down, 5xx the provider may or may not have queued it, any other non-2xx refused); a 2xx answer is
 * a JSON object whose code is looked up in the configured lists, and a code in none of them is a refusal.
 */
import type { SubmitResult } from '../../core/ports.js';
import type { HttpGatewayOptions } from './http-gateway-options.js';
import { isRecord, textAtPath } from './json-path.js';

export interface ProviderAnswer {
  status: number;
  body: string;
}

export function outcomeOfAnswer(
  response: HttpGatewayOptions['response'],
  answer: ProviderAnswer,
  requestId: string,
  reasonText: (text: string) => string,
): SubmitResult {
  const json = parseJson(answer.body);
  const said = reasonText(providerText(json, answer.body, response.messageField));
  const withSaid = (summary: string) => (said === '' ? summary : `${summary}: ${said}`);

  if (answer.status === 429) return { outcome: 'throttled', reason: withSaid('HTTP 429') };
  if (answer.status >= 500) return { outcome: 'transient', uncertain: true, reason: withSaid(`HTTP ${answer.status}`) };
  if (answer.status < 200 || answer.status >= 300) return { outcome: 'permanent', reason: withSaid(`HTTP ${answer.status}`) };
  if (!isRecord(json)) return { outcome: 'permanent', reason: withSaid(`unreadable answer (HTTP ${answer.status}, not a JSON object)`) };

  const code = textAtPath(json, response.codeField);
  if (code === undefined) return { outcome: 'permanent', reason: withSaid(`answer without ${response.codeField}`) };
  if (response.accepted.includes(code) || response.duplicate.includes(code)) {
    // Without an id of the provider's, retrying would only earn a duplicate code: the request id is
    // the best reference there is, and providers that echo it in reports let those reports match.
    return { outcome: 'accepted', messageId: textAtPath(json, response.messageIdField) ?? requestId };
  }
  const reason = withSaid(`${response.codeField} ${code}`);
  if (response.throttled.includes(code)) return { outcome: 'throttled', reason };
  if (response.transient.includes(code)) return { outcome: 'transient', reason };
  return { outcome: 'permanent', reason };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The provider's error message when it gave one, else the start of what it answered. */
function providerText(json: unknown, body: string, messageField: string | undefined): string {
  const message = messageField === undefined ? undefined : textAtPath(json, messageField);
  if (message !== undefined) return message;
  return isRecord(json) ? '' : body;
}
