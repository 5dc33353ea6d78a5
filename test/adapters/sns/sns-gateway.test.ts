import {
  InternalErrorException,
  InvalidParameterException,
  OptedOutException,
  PublishCommand,
  SNSClient,
  ThrottledException,
} from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { SnsConfigError } from '../../../lambdas/adapters/sns/errors.js';
import { SnsGateway, snsClient, type SnsGatewayConfig } from '../../../lambdas/adapters/sns/sns-gateway.js';
import { SNS_ERROR_OUTCOMES, type FailureOutcome } from '../../../lambdas/adapters/sns/sns-outcomes.js';
import type { OutgoingSms } from '../../../lambdas/core/ports.js';
import { aNetworkError, anAwsError } from '../aws-errors.js';

const sns = mockClient(SNSClient);
afterAll(() => sns.restore());
beforeEach(() => sns.reset());

const PHONE = '+84912345678';
const MASKED = '+8491****678';

function newGateway(config: Partial<SnsGatewayConfig> = {}) {
  return new SnsGateway(new SNSClient({ region: 'ap-southeast-1' }), { senderId: 'STTTTBP', messagesPerSecond: 20, ...config });
}

function anSms(overrides: Partial<OutgoingSms> = {}): OutgoingSms {
  return {
    reference: `cmp_x:run_y:${PHONE}`,
    to: PHONE,
    carrier: 'vinaphone',
    text: 'So TT&TT Binh Phuoc: han che tap trung dong nguoi, deo khau trang noi cong cong.',
    encoding: 'GSM-7',
    ...overrides,
  };
}

function publishInputs() {
  return sns.commandCalls(PublishCommand).map((call) => call.args[0].input);
}

describe('SnsGateway.submit', () => {
  it('publishes to the phone number a Transactional SMS from the sender ID, and returns its MessageId', async () => {
    sns.on(PublishCommand).resolves({ MessageId: '0eb79b44-d9bd-5938-b0cf-c1e572815b74' });
    const sms = anSms();

    const result = await newGateway().submit(sms);

    expect(result).toEqual({ outcome: 'accepted', messageId: '0eb79b44-d9bd-5938-b0cf-c1e572815b74' });
    expect(publishInputs()).toEqual([
      {
        PhoneNumber: PHONE,
        Message: sms.text,
        MessageAttributes: {
          'AWS.SNS.SMS.SenderID': { DataType: 'String', StringValue: 'STTTTBP' },
          'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' },
        },
      },
    ]);
  });

  it('caps the price of a message when asked to', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'm' });

    await newGateway({ maxPriceUsd: 0.05 }).submit(anSms());

    expect(publishInputs()[0]?.MessageAttributes?.['AWS.SNS.SMS.MaxPrice']).toEqual({ DataType: 'Number', StringValue: '0.05' });
  });

  it('refuses a number that is not E.164 without calling SNS, and does not show it whole', async () => {
    const result = await newGateway().submit(anSms({ to: '0912345678' }));

    expect(result).toEqual({ outcome: 'permanent', reason: 'not an E.164 phone number: *******678' });
    expect(sns.calls()).toHaveLength(0);
  });

  it('counts an answer without a MessageId as uncertain: SNS has the message, but no delivery report could find it', async () => {
    sns.on(PublishCommand).resolves({});

    expect(await newGateway().submit(anSms())).toEqual({
      outcome: 'transient',
      reason: 'SNS accepted the message without a MessageId',
      uncertain: true,
    });
  });

  it('masks the phone number AWS echoes in an error message', async () => {
    sns.on(PublishCommand).rejects(
      new InvalidParameterException({
        message: `Invalid parameter: PhoneNumber Reason: ${PHONE} is not valid to publish to`,
        $metadata: { httpStatusCode: 400 },
      }),
    );

    const result = await newGateway().submit(anSms());

    expect(result).toEqual({
      outcome: 'permanent',
      reason: `InvalidParameterException (HTTP 400): Invalid parameter: PhoneNumber Reason: ${MASKED} is not valid to publish to`,
    });
  });
});

/**
 * The error table, outcome by outcome. Every row of SNS_ERROR_OUTCOMES must be in one of these lists, so
 * that a row added without a test fails the last test.
 */
const EXPECTED: Record<FailureOutcome, string[]> = {
  throttled: [
    'ThrottledException',
    'Throttled',
    'Throttling',
    'ThrottlingException',
    'TooManyRequestsException',
    'RequestLimitExceeded',
    'RequestThrottled',
    'RequestThrottledException',
    'KMSThrottlingException',
  ],
  transient: [
    'InternalErrorException',
    'InternalError',
    'InternalFailure',
    'ServiceUnavailable',
    'ServiceUnavailableException',
    'RequestTimeout',
    'RequestTimeoutException',
    'TimeoutError',
    'NetworkingError',
    'ExpiredToken',
    'ExpiredTokenException',
    'RequestExpired',
  ],
  permanent: [
    'InvalidParameterException',
    'InvalidParameter',
    'InvalidParameterValueException',
    'InvalidParameterValue',
    'ValidationException',
    'ValidationError',
    'OptedOutException',
    'OptedOut',
    'AuthorizationErrorException',
    'AuthorizationError',
    'AccessDenied',
    'AccessDeniedException',
    'InvalidClientTokenId',
    'UnrecognizedClientException',
    'InvalidSecurityException',
    'InvalidSecurity',
    'EndpointDisabledException',
    'EndpointDisabled',
    'NotFoundException',
    'NotFound',
    'KMSAccessDeniedException',
    'KMSDisabledException',
    'KMSInvalidStateException',
    'KMSNotFoundException',
    'KMSOptInRequired',
  ],
};
const NETWORK_CODES = ['ECONNRESET', 'ECONNREFUSED', 'ECONNABORTED', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN'];

describe('SNS errors: throttled', () => {
  it.each(EXPECTED.throttled)('%s is throttled', async (name) => {
    sns.on(PublishCommand).rejects(anAwsError(name, 'Rate exceeded', 400));
    expect(await newGateway().submit(anSms())).toEqual({ outcome: 'throttled', reason: `${name} (HTTP 400): Rate exceeded` });
  });

  it('the SDK exception ThrottledException is throttled', async () => {
    sns.on(PublishCommand).rejects(new ThrottledException({ message: 'Rate exceeded', $metadata: { httpStatusCode: 429 } }));
    expect((await newGateway().submit(anSms())).outcome).toBe('throttled');
  });

  it('an unknown error with HTTP 429 is throttled', async () => {
    sns.on(PublishCommand).rejects(anAwsError('SomethingNew', 'slow down', 429));
    expect((await newGateway().submit(anSms())).outcome).toBe('throttled');
  });

  it('an unknown error the SDK marked as throttling is throttled', async () => {
    sns.on(PublishCommand).rejects(Object.assign(anAwsError('SomethingNew', 'slow down', 400), { $retryable: { throttling: true } }));
    expect((await newGateway().submit(anSms())).outcome).toBe('throttled');
  });
});

describe('SNS errors: transient', () => {
  it.each(EXPECTED.transient)('%s with a 5xx is transient and uncertain: SNS may have the message', async (name) => {
    sns.on(PublishCommand).rejects(anAwsError(name, 'try again', 500));
    expect(await newGateway().submit(anSms())).toEqual({ outcome: 'transient', reason: `${name} (HTTP 500): try again`, uncertain: true });
  });

  it.each(['ExpiredToken', 'ExpiredTokenException', 'RequestExpired'])('%s with a 4xx is transient and certain: refused', async (name) => {
    sns.on(PublishCommand).rejects(anAwsError(name, 'expired', 403));
    expect(await newGateway().submit(anSms())).toEqual({ outcome: 'transient', reason: `${name} (HTTP 403): expired` });
  });

  it('a timeout waiting for the answer is uncertain', async () => {
    sns.on(PublishCommand).rejects(Object.assign(new Error('Connection timed out after 10000 ms'), { name: 'TimeoutError' }));
    expect(await newGateway().submit(anSms())).toEqual({
      outcome: 'transient',
      reason: 'TimeoutError: Connection timed out after 10000 ms',
      uncertain: true,
    });
  });

  it.each(NETWORK_CODES)('the networking error %s is transient, uncertain unless no connection was made', async (code) => {
    sns.on(PublishCommand).rejects(aNetworkError(code));
    const neverConnected = ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN'].includes(code);
    expect(await newGateway().submit(anSms())).toEqual({
      outcome: 'transient',
      reason: `${code}: connect ${code} 52.94.0.1:443`,
      ...(!neverConnected && { uncertain: true }),
    });
  });

  it('the SDK exception InternalErrorException is transient', async () => {
    sns.on(PublishCommand).rejects(new InternalErrorException({ message: 'Internal error', $metadata: { httpStatusCode: 500 } }));
    expect((await newGateway().submit(anSms())).outcome).toBe('transient');
  });

  it.each([500, 502, 503, 504])('an unknown error with HTTP %i is transient', async (status) => {
    sns.on(PublishCommand).rejects(anAwsError('SomethingNew', 'oops', status));
    expect((await newGateway().submit(anSms())).outcome).toBe('transient');
  });

  it('an unknown error without a response is transient and uncertain', async () => {
    sns.on(PublishCommand).rejects(new Error('socket hang up'));
    expect(await newGateway().submit(anSms())).toEqual({ outcome: 'transient', reason: 'Error: socket hang up', uncertain: true });
  });
});

describe('SNS errors: permanent', () => {
  it.each(EXPECTED.permanent)('%s is permanent', async (name) => {
    sns.on(PublishCommand).rejects(anAwsError(name, 'no', 400));
    expect(await newGateway().submit(anSms())).toEqual({ outcome: 'permanent', reason: `${name} (HTTP 400): no` });
  });

  it('the SDK exception OptedOutException is permanent', async () => {
    sns.on(PublishCommand).rejects(new OptedOutException({ message: 'Phone number is opted out', $metadata: { httpStatusCode: 400 } }));
    expect((await newGateway().submit(anSms())).outcome).toBe('permanent');
  });

  it.each([400, 403, 404])('an unknown error with HTTP %i is permanent', async (status) => {
    sns.on(PublishCommand).rejects(anAwsError('SomethingNew', 'no', status));
    expect((await newGateway().submit(anSms())).outcome).toBe('permanent');
  });
});

describe('SNS error table', () => {
  it('has a test for every row, and no row the tests do not expect', () => {
    const tested = Object.fromEntries([
      ...Object.entries(EXPECTED).flatMap(([outcome, names]) => names.map((name) => [name, outcome])),
      ...NETWORK_CODES.map((code) => [code, 'transient']),
    ]);
    expect(SNS_ERROR_OUTCOMES).toEqual(tested);
  });
});

describe('SnsGateway and its client', () => {
  it('never sends again what may have been sent: the gateway tells the dispatcher SNS does not drop repeats', () => {
    expect(newGateway().dropsRepeats).toBe(false);
  });

  it('makes one attempt per Publish: the SDK never publishes an SMS again by itself', async () => {
    expect(await snsClient().config.maxAttempts()).toBe(1);
  });
});

describe('SnsGateway configuration', () => {
  it('is the gateway "sns" by default, at the configured rate', () => {
    const gateway = newGateway({ messagesPerSecond: 20 });
    expect(gateway.id).toBe('sns');
    expect(gateway.messagesPerSecond).toBe(20);
    expect(newGateway({ id: 'sns-backup', messagesPerSecond: undefined })).toMatchObject({
      id: 'sns-backup',
      messagesPerSecond: undefined,
    });
  });

  it.each(['STT TTBP', 'SOTTTTBINHPH', '12345', '', 'Sở-TT'])('refuses the sender ID %j', (senderId) => {
    expect(() => newGateway({ senderId })).toThrow(SnsConfigError);
  });

  it.each([0, -1, Number.NaN])('refuses %d messages a second', (messagesPerSecond) => {
    expect(() => newGateway({ messagesPerSecond })).toThrow(SnsConfigError);
  });
});
