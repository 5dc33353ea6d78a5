import { gzipSync } from 'node:zlib';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import type { CloudWatchLogsDecodedData, CloudWatchLogsEvent, CloudWatchLogsLogEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { deliveryReportFromLogLine, deliveryReportsFromLogsEvent } from '../../../lambdas/adapters/sns/delivery-status-logs.js';
import { DeliveryLogEventError } from '../../../lambdas/adapters/sns/errors.js';
import { SnsGateway } from '../../../lambdas/adapters/sns/sns-gateway.js';

const LOG_GROUP = 'sns/ap-southeast-1/123456789012/DirectPublishToPhoneNumber';
const PHONE = '+84912345678';
const LOGGED_AT = Date.parse('2026-03-02T01:00:07.401Z');

/** One line as SNS writes it to CloudWatch Logs. */
function aStatusLine(status: 'SUCCESS' | 'FAILURE', messageId: string, providerResponse?: string): string {
  return JSON.stringify({
    notification: { messageId, timestamp: '2026-03-02 01:00:05.271' },
    delivery: {
      numberOfMessageParts: 1,
      destination: PHONE,
      priceInUSD: 0.02254,
      smsType: 'Transactional',
      phoneCarrier: 'Vinaphone',
      mcc: 452,
      mnc: 2,
      providerResponse:
        providerResponse ?? (status === 'SUCCESS' ? 'Message has been accepted by phone' : 'Unknown error attempting to reach phone'),
      dwellTimeMs: 105,
      dwellTimeMsUntilDeviceAck: 2130,
    },
    status,
  });
}

function aLogEvent(
  message: string,
  id = `3672411682640838885767515269970521408026258893763739${Math.floor(Math.random() * 10_000)}`,
): CloudWatchLogsLogEvent {
  return { id, timestamp: LOGGED_AT, message };
}

/** The event a subscription filter hands to Lambda: base64 of the gzipped JSON, as CloudWatch Logs sends it. */
function aLogsEvent(logEvents: unknown[], overrides: Partial<CloudWatchLogsDecodedData> = {}): CloudWatchLogsEvent {
  const data = {
    messageType: 'DATA_MESSAGE',
    owner: '123456789012',
    logGroup: LOG_GROUP,
    logStream: '34f634d5-1ddc-4bdf-8430-8f0f3b3edb8d',
    subscriptionFilters: ['loa-dev-delivery-status'],
    logEvents,
    ...overrides,
  };
  return { awslogs: { data: gzipSync(JSON.stringify(data)).toString('base64') } };
}

describe('deliveryReportsFromLogsEvent', () => {
  it('reads a SUCCESS line as delivered, at the time SNS logged it', () => {
    const event = aLogsEvent([aLogEvent(aStatusLine('SUCCESS', '0eb79b44-d9bd-5938-b0cf-c1e572815b74'))]);

    expect(deliveryReportsFromLogsEvent(event)).toEqual({
      logGroup: LOG_GROUP,
      reports: [
        {
          gatewayId: 'sns',
          messageId: '0eb79b44-d9bd-5938-b0cf-c1e572815b74',
          status: 'delivered',
          at: '2026-03-02T01:00:07.401Z',
          carrier: 'vinaphone',
        },
      ],
      rejected: [],
    });
  });

  it("reads a FAILURE line as failed, with the carrier's answer as the error", () => {
    const event = aLogsEvent([aLogEvent(aStatusLine('FAILURE', 'f-1', 'Phone is currently unreachable/unavailable'))], {
      logGroup: `${LOG_GROUP}/Failure`,
    });

    expect(deliveryReportsFromLogsEvent(event)).toEqual({
      logGroup: `${LOG_GROUP}/Failure`,
      reports: [
        {
          gatewayId: 'sns',
          messageId: 'f-1',
          status: 'failed',
          error: 'Phone is currently unreachable/unavailable',
          at: '2026-03-02T01:00:07.401Z',
          carrier: 'vinaphone',
        },
      ],
      rejected: [],
    });
  });

  it('reads every line of a batch, in order, under the gateway id given', () => {
    const event = aLogsEvent([
      aLogEvent(aStatusLine('SUCCESS', 'a')),
      aLogEvent(aStatusLine('FAILURE', 'b')),
      aLogEvent(aStatusLine('SUCCESS', 'c')),
    ]);

    const { reports } = deliveryReportsFromLogsEvent(event, 'sns-backup');

    expect(reports.map((r) => [r.gatewayId, r.messageId, r.status])).toEqual([
      ['sns-backup', 'a', 'delivered'],
      ['sns-backup', 'b', 'failed'],
      ['sns-backup', 'c', 'delivered'],
    ]);
  });

  it('returns the lines that are not a delivery status as rejected, with their ids and reasons, never their text', () => {
    const event = aLogsEvent([
      aLogEvent(aStatusLine('SUCCESS', 'good'), 'e-good'),
      aLogEvent(`not json ${PHONE}`, 'e-text'),
      aLogEvent(JSON.stringify([PHONE]), 'e-array'),
      aLogEvent(JSON.stringify({ notification: {}, delivery: { destination: PHONE }, status: 'SUCCESS' }), 'e-no-id'),
      aLogEvent(
        JSON.stringify({ notification: { messageId: 'm-odd' }, delivery: { destination: PHONE }, status: `PENDING ${PHONE}` }),
        'e-status',
      ),
      { id: 'e-broken', message: 42 },
      'not an object',
    ]);

    const result = deliveryReportsFromLogsEvent(event);

    expect(result.reports.map((r) => r.messageId)).toEqual(['good']);
    expect(result.rejected).toEqual([
      { logEventId: 'e-text', reason: 'not JSON' },
      { logEventId: 'e-array', reason: 'not a JSON object' },
      { logEventId: 'e-no-id', reason: 'no notification.messageId' },
      { logEventId: 'e-status', reason: 'unknown status "PENDING +8491****678"', messageId: 'm-odd' },
      { logEventId: 'e-broken', reason: 'log event without id, timestamp or message' },
      { logEventId: '#6', reason: 'log event without id, timestamp or message' },
    ]);
    expect(JSON.stringify(result.rejected)).not.toContain(PHONE);
  });

  it('masks a phone number in the carrier answer', () => {
    const event = aLogsEvent([aLogEvent(aStatusLine('FAILURE', 'f', `Invalid destination ${PHONE}`))]);

    expect(deliveryReportsFromLogsEvent(event).reports[0]?.error).toBe('Invalid destination +8491****678');
  });

  it('gives a FAILURE without a carrier answer an error of its own', () => {
    const line = JSON.stringify({
      notification: { messageId: 'f', timestamp: '2026-03-02 01:00:05.271' },
      delivery: {},
      status: 'FAILURE',
    });

    expect(deliveryReportsFromLogsEvent(aLogsEvent([aLogEvent(line)])).reports[0]?.error).toBe('FAILURE without providerResponse');
  });

  it('skips the control message CloudWatch Logs sends when the subscription is made', () => {
    const event = aLogsEvent([{ id: '', timestamp: LOGGED_AT, message: 'CWL CONTROL MESSAGE: Checking health of destination Lambda.' }], {
      messageType: 'CONTROL_MESSAGE',
      logGroup: '',
      logStream: '',
      subscriptionFilters: [],
      owner: 'CloudwatchLogs',
    });

    expect(deliveryReportsFromLogsEvent(event)).toEqual({ logGroup: '', reports: [], rejected: [] });
  });

  it.each([
    ['without awslogs', {} as CloudWatchLogsEvent, /no awslogs.data/],
    [
      'whose data is not gzip',
      { awslogs: { data: Buffer.from('{"messageType":"DATA_MESSAGE"}').toString('base64') } },
      /not base64 of gzip/,
    ],
    ['whose data is not JSON', { awslogs: { data: gzipSync('nope').toString('base64') } }, /does not hold JSON/],
    [
      'of an unknown message type',
      aLogsEvent([], { messageType: 'SOMETHING_ELSE' }),
      /Unknown CloudWatch Logs messageType "SOMETHING_ELSE"/,
    ],
    ['without log events', aLogsEvent(undefined as unknown as unknown[]), /without logEvents/],
  ])('throws for an event %s: a whole event cannot be read', (_, event, message) => {
    expect(() => deliveryReportsFromLogsEvent(event)).toThrow(DeliveryLogEventError);
    expect(() => deliveryReportsFromLogsEvent(event)).toThrow(message);
  });

  it('finds the receipt of a message the SNS gateway sent: the MessageId is the notification messageId', async () => {
    const sns = mockClient(SNSClient);
    try {
      sns.on(PublishCommand).resolves({ MessageId: '876543da-df63-5e08-8666-197b7352e60b' });
      const gateway = new SnsGateway(new SNSClient({ region: 'ap-southeast-1' }), { senderId: 'STTTTBP' });
      const submitted = await gateway.submit({ reference: 'r', to: PHONE, text: 'Thong bao', encoding: 'GSM-7' });

      const { reports } = deliveryReportsFromLogsEvent(
        aLogsEvent([aLogEvent(aStatusLine('SUCCESS', '876543da-df63-5e08-8666-197b7352e60b'))]),
      );

      expect(submitted).toEqual({ outcome: 'accepted', messageId: reports[0]?.messageId });
      expect(reports[0]?.gatewayId).toBe(gateway.id);
    } finally {
      sns.restore();
    }
  });
});

describe('deliveryReportFromLogLine', () => {
  it('names the carrier from the network codes SNS reports, and none for a network it does not know', () => {
    const withNetwork = (mnc: number) => aStatusLine('SUCCESS', 'm').replace('"mnc":2', `"mnc":${mnc}`);
    const carrierOf = (mnc: number) => {
      const parsed = deliveryReportFromLogLine(withNetwork(mnc), undefined);
      return 'report' in parsed ? parsed.report.carrier : 'rejected';
    };
    expect([1, 2, 4, 5, 7, 99].map(carrierOf)).toEqual(['mobifone', 'vinaphone', 'viettel', 'vietnamobile', 'gmobile', undefined]);
  });

  it("falls back to SNS's own timestamp (UTC) without the log event's", () => {
    expect(deliveryReportFromLogLine(aStatusLine('SUCCESS', 'm'), undefined)).toEqual({
      report: { gatewayId: 'sns', messageId: 'm', status: 'delivered', at: '2026-03-02T01:00:05.271Z', carrier: 'vinaphone' },
    });
  });

  it('refuses a line without any valid time', () => {
    const line = JSON.stringify({ notification: { messageId: 'm', timestamp: 'yesterday' }, status: 'SUCCESS' });

    expect(deliveryReportFromLogLine(line, undefined)).toEqual({ reason: 'no valid timestamp', messageId: 'm' });
  });
});
