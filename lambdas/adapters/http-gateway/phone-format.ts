import type { HttpGatewayOptions } from './http-gateway-options.js';

const E164 = /^\+[1-9]\d{6,14}$/;
const VIETNAMESE_E164 = /^\+84(\d{9})$/;

/**
 * The number as the provider wants it: 0912345678 (national), 84912345678 (international) or
 * +84912345678 (e164). Undefined when the number is not E.164, or not Vietnamese and the national form
 * is asked for (a national number abroad would reach someone else).
 */
export function phoneInFormat(e164: string, format: HttpGatewayOptions['phoneFormat']): string | undefined {
  if (!E164.test(e164)) return undefined;
  switch (format) {
    case 'e164':
      return e164;
    case 'international':
      return e164.slice(1);
    case 'national': {
      const subscriber = VIETNAMESE_E164.exec(e164)?.[1];
      return subscriber === undefined ? undefined : `0${subscriber}`;
    }
  }
}
