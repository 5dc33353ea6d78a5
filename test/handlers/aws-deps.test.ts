import { afterEach, describe, expect, it, vi } from 'vitest';
import { SNS_GATEWAY_ID } from '../../lambdas/adapters/sns/sns-gateway.js';
import { DEFAULT_CONFIG } from '../../lambdas/core/config.js';
import { DynamoDbRateLimiter } from '../../lambdas/adapters/dynamodb/dynamodb-rate-limiter.js';
import { awsDeps, createAwsDeps, readAwsEnvironment } from '../../lambdas/handlers/aws-deps.js';
import { awsTestEnv } from '../aws/aws-test-env.js';

vi.hoisted(() => {
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
});

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('the AWS deps', () => {
  it('name a missing or wrong variable', () => {
    expect(() => readAwsEnvironment({})).toThrow('Invalid environment: TABLE_NAME is not set');
    expect(() => readAwsEnvironment({ TABLE_NAME: 'loa-dev', SENDER_TPS: 'fast' })).toThrow(/SENDER_TPS: /);
    expect(() => readAwsEnvironment({ TABLE_NAME: 'loa-dev', SEND_QUEUE_URL: 'loa-dev-send' })).toThrow(
      /SEND_QUEUE_URL: expected the queue URL/,
    );
    expect(() => readAwsEnvironment({ TABLE_NAME: 'loa-dev', SCHEDULE_TARGET_ARN: 'loa-target' })).toThrow(
      /SCHEDULE_TARGET_ARN: expected an ARN/,
    );
    expect(() => readAwsEnvironment({ TABLE_NAME: 'loa-dev', SMS_SENDER_ID: 'SO-Y-TE-DONG-NAI' })).toThrow(/SMS_SENDER_ID: /);
    expect(() => readAwsEnvironment({ TABLE_NAME: 'loa-dev', LOA_TIMEZONE: 'Asia/Saigon-ish' })).toThrow(/LOA_TIMEZONE: unknown time zone/);
    expect(() => createAwsDeps({ env: { TABLE_NAME: 'loa-dev', LOA_TEST_NUMBERS: '0912345678,12' } })).toThrow(/LOA_TEST_NUMBERS/);
  });

  it("build a function's parts only when it uses them, naming what the part misses", () => {
    // The janitor is given the table and nothing else.
    const deps = createAwsDeps({ env: { TABLE_NAME: 'loa-dev' } });
    expect(deps.campaigns).toBeDefined();
    expect(() => deps.queue).toThrow('Invalid environment: SEND_QUEUE_URL is not set (needed by the send queue)');
    expect(() => deps.fanOut).toThrow('FANOUT_QUEUE_URL is not set (needed by the fan-out queue)');
    expect(() => deps.scheduler).toThrow('SCHEDULE_GROUP is not set (needed by the scheduler)');
    expect(() => deps.gateways).toThrow('LOA_GATEWAYS is not set (needed by the SMS gateways)');
  });

  it('read the settings of the core from LOA_ variables, with the defaults of the embedded runtime', () => {
    const deps = createAwsDeps({
      env: {
        TABLE_NAME: 'loa-dev',
        LOA_QUIET_HOURS: '21:30-06:30',
        LOA_DAILY_CAP: '5',
        LOA_TEST_NUMBERS: '0912345678, +84987654321',
        LOA_MAX_ATTEMPTS: '3',
      },
    });
    expect(deps.config).toMatchObject({
      timezone: 'Asia/Ho_Chi_Minh',
      quietHours: { start: '21:30', end: '06:30' },
      dailyCap: 5,
      testNumbers: ['+84912345678', '+84987654321'],
      maxAttempts: 3,
      retryBaseMs: 1_000,
      sliceSize: 1_000,
    });
  });

  it('read the loudspeaker-tour rules from LOA_TOUR_ variables, on the province wall clock, naming a wrong one', () => {
    const deps = createAwsDeps({
      env: {
        TABLE_NAME: 'loa-dev',
        LOA_TIMEZONE: 'Asia/Bangkok',
        LOA_TOUR_QUIET_HOURS: '21:00-06:30',
        LOA_TOUR_SLOTS: '07:00-10:00, 15:00-17:00',
        LOA_TOUR_MAX_PER_AREA_PER_DAY: '3',
        LOA_TOUR_MINUTES_BETWEEN_AREAS: '10',
        LOA_TOUR_CONFIRM_WITHIN_MINUTES: '60',
      },
    });
    expect(deps.config.tours).toEqual({
      rules: {
        ...DEFAULT_CONFIG.tours.rules,
        timezone: 'Asia/Bangkok',
        quietHours: { start: '21:00', end: '06:30' },
        dailySlots: [
          { start: '07:00', end: '10:00' },
          { start: '15:00', end: '17:00' },
        ],
        maxBroadcastsPerAreaPerDay: 3,
        minutesBetweenAreas: 10,
      },
      confirmWithinMinutes: 60,
    });
    expect(createAwsDeps({ env: { TABLE_NAME: 'loa-dev' } }).config.tours).toEqual(DEFAULT_CONFIG.tours);
    expect(() => createAwsDeps({ env: { TABLE_NAME: 'loa-dev', LOA_TOUR_SLOTS: '06:30-11:00,2pm-5pm' } })).toThrow(
      'LOA_TOUR_SLOTS: slot 2: expected hh:mm-hh:mm',
    );
  });

  it('read the prices of a part for the estimate from LOA_PRICES, naming a wrong one', () => {
    const deps = createAwsDeps({ env: { TABLE_NAME: 'loa-dev', LOA_PRICES: '{"perPart":{"viettel":350,"*":400}}' } });
    expect(deps.config.prices).toEqual({ currency: 'VND', perPart: { viettel: 350, '*': 400 } });
    expect(createAwsDeps({ env: { TABLE_NAME: 'loa-dev' } }).config.prices).toBeUndefined();

    expect(() => createAwsDeps({ env: { TABLE_NAME: 'loa-dev', LOA_PRICES: 'viettel=350' } })).toThrow('LOA_PRICES: expected JSON');
    expect(() => createAwsDeps({ env: { TABLE_NAME: 'loa-dev', LOA_PRICES: '{"perPart":{"viettle":350}}' } })).toThrow(
      /LOA_PRICES.perPart: .*key/i,
    );
  });

  it('read the limits of integration clients from LOA_INTEGRATION_CLIENTS, naming a wrong one', () => {
    const env = { TABLE_NAME: 'loa-dev', LOA_INTEGRATION_CLIENTS: '{"6f1k2hotline":{"actions":["subscribers.import"]}}' };
    expect(createAwsDeps({ env }).config.integrationClients).toEqual({ '6f1k2hotline': { actions: ['subscribers.import'] } });
    expect(createAwsDeps({ env: { TABLE_NAME: 'loa-dev' } }).config.integrationClients).toBeUndefined();
    expect(() => createAwsDeps({ env: { TABLE_NAME: 'loa-dev', LOA_INTEGRATION_CLIENTS: '{"c":{"actions":["x"]}}' } })).toThrow(
      /LOA_INTEGRATION_CLIENTS/,
    );
  });

  it("give the estimate each route's first gateway and its rate, and the file's prices and health", () => {
    const file = {
      gateways: [
        {
          id: 'viettel-smpp',
          type: 'smpp',
          host: '10.0.0.5',
          port: 2775,
          systemId: 'secret:smpp#id',
          password: 'secret:smpp#pw',
          sourceAddr: 'LOA',
          tps: 100,
        },
        { id: 'sns', type: 'sns', senderId: 'SoTTTT', tps: 40 },
      ],
      routes: [
        { carriers: ['viettel'], gateways: ['viettel-smpp', 'sns'] },
        { carriers: ['*'], gateways: ['sns'] },
      ],
      health: { tripErrorRate: 0.6 },
      prices: { perPart: { '*': 400 } },
    };
    const deps = createAwsDeps({ env: awsTestEnv('loa-dev', { LOA_GATEWAYS: JSON.stringify(file) }) });
    expect(deps.config.sendingRoutes).toEqual([
      { carriers: ['viettel'], gatewayId: 'viettel-smpp', partsPerSecond: 100 },
      { carriers: ['*'], gatewayId: 'sns', partsPerSecond: 40 },
    ]);
    expect(deps.config.prices).toEqual({ currency: 'VND', perPart: { '*': 400 } });
    expect(createAwsDeps({ env: { TABLE_NAME: 'loa-dev', SENDER_TPS: '80', SMS_SENDER_ID: 'SoTTTT' } }).config.sendingRoutes).toEqual([
      { carriers: ['*'], gatewayId: SNS_GATEWAY_ID, partsPerSecond: 80 },
    ]);
    expect(createAwsDeps({ env: { TABLE_NAME: 'loa-dev' } }).config.sendingRoutes).toBeUndefined();
    expect(() => createAwsDeps({ env: { TABLE_NAME: 'loa-dev', LOA_GATEWAYS: '{"gateways":[]}' } })).toThrow(/LOA_GATEWAYS: .*gateways/);
  });

  it('route every message through the Lambda-hosted gateways of its route, each paced by its bucket in DynamoDB', () => {
    const deps = createAwsDeps({ env: awsTestEnv('loa-dev', { SENDER_TPS: '20' }) });
    const first = deps.gateways.pick({ phone: '+84912345678', carrier: 'vinaphone' })!;
    const second = deps.gateways.pick({ phone: '+84961234567', carrier: 'viettel' })!;
    expect(first.gateway.id).toBe(SNS_GATEWAY_ID);
    expect(first.gateway.messagesPerSecond).toBe(20);
    expect(first.limiter).toBeInstanceOf(DynamoDbRateLimiter);
    expect(second.limiter).toBe(first.limiter);
  });

  it('are built once per container, from process.env', () => {
    vi.stubEnv('TABLE_NAME', 'loa-dev');
    expect(awsDeps()).toBe(awsDeps());
  });
});
