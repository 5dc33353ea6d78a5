import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HttpGatewayConfigError } from '../../../lambdas/adapters/http-gateway/errors.js';
import { HttpGateway } from '../../../lambdas/adapters/http-gateway/http-gateway.js';
import type { HttpGatewayOptions } from '../../../lambdas/adapters/http-gateway/http-gateway-options.js';
import type { OutgoingSms } from '../../../lambdas/core/ports.js';
import { ESMS_API_KEY, ESMS_BRANDNAME, ESMS_CALLBACK_URL, ESMS_SECRET_KEY, esmsOptions } from './esms-options.js';
import { FakeProvider, refusingBaseUrl } from './fake-provider.js';

const PHONE = '+84912345678';
const VIETNAMESE = 'Thông báo: khu phố 3 phường Tân Đông Hiệp cắt điện từ 8h đến 11h ngày 5/7.'.normalize('NFC');
const WITHOUT_DIACRITICS = 'Thong bao: khu pho 3 phuong Tan Dong Hiep cat dien tu 8h den 11h ngay 5/7.';

let provider: FakeProvider;
let delays: number[];

beforeEach(async () => {
  provider = await FakeProvider.start();
  delays = [];
});
afterEach(() => provider.stop());

function recordSleep(ms: number): Promise<void> {
  delays.push(ms);
  return Promise.resolve();
}

/** Each retry waits the whole of its backoff ceiling, so a test knows every wait. */
const LONGEST_JITTER = () => 1;

function esmsGateway(overrides: Partial<HttpGatewayOptions> = {}): HttpGateway {
  return new HttpGateway({ ...esmsOptions(provider.baseUrl), ...overrides }, fetch, recordSleep, LONGEST_JITTER);
}

function anSms(overrides: Partial<OutgoingSms> = {}): OutgoingSms {
  return { reference: `cmp_1:run_1:${PHONE}`, to: PHONE, text: WITHOUT_DIACRITICS, encoding: 'GSM-7', ...overrides };
}

function requestIds(): unknown[] {
  return provider.jsonBodies().map((body) => body.RequestId);
}

describe('HttpGateway with the eSMS configuration: the request', () => {
  it('posts the message as eSMS wants it: national number, NFC text, IsUnicode 1 for Vietnamese with diacritics', async () => {
    expect(VIETNAMESE.normalize('NFD')).not.toBe(VIETNAMESE);

    const result = await esmsGateway().submit(anSms({ text: VIETNAMESE.normalize('NFD'), encoding: 'UCS-2' }));

    expect(result).toEqual({ outcome: 'accepted', messageId: 'sms-1' });
    expect(provider.requests).toHaveLength(1);
    const [request] = provider.requests;
    expect(request?.method).toBe('POST');
    expect(request?.url).toBe('/MainService.svc/json/SendMultipleMessage_V4_post_json/');
    expect(request?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(request?.body ?? '')).toEqual({
      ApiKey: ESMS_API_KEY,
      SecretKey: ESMS_SECRET_KEY,
      Phone: '0912345678',
      Content: VIETNAMESE,
      Brandname: ESMS_BRANDNAME,
      SmsType: '2',
      IsUnicode: '1',
      RequestId: expect.stringMatching(/^[0-9a-f]{32}$/),
      CallbackUrl: ESMS_CALLBACK_URL,
    });
  });

  it('sends IsUnicode 0 for text without diacritics', async () => {
    await esmsGateway().submit(anSms({ text: WITHOUT_DIACRITICS, encoding: 'GSM-7' }));

    expect(provider.jsonBodies()[0]).toMatchObject({ Content: WITHOUT_DIACRITICS, IsUnicode: '0' });
  });

  it('gives the same message the same RequestId every time, even from another gateway instance, and another message another', async () => {
    await esmsGateway().submit(anSms());
    await esmsGateway().submit(anSms());
    await esmsGateway().submit(anSms({ reference: 'cmp_1:run_2:+84912345678' }));

    const [first, second, other] = requestIds();
    expect(second).toBe(first);
    expect(other).not.toBe(first);
  });

  it('keeps connections alive: consecutive messages do not each open one', async () => {
    const gateway = esmsGateway();

    for (let index = 0; index < 6; index += 1) {
      await gateway.submit(anSms({ reference: `cmp_1:run_1:+8491234567${index}`, to: `+8491234567${index}` }));
    }

    expect(provider.requests).toHaveLength(6);
    // Node's fetch frees a connection a moment after the answer is read, so the second message opens a
    // second connection; from then on the two are reused.
    expect(provider.connections).toBeLessThanOrEqual(2);
  });

  it('refuses, without calling the provider, a number the national format cannot write, and masks it', async () => {
    const result = await esmsGateway().submit(anSms({ to: '+14155550123' }));

    expect(result.outcome).toBe('permanent');
    expect(JSON.stringify(result)).not.toContain('4155550123');
    expect(provider.requests).toHaveLength(0);
  });

  it('offers the provider rate as message parts a second', () => {
    const gateway = esmsGateway({ tps: 12 });

    expect(gateway.id).toBe('esms');
    expect(gateway.messagesPerSecond).toBe(12);
  });
});

describe('HttpGateway with the eSMS configuration: the answer', () => {
  it('counts 124 (duplicate RequestId) as accepted, with the SMSID when eSMS gives one', async () => {
    provider.answerWith({ json: { CodeResult: '124', SMSID: 'c2a1-77', ErrorMessage: 'Duplicate RequestId' } });

    expect(await esmsGateway().submit(anSms())).toEqual({ outcome: 'accepted', messageId: 'c2a1-77' });
  });

  it('counts 124 without an SMSID as accepted under the RequestId sent', async () => {
    provider.answerWith({ json: { CodeResult: '124', ErrorMessage: 'Duplicate RequestId' } });

    const result = await esmsGateway().submit(anSms());

    expect(result).toEqual({ outcome: 'accepted', messageId: requestIds()[0] });
  });

  it('retries a transient code with backoff, under the same RequestId, until accepted', async () => {
    provider.answerWith({ json: { CodeResult: '99', ErrorMessage: 'Unknown error' } });

    const result = await esmsGateway({ retries: 2, retryBaseMs: 500 }).submit(anSms());

    expect(result).toEqual({ outcome: 'accepted', messageId: 'sms-2' });
    expect(provider.requests).toHaveLength(2);
    expect(new Set(requestIds()).size).toBe(1);
    expect(delays).toEqual([500]);
  });

  it('gives up after the configured retries with a definite transient failure', async () => {
    const unknownError = { json: { CodeResult: '99', ErrorMessage: 'Unknown error' } };
    provider.answerWith(unknownError, unknownError, unknownError);

    const result = await esmsGateway({ retries: 2, retryBaseMs: 500 }).submit(anSms());

    expect(result).toStrictEqual({ outcome: 'transient', reason: 'CodeResult 99: Unknown error' });
    expect(provider.requests).toHaveLength(3);
    expect(delays).toEqual([500, 1_000]);
  });

  it('does not retry a refusal, and keeps keys and phone numbers the provider echoes out of the reason', async () => {
    provider.answerWith({
      json: { CodeResult: '101', ErrorMessage: `ApiKey ${ESMS_API_KEY} or SecretKey wrong, phone 0912345678` },
    });

    const result = await esmsGateway().submit(anSms());

    expect(result).toEqual({ outcome: 'permanent', reason: 'CodeResult 101: ApiKey *** or SecretKey wrong, phone ********678' });
    expect(provider.requests).toHaveLength(1);
  });

  it('counts HTTP 429 as throttled, without retrying', async () => {
    provider.answerWith({ status: 429, text: 'Too Many Requests' });

    expect(await esmsGateway().submit(anSms())).toEqual({ outcome: 'throttled', reason: 'HTTP 429: Too Many Requests' });
    expect(provider.requests).toHaveLength(1);
  });

  it('counts a configured throttling code as throttled, without retrying', async () => {
    const options = esmsOptions(provider.baseUrl);
    provider.answerWith({ json: { CodeResult: '98', ErrorMessage: 'Rate exceeded' } });

    const result = await esmsGateway({ response: { ...options.response, throttled: ['98'] } }).submit(anSms());

    expect(result).toEqual({ outcome: 'throttled', reason: 'CodeResult 98: Rate exceeded' });
    expect(provider.requests).toHaveLength(1);
  });

  it('counts HTTP 500 as uncertain: eSMS may have queued the message', async () => {
    provider.answerWith({ status: 500, text: 'Internal Server Error' });

    const result = await esmsGateway({ retries: 0 }).submit(anSms());

    expect(result).toStrictEqual({ outcome: 'transient', uncertain: true, reason: 'HTTP 500: Internal Server Error' });
  });

  it('retries after HTTP 500 under the same RequestId', async () => {
    provider.answerWith({ status: 500, text: 'Internal Server Error' });

    const result = await esmsGateway({ retries: 1 }).submit(anSms());

    expect(result).toEqual({ outcome: 'accepted', messageId: 'sms-2' });
    expect(new Set(requestIds()).size).toBe(1);
  });

  it('stays uncertain when a later attempt is refused definitely', async () => {
    provider.answerWith({ status: 503, text: 'Service Unavailable' }, { json: { CodeResult: '99', ErrorMessage: 'Unknown error' } });

    const result = await esmsGateway({ retries: 1 }).submit(anSms());

    expect(result).toMatchObject({ outcome: 'transient', uncertain: true, reason: expect.stringContaining('CodeResult 99') });
  });

  it('turns throttling after an uncertain attempt into an uncertain failure, so that the message is not failed over', async () => {
    provider.answerWith({ status: 502, text: 'Bad Gateway' }, { status: 429, text: 'Too Many Requests' });

    const result = await esmsGateway({ retries: 1 }).submit(anSms());

    expect(result).toMatchObject({ outcome: 'transient', uncertain: true, reason: expect.stringContaining('HTTP 429') });
  });

  it('counts a slow answer as a timeout, uncertain: the request did arrive', async () => {
    provider.answerWith('hang');
    const started = Date.now();

    const result = await esmsGateway({ timeoutMs: 150, retries: 0 }).submit(anSms());

    expect(result).toStrictEqual({ outcome: 'transient', uncertain: true, reason: 'no answer within 150 ms' });
    expect(provider.requests).toHaveLength(1);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('counts a connection closed after the request was sent as uncertain', async () => {
    provider.answerWith('reset');

    const result = await esmsGateway({ retries: 0 }).submit(anSms());

    expect(result).toMatchObject({ outcome: 'transient', uncertain: true });
    expect(provider.requests).toHaveLength(1);
  });

  it('counts a refused connection as a definite transient failure, and retries it', async () => {
    const gateway = new HttpGateway({ ...esmsOptions(await refusingBaseUrl()), retries: 1 }, fetch, recordSleep);

    const result = await gateway.submit(anSms());

    expect(result).toStrictEqual({ outcome: 'transient', reason: 'connection refused (ECONNREFUSED)' });
    expect(delays).toHaveLength(1);
  });

  it('counts another HTTP 4xx as a refusal, without retrying', async () => {
    provider.answerWith({ status: 401, text: 'Unauthorized' });

    expect(await esmsGateway().submit(anSms())).toEqual({ outcome: 'permanent', reason: 'HTTP 401: Unauthorized' });
    expect(provider.requests).toHaveLength(1);
  });

  it('counts an answer that is not JSON as a refusal that says so', async () => {
    provider.answerWith({ status: 200, text: '<html><body>Bao tri he thong</body></html>', contentType: 'text/html' });

    const result = await esmsGateway().submit(anSms());

    expect(result).toEqual({
      outcome: 'permanent',
      reason: 'unreadable answer (HTTP 200, not a JSON object): <html><body>Bao tri he thong</body></html>',
    });
    expect(provider.requests).toHaveLength(1);
  });

  it('counts a JSON answer without the code field as a refusal that names the field', async () => {
    provider.answerWith({ json: { Result: 'ok' } });

    expect(await esmsGateway().submit(anSms())).toEqual({ outcome: 'permanent', reason: 'answer without CodeResult' });
  });
});

describe('HttpGateway with other request shapes', () => {
  function getOptions(baseUrl: string): HttpGatewayOptions {
    return {
      id: 'get-provider',
      timeoutMs: 2000,
      retries: 0,
      retryBaseMs: 10,
      phoneFormat: 'international',
      request: {
        url: `${baseUrl}/api/send?channel=sms`,
        method: 'GET',
        headers: { Authorization: 'Bearer 0123456789abcdef' },
        body: 'json',
        fields: { to: '{phone}', msg: '{text}', unicode: '{unicode}', ref: 'loa-{requestId}' },
      },
      unicodeValues: [0, 1],
      response: {
        codeField: 'result.code',
        accepted: ['0'],
        duplicate: [],
        throttled: ['8'],
        transient: [],
        messageIdField: 'result.id',
        messageField: 'result.text',
      },
    };
  }

  it('sends a GET with the fields in the query string, and reads a nested numeric code and id', async () => {
    provider.answerWith({ json: { result: { code: 0, id: 4_812_337 } } });
    const gateway = new HttpGateway(getOptions(provider.baseUrl), fetch, recordSleep);

    const result = await gateway.submit(anSms({ text: VIETNAMESE, encoding: 'UCS-2' }));

    expect(result).toEqual({ outcome: 'accepted', messageId: '4812337' });
    const [request] = provider.requests;
    expect(request?.method).toBe('GET');
    expect(request?.headers.authorization).toBe('Bearer 0123456789abcdef');
    expect(request?.body).toBe('');
    const url = new URL(request?.url ?? '', provider.baseUrl);
    expect(url.pathname).toBe('/api/send');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      channel: 'sms',
      to: '84912345678',
      msg: VIETNAMESE,
      unicode: '1',
      ref: expect.stringMatching(/^loa-[0-9a-f]{32}$/),
    });
  });

  it('reads a throttling code at a nested path', async () => {
    provider.answerWith({ json: { result: { code: 8, text: 'slow down' } } });
    const gateway = new HttpGateway(getOptions(provider.baseUrl), fetch, recordSleep);

    expect(await gateway.submit(anSms())).toEqual({ outcome: 'throttled', reason: 'result.code 8: slow down' });
  });

  it('posts a form, E.164 number, typed unicode value, and a text holding a placeholder sent as written', async () => {
    provider.answerWith({ json: { result: { code: '0', id: 'f-1' } } });
    const options = getOptions(provider.baseUrl);
    const gateway = new HttpGateway(
      {
        ...options,
        phoneFormat: 'e164',
        request: { ...options.request, method: 'POST', body: 'form', url: `${provider.baseUrl}/api/send` },
      },
      fetch,
      recordSleep,
    );
    const text = 'Reply STOP to {phone}: 100% free & safe';

    const result = await gateway.submit(anSms({ text }));

    expect(result).toEqual({ outcome: 'accepted', messageId: 'f-1' });
    const [request] = provider.requests;
    expect(request?.method).toBe('POST');
    expect(request?.url).toBe('/api/send');
    expect(request?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(request?.body))).toEqual({
      to: PHONE,
      msg: text,
      unicode: '0',
      ref: expect.stringMatching(/^loa-[0-9a-f]{32}$/),
    });
  });

  it('refuses settings it cannot work with at creation', () => {
    const options = esmsOptions(provider.baseUrl);

    expect(() => new HttpGateway({ ...options, request: { ...options.request, url: 'ftp://example.org/send' } })).toThrow(
      HttpGatewayConfigError,
    );
    expect(() => new HttpGateway({ ...options, retries: -1 })).toThrow(/retries/);
    expect(() => new HttpGateway({ ...options, timeoutMs: 0 })).toThrow(/timeoutMs/);
  });
});
