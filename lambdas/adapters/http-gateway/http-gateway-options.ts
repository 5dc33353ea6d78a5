/**
 * The settings of one HTTP SMS gateway (an eSMS-style aggregator), as the configuration loader hands
 * them over once `env:NAME` secrets are resolved: plain data, so that a new provider is configuration,
 * not code.
 */
export interface HttpGatewayOptions {
  /** The gateway's id in receipts, metrics and delivery reports. */
  id: string;
  /** Message parts a second the provider accepts; the caller's rate limiter spends one token a part. */
  tps?: number;
  /** Per request, answer included. */
  timeoutMs: number;
  /** Extra attempts inside one submit, only after a transient failure, with backoff and jitter. */
  retries: number;
  retryBaseMs: number;
  /** How the provider wants the number: 0912345678 | 84912345678 | +84912345678. */
  phoneFormat: 'national' | 'international' | 'e164';
  request: {
    url: string;
    method: 'POST' | 'GET';
    headers: Record<string, string>;
    /** For GET the fields go in the query string whatever this says. */
    body: 'json' | 'form';
    /**
     * String values may hold {phone} {text} {unicode} {requestId}; a value that is exactly "{unicode}"
     * becomes the typed value of `unicodeValues`, as JSON APIs that want a number need.
     */
    fields: Record<string, string | number | boolean>;
  };
  /** What {unicode} becomes for GSM-7 and for UCS-2 text, e.g. [0, 1]. */
  unicodeValues: [no: string | number, yes: string | number];
  response: {
    /** Dotted path into the JSON answer, e.g. "CodeResult". */
    codeField: string;
    /** Codes meaning queued, compared as strings. */
    accepted: string[];
    /** Codes meaning "already have this request id": the message was queued by an earlier attempt. */
    duplicate: string[];
    throttled: string[];
    /** Codes meaning "not now" from a provider that did not take the message. */
    transient: string[];
    /** Dotted path to the provider's message id, e.g. "SMSID". */
    messageIdField: string;
    /** Dotted path to the provider's error text, e.g. "ErrorMessage". */
    messageField?: string;
  };
  deliveryReports?: {
    auth:
      | { type: 'secret'; header: string; secret: string }
      /** For a provider that cannot add a header (eSMS calls back with GET): the secret in the callback URL's query. */
      | { type: 'token'; param: string; secret: string }
      | { type: 'hmac'; header: string; secret: string; algorithm: 'sha256' | 'sha1'; encoding: 'hex' | 'base64' };
    /** Dotted paths into each report object. */
    messageIdField: string;
    statusField: string;
    /** Status values meaning delivered; compared as strings. */
    delivered: string[];
    /** Status values meaning failed; any other status is intermediate and skipped. */
    failed: string[];
    errorField?: string;
    /** A carrier name as people write it ("Viettel", "VNPT"), read with parseCarrier. */
    carrierField?: string;
    /** ISO, or a provider date without zone read as Vietnam time; the report's arrival when absent. */
    timeField?: string;
  };
}
