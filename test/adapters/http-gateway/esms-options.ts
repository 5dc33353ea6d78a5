/**
 * A working configuration for eSMS (developers.esms.vn), the JSON aggregator of GUIDE.md section 2, as
 * the configuration loader hands it to HttpGateway once secrets are resolved. In the configuration file
 * the credentials are `env:ESMS_API_KEY`, `env:ESMS_SECRET_KEY`, `env:ESMS_CALLBACK_URL` and
 * `env:ESMS_WEBHOOK_TOKEN`.
 *
 * Submit: SendMultipleMessage_V4_post_json with one phone a request, SmsType 2 (customer care, from a
 * registered brandname). CodeResult 100 is queued, 124 a RequestId eSMS already has; 99 is counted as
 * transient, the safe side: older eSMS tables call it an unknown error, the current one "number blocked
 * in the system". Every other code (101 wrong keys, 103 no balance, 104 unknown brandname, 108 bad
 * number, ...) is a refusal. eSMS documents every field as a string, IsUnicode included.
 *
 * Delivery reports: eSMS calls the CallbackUrl with GET once a message's status is final (retrying up to
 * 5 times), the report in the query string: SMSID, SendStatus, SendSuccess, SendFailed, RequestId,
 * telcoid, phonenumber. SendStatus describes eSMS's processing of the request, not the handset: its
 * documented sample has SendStatus=5 ("sent") with SendFailed=2 and SendSuccess=0. With one phone a
 * request the outcome is SendSuccess: 1 delivered, 0 failed. telcoid is a number (1 Viettel, 2 MobiFone,
 * 3 VinaPhone, ...) that parseCarrier does not read, so no carrier is taken from the report, and there is
 * no time field: a report is dated when it arrives.
 *
 * eSMS sends no header of its own and signs nothing: the CallbackUrl carries a token in its query, which
 * GET /v1/dlr/esms checks and leaves out of the report.
 */
import type { HttpGatewayOptions } from '../../../lambdas/adapters/http-gateway/http-gateway-options.js';

export const ESMS_API_KEY = 'A1B2C3D4E5F6A7B8C9D0E1F2A3B4C5';
export const ESMS_SECRET_KEY = 'F0E1D2C3B4A5968778695A4B3C2D1E';
export const ESMS_WEBHOOK_TOKEN = 'loa-webhook-7f3a9c2e51d84b06';
export const ESMS_BRANDNAME = 'UBNDDONGNAI';
export const ESMS_CALLBACK_URL = `https://loa.example.org/v1/dlr/esms?token=${ESMS_WEBHOOK_TOKEN}`;

export function esmsOptions(baseUrl: string): HttpGatewayOptions {
  return {
    id: 'esms',
    tps: 30,
    timeoutMs: 10_000,
    retries: 2,
    retryBaseMs: 500,
    phoneFormat: 'national',
    request: {
      url: `${baseUrl}/MainService.svc/json/SendMultipleMessage_V4_post_json/`,
      method: 'POST',
      headers: {},
      body: 'json',
      fields: {
        ApiKey: ESMS_API_KEY,
        SecretKey: ESMS_SECRET_KEY,
        Phone: '{phone}',
        Content: '{text}',
        Brandname: ESMS_BRANDNAME,
        SmsType: '2',
        IsUnicode: '{unicode}',
        RequestId: '{requestId}',
        CallbackUrl: ESMS_CALLBACK_URL,
      },
    },
    unicodeValues: ['0', '1'],
    response: {
      codeField: 'CodeResult',
      accepted: ['100'],
      duplicate: ['124'],
      throttled: [],
      transient: ['99'],
      messageIdField: 'SMSID',
      messageField: 'ErrorMessage',
    },
    deliveryReports: {
      auth: { type: 'token', param: 'token', secret: ESMS_WEBHOOK_TOKEN },
      messageIdField: 'SMSID',
      statusField: 'SendSuccess',
      delivered: ['1'],
      failed: ['0'],
    },
  };
}
