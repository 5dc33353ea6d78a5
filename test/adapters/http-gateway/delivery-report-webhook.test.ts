import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { readDeliveryReportWebhook } from '../../../lambdas/adapters/http-gateway/delivery-report-webhook.js';
import type { HttpGatewayOptions } from '../../../lambdas/adapters/http-gateway/http-gateway-options.js';
import { ESMS_WEBHOOK_TOKEN, esmsOptions } from './esms-options.js';

const NOW = new Date('2025-07-05T03:00:00.000Z');
const HMAC_SECRET = 'hmac-secret-for-tests-9d2f';
const HEADER_SECRET = 'loa-webhook-3c9e81f0a2b64d57';

const esms = esmsOptions('https://rest.esms.vn');

/** A provider that posts JSON reports signed with an HMAC of the body, with every optional field. */
function signedOptions(auth: Partial<{ algorithm: 'sha256' | 'sha1'; encoding: 'hex' | 'base64' }> = {}): HttpGatewayOptions {
  return {
    ...esms,
    id: 'signed',
    deliveryReports: {
      auth: { type: 'hmac', header: 'X-Signature', secret: HMAC_SECRET, algorithm: 'sha256', encoding: 'hex', ...auth },
      messageIdField: 'message.id',
      statusField: 'status',
      delivered: ['DELIVRD'],
      failed: ['UNDELIV', 'REJECTD', 'EXPIRED'],
      errorField: 'error',
      carrierField: 'network',
      timeField: 'doneAt',
    },
  };
}

function signature(body: string, algorithm: 'sha256' | 'sha1' = 'sha256', encoding: 'hex' | 'base64' = 'hex'): string {
  return createHmac(algorithm, HMAC_SECRET).update(body, 'utf8').digest(encoding);
}

function signed(body: string) {
  return { query: {}, headers: { 'x-signature': signature(body) }, body };
}

/** eSMS's callback query string for one customer-care message. */
function esmsCallback(smsId: string, sendSuccess: '0' | '1'): string {
  const sendFailed = sendSuccess === '1' ? '0' : '1';
  return (
    `SMSID=${smsId}&SendFailed=${sendFailed}&SendStatus=5&SendSuccess=${sendSuccess}` +
    '&TotalPrice=0.0000&TotalReceiver=1&TotalSent=1&RequestId=&TypeId=2&telcoid=1&phonenumber=0912345678'
  );
}

/** eSMS's GET callback, as the route hands it on: the query with the token of the CallbackUrl, no body. */
function esmsGet(smsId: string, sendSuccess: '0' | '1', token: string | null = ESMS_WEBHOOK_TOKEN) {
  const query: Record<string, string> = Object.fromEntries(new URLSearchParams(esmsCallback(smsId, sendSuccess)));
  return { headers: {}, body: '', query: token === null ? query : { ...query, token } };
}

/** A provider that posts form-encoded reports with a shared secret in a header. */
const headerSecret: HttpGatewayOptions = {
  ...esms,
  id: 'posting',
  deliveryReports: { ...esms.deliveryReports!, auth: { type: 'secret', header: 'X-Loa-Webhook-Secret', secret: HEADER_SECRET } },
};

describe('readDeliveryReportWebhook with the eSMS configuration (GET, token in the query)', () => {
  it("reads eSMS's callback query with the right token", () => {
    expect(readDeliveryReportWebhook(esms, esmsGet('dc712784-9c5f', '1'), NOW)).toEqual({
      ok: true,
      reports: [{ gatewayId: 'esms', messageId: 'dc712784-9c5f', status: 'delivered', at: NOW.toISOString() }],
    });
  });

  it('reads SendSuccess 0 as failed, with the status as the error', () => {
    expect(readDeliveryReportWebhook(esms, esmsGet('a1', '0'), NOW)).toEqual({
      ok: true,
      reports: [{ gatewayId: 'esms', messageId: 'a1', status: 'failed', error: 'SendSuccess 0', at: NOW.toISOString() }],
    });
  });

  it('refuses a wrong or missing token with 401, without saying what was expected', () => {
    expect(readDeliveryReportWebhook(esms, esmsGet('a1', '1', 'guess'), NOW)).toEqual({ ok: false, status: 401, detail: 'wrong token' });
    expect(readDeliveryReportWebhook(esms, esmsGet('a1', '1', null), NOW)).toEqual({
      ok: false,
      status: 401,
      detail: 'no token in the query',
    });
  });

  it('refuses with 422 a gateway that takes no delivery reports', () => {
    const { deliveryReports: _, ...withoutReports } = esms;

    const result = readDeliveryReportWebhook(withoutReports, esmsGet('a1', '1'), NOW);

    expect(result).toMatchObject({ ok: false, status: 422, detail: expect.stringContaining('not configured') });
  });
});

describe('readDeliveryReportWebhook with a shared secret in a header', () => {
  it('reads a form-encoded body with the right secret, whatever the case of the header name', () => {
    const result = readDeliveryReportWebhook(
      headerSecret,
      { query: {}, headers: { 'x-loa-webhook-secret': HEADER_SECRET }, body: esmsCallback('dc712784-9c5f', '1') },
      NOW,
    );

    expect(result).toEqual({
      ok: true,
      reports: [{ gatewayId: 'posting', messageId: 'dc712784-9c5f', status: 'delivered', at: NOW.toISOString() }],
    });
  });

  it('refuses a wrong secret with 401, without saying what was expected', () => {
    const result = readDeliveryReportWebhook(
      headerSecret,
      { query: {}, headers: { 'X-Loa-Webhook-Secret': 'guess' }, body: esmsCallback('a1', '1') },
      NOW,
    );

    expect(result).toEqual({ ok: false, status: 401, detail: 'wrong X-Loa-Webhook-Secret' });
  });

  it('refuses a request without the secret header with 401', () => {
    const result = readDeliveryReportWebhook(
      headerSecret,
      { query: {}, headers: { 'content-type': 'text/plain' }, body: esmsCallback('a1', '1') },
      NOW,
    );

    expect(result).toEqual({ ok: false, status: 401, detail: 'no X-Loa-Webhook-Secret header' });
  });
});

describe('readDeliveryReportWebhook with an HMAC over the body', () => {
  it('accepts a body whose signature matches, computed over the raw text as sent', () => {
    const body = '{ "message": { "id": "m-1" },\n  "status": "DELIVRD" }';

    const result = readDeliveryReportWebhook(signedOptions(), signed(body), NOW);

    expect(result).toEqual({ ok: true, reports: [{ gatewayId: 'signed', messageId: 'm-1', status: 'delivered', at: NOW.toISOString() }] });
  });

  it('accepts an upper-case hex signature', () => {
    const body = '{"message":{"id":"m-1"},"status":"DELIVRD"}';

    const result = readDeliveryReportWebhook(
      signedOptions(),
      { query: {}, headers: { 'X-Signature': signature(body).toUpperCase() }, body },
      NOW,
    );

    expect(result.ok).toBe(true);
  });

  it('refuses with 401 a body changed after signing, even into the same JSON', () => {
    const original = '{"message":{"id":"m-1"},"status":"DELIVRD"}';
    const reformatted = '{"message": {"id": "m-1"}, "status": "DELIVRD"}';

    const result = readDeliveryReportWebhook(
      signedOptions(),
      { query: {}, headers: { 'X-Signature': signature(original) }, body: reformatted },
      NOW,
    );

    expect(result).toEqual({ ok: false, status: 401, detail: 'X-Signature is not the signature of the body' });
  });

  it('checks a SHA-1 signature in base64', () => {
    const options = signedOptions({ algorithm: 'sha1', encoding: 'base64' });
    const body = '{"message":{"id":"m-1"},"status":"DELIVRD"}';

    const good = readDeliveryReportWebhook(
      options,
      { query: {}, headers: { 'X-Signature': signature(body, 'sha1', 'base64') }, body },
      NOW,
    );
    const bad = readDeliveryReportWebhook(
      options,
      { query: {}, headers: { 'X-Signature': signature(body, 'sha256', 'base64') }, body },
      NOW,
    );

    expect(good.ok).toBe(true);
    expect(bad).toMatchObject({ ok: false, status: 401 });
  });

  it('reads a JSON array of reports, skipping intermediate statuses, mapping carriers and times', () => {
    const body = JSON.stringify([
      { message: { id: 'm-1' }, status: 'DELIVRD', network: 'VNPT', doneAt: '2025-07-05T02:15:00Z' },
      { message: { id: 'm-2' }, status: 'ENROUTE', network: 'Viettel' },
      { message: { id: 'm-3' }, status: 'UNDELIV', error: 'absent subscriber 0987654321', network: 'Mobi', doneAt: '2025-07-05 09:20:00' },
      { message: { id: 'm-4' }, status: 'EXPIRED', network: 'Some MVNO', doneAt: 'yesterday' },
      { message: { id: 5 }, status: 'DELIVRD', doneAt: '05/07/2025 09:30:15' },
    ]);

    const result = readDeliveryReportWebhook(signedOptions(), signed(body), NOW);

    expect(result).toEqual({
      ok: true,
      reports: [
        { gatewayId: 'signed', messageId: 'm-1', status: 'delivered', carrier: 'vinaphone', at: '2025-07-05T02:15:00.000Z' },
        {
          gatewayId: 'signed',
          messageId: 'm-3',
          status: 'failed',
          error: 'absent subscriber ********321',
          carrier: 'mobifone',
          at: '2025-07-05T02:20:00.000Z',
        },
        { gatewayId: 'signed', messageId: 'm-4', status: 'failed', error: 'status EXPIRED', at: NOW.toISOString() },
        { gatewayId: 'signed', messageId: '5', status: 'delivered', at: '2025-07-05T02:30:15.000Z' },
      ],
    });
  });

  it('refuses the whole batch with 422 when one report has no status, naming the field', () => {
    const body = JSON.stringify([
      { message: { id: 'm-1' }, status: 'DELIVRD' },
      { message: { id: 'm-2' } },
      { message: { id: 'm-3' }, status: 'DELIVRD' },
    ]);

    const result = readDeliveryReportWebhook(signedOptions(), signed(body), NOW);

    expect(result).toEqual({ ok: false, status: 422, detail: 'report 2 of 3 has no status' });
  });

  it('refuses with 422 a report without a message id, naming the field', () => {
    const result = readDeliveryReportWebhook(signedOptions(), signed('{"message":{"id":""},"status":"DELIVRD"}'), NOW);

    expect(result).toEqual({ ok: false, status: 422, detail: 'the report has no message.id' });
  });

  it('refuses with 422 a body that starts as JSON and is not', () => {
    const result = readDeliveryReportWebhook(signedOptions(), signed('{"message":'), NOW);

    expect(result).toEqual({ ok: false, status: 422, detail: 'the body is not valid JSON' });
  });

  it('refuses with 422 an array holding something other than report objects', () => {
    const result = readDeliveryReportWebhook(signedOptions(), signed('[{"message":{"id":"m-1"},"status":"DELIVRD"}, 7]'), NOW);

    expect(result).toEqual({ ok: false, status: 422, detail: 'report 2 of 2 is not a JSON object' });
  });

  it('reads a form-encoded report whose keys hold the dots of the paths', () => {
    const body = 'message.id=m-9&status=REJECTD&error=blocked+brandname';

    const result = readDeliveryReportWebhook(signedOptions(), signed(body), NOW);

    expect(result).toEqual({
      ok: true,
      reports: [{ gatewayId: 'signed', messageId: 'm-9', status: 'failed', error: 'blocked brandname', at: NOW.toISOString() }],
    });
  });
});
