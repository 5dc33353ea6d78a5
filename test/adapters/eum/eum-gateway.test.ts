import {
  ConflictException,
  InternalServerException,
  PinpointSMSVoiceV2Client,
  SendTextMessageCommand,
  ServiceQuotaExceededException,
  ThrottlingException,
  ValidationException,
} from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { EumConfigError } from '../../../lambdas/adapters/eum/errors.js';
import { EumGateway, eumClient, type EumGatewayOptions } from '../../../lambdas/adapters/eum/eum-gateway.js';
import { EUM_ERROR_OUTCOMES, outcomeOfEumError } from '../../../lambdas/adapters/eum/eum-outcomes.js';
import type { OutgoingSms } from '../../../lambdas/core/ports.js';
import { aNetworkError, anAwsError } from '../aws-errors.js';

const eum = mockClient(PinpointSMSVoiceV2Client);
afterAll(() => eum.restore());
beforeEach(() => eum.reset());

const PHONE = '+84912345678';
const MASKED = '+8491****678';
const $metadata = { httpStatusCode: 400 };

function newGateway(options: Partial<EumGatewayOptions> = {}) {
  return new EumGateway(new PinpointSMSVoiceV2Client({ region: 'ap-southeast-1' }), {
    id: 'eum',
    originationIdentity: 'SOYTEDNAI',
    configurationSetName: 'loa-prod',
    messagesPerSecond: 20,
    ...options,
  });
}

function anSms(overrides: Partial<OutgoingSms> = {}): OutgoingSms {
  return {
    reference: `cmp_x:run_y:${PHONE}`,
    to: PHONE,
    carrier: 'vinaphone',
    text: 'So Y te Dong Nai: tiem nhac lai vac-xin tai tram y te xa tu ngay 12/3.',
    encoding: 'GSM-7',
    ...overrides,
  };
}

/** What the SDK's HTTP handler throws when no answer came within its requestTimeout. */
function aTimeout(): Error {
  return Object.assign(new Error('Connection timed out after 10000 ms'), { name: 'TimeoutError' });
}

const sendInputs = () => eum.commandCalls(SendTextMessageCommand).map((call) => call.args[0].input);

describe('EumGateway.submit', () => {
  it('sends a TRANSACTIONAL text from the identity through the configuration set, naming the receipt in its Context', async () => {
    eum.on(SendTextMessageCommand).resolves({ MessageId: '862a8790-60c0-4430-9b2b-658bdexample' });
    const sms = anSms();

    const result = await newGateway({ maxPrice: 0.05, timeToLiveSeconds: 3600 }).submit(sms);

    expect(result).toEqual({ outcome: 'accepted', messageId: '862a8790-60c0-4430-9b2b-658bdexample' });
    expect(sendInputs()).toEqual([
      {
        DestinationPhoneNumber: PHONE,
        OriginationIdentity: 'SOYTEDNAI',
        MessageBody: sms.text,
        MessageType: 'TRANSACTIONAL',
        ConfigurationSetName: 'loa-prod',
        TimeToLive: 3600,
        MaxPrice: '0.05',
        Context: { loaGateway: 'eum', loaCampaign: 'cmp_x', loaRun: 'run_y', loaPhone: PHONE },
      },
    ]);
  });

  it('gives the message 72 hours by default and no MaxPrice unless configured', async () => {
    eum.on(SendTextMessageCommand).resolves({ MessageId: 'm-1' });
    await newGateway({ originationIdentity: 'arn:aws:sms-voice:ap-southeast-1:123456789012:pool/pool-abc' }).submit(anSms());

    expect(sendInputs()[0]).toMatchObject({
      TimeToLive: 259_200,
      OriginationIdentity: 'arn:aws:sms-voice:ap-southeast-1:123456789012:pool/pool-abc',
    });
    expect(sendInputs()[0]).not.toHaveProperty('MaxPrice');
  });

  it('never sends again what may have been sent: the gateway says so to the dispatcher, and reports name their receipt', () => {
    const gateway = newGateway();
    expect(gateway.dropsRepeats).toBe(false);
    expect(gateway.reportsNameReceipt).toBe(true);
  });

  it('refuses, without calling AWS, a number that is not E.164 (masked) or a reference that names no receipt', async () => {
    const gateway = newGateway();
    const local = await gateway.submit(anSms({ to: '0912345678' }));
    expect(local).toMatchObject({ outcome: 'permanent', reason: expect.stringContaining('not an E.164 phone number') });
    expect(JSON.stringify(local)).not.toContain('0912345678');
    expect(await gateway.submit(anSms({ reference: 'cmp_x' }))).toMatchObject({ outcome: 'permanent' });
    expect(sendInputs()).toEqual([]);
  });

  it.each([
    ['throttling', new ThrottlingException({ message: 'Rate exceeded', $metadata }), { outcome: 'throttled' }],
    [
      'an opted-out number',
      new ConflictException({ message: `${PHONE} opted out`, Reason: 'DESTINATION_PHONE_NUMBER_OPTED_OUT', $metadata }),
      { outcome: 'permanent', reason: `ConflictException DESTINATION_PHONE_NUMBER_OPTED_OUT (HTTP 400): ${MASKED} opted out` },
    ],
    [
      'an unregistered sender ID (the gateway, not the message: fail over)',
      new ValidationException({ message: 'Sender ID not registered', Reason: 'SENDER_ID_NOT_REGISTERED', $metadata }),
      { outcome: 'transient', reason: 'ValidationException SENDER_ID_NOT_REGISTERED (HTTP 400): Sender ID not registered' },
    ],
    [
      'the monthly spend limit',
      new ServiceQuotaExceededException({ message: 'spend', Reason: 'MONTHLY_SPEND_LIMIT_REACHED_FOR_TEXT', $metadata }),
      { outcome: 'transient' },
    ],
    [
      'a price over MaxPrice',
      new ValidationException({ message: 'price', Reason: 'PRICE_OVER_THRESHOLD', $metadata }),
      { outcome: 'permanent' },
    ],
    [
      'a 5xx: it may have the message',
      new InternalServerException({ message: 'oops', $metadata: { httpStatusCode: 500 } }),
      { outcome: 'transient', uncertain: true },
    ],
    ['a timeout', aTimeout(), { outcome: 'transient', uncertain: true }],
    ['a reset connection', aNetworkError('ECONNRESET'), { outcome: 'transient', uncertain: true }],
    ['a connection never made', aNetworkError('ECONNREFUSED'), { outcome: 'transient' }],
  ])('turns %s into its outcome', async (_, error, expected) => {
    eum.on(SendTextMessageCommand).rejects(error);
    const result = await newGateway().submit(anSms());
    expect(result).toMatchObject(expected);
    if (!('uncertain' in expected)) expect(result).not.toHaveProperty('uncertain');
  });

  it('checks its settings at start', () => {
    expect(() => newGateway({ originationIdentity: 'not an identity' })).toThrow(EumConfigError);
    expect(() => newGateway({ timeToLiveSeconds: 300_000 })).toThrow(/timeToLiveSeconds/);
    expect(() => newGateway({ maxPrice: 0 })).toThrow(/maxPrice/);
  });
});

describe('the EUM outcome table', () => {
  it.each(Object.entries(EUM_ERROR_OUTCOMES))('%s is %s', (key, outcome) => {
    const [name, reason] = key.split(':');
    const error = Object.assign(anAwsError(name!, 'test', 400), reason ? { Reason: reason } : {});
    expect(outcomeOfEumError(error).outcome).toBe(outcome);
  });
});

describe('eumClient', () => {
  it('makes one attempt per call: the SDK never sends a text again by itself', async () => {
    expect(await eumClient().config.maxAttempts()).toBe(1);
  });
});
