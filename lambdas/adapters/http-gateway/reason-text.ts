import { maskPhoneNumbers } from '../sns/sns-outcomes.js';
import type { HttpGatewayOptions } from './http-gateway-options.js';

const MAX_REASON_LENGTH = 300;
/** Shorter constants (an SmsType of "2", a flag) are not credentials, and hiding them would garble reasons. */
const SHORTEST_HIDDEN_VALUE = 8;
const PLACEHOLDER = /\{(?:phone|text|unicode|requestId)\}/;

/**
 * Makes text for a reason (kept with the receipt, shown to operators, logged): phone numbers masked,
 * length bounded, and every configured header value and constant field of credential length hidden.
 * The loader resolves `env:NAME` secrets before this adapter sees them, so which values were secrets is
 * no longer known; a provider that echoes its request ("invalid ApiKey ABC...") must not leak them.
 */
export function reasonTextFor(options: HttpGatewayOptions): (text: string) => string {
  const hidden = [...Object.values(options.request.headers), ...Object.values(options.request.fields)]
    .filter((value): value is string => typeof value === 'string' && value.length >= SHORTEST_HIDDEN_VALUE && !PLACEHOLDER.test(value))
    .sort((a, b) => b.length - a.length);
  return (text) => {
    const redacted = hidden.reduce((result, value) => result.split(value).join('***'), text);
    const masked = maskPhoneNumbers(redacted.replace(/\s+/g, ' ').trim());
    return masked.length > MAX_REASON_LENGTH ? `${masked.slice(0, MAX_REASON_LENGTH)}...` : masked;
  };
}
