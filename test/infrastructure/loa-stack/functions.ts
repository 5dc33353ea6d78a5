/** The six Lambdas (lib/constructs/functions.ts): runtime, logging and the environment each gets. */
import { describe, expect, it } from 'vitest';
import { DEFAULTS } from '../../../lib/config.js';
import { defaultSnsFile } from '../../../lambdas/settings/gateways-file.js';
import { HANDLER_ENTRIES } from '../../../lib/constructs/functions.js';
import { PROD_PROPS } from '../synth.js';
import { logicalId, resource, resourcesOfType } from '../template-helpers.js';
import { dev, devFunctions, devStack, envOf, fnId, prod, prodStack } from './synthesized-stacks.js';

describe('the Lambdas', () => {
  it('are the six handlers, on nodejs22.x and arm64, traced, each with its own log group', () => {
    // Besides CDK's own: the console's upload, the import bucket's notification and, in dev, emptying buckets before they go.
    const cdkOwn = /^(Custom(CDKBucketDeployment|S3AutoDeleteObjects)|BucketNotificationsHandler)/;
    const loaFunctions = Object.keys(resourcesOfType(dev, 'AWS::Lambda::Function')).filter((id) => !cdkOwn.test(id));
    expect(loaFunctions).toHaveLength(Object.keys(HANDLER_ENTRIES).length);
    for (const name of Object.keys(HANDLER_ENTRIES) as (keyof typeof HANDLER_ENTRIES)[]) {
      expect(resource(dev, fnId(name)).Properties, name).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        TracingConfig: { Mode: 'Active' },
        LoggingConfig: { LogGroup: { Ref: logicalId(devStack, devFunctions[name].logGroup) } },
      });
    }
  });

  it('all know the table, the time zone, Powertools settings and use source maps', () => {
    for (const name of Object.keys(HANDLER_ENTRIES) as (keyof typeof HANDLER_ENTRIES)[]) {
      expect(envOf(name), name).toMatchObject({
        TABLE_NAME: { Ref: logicalId(devStack, devStack.data.table) },
        LOA_TIMEZONE: 'Asia/Ho_Chi_Minh',
        POWERTOOLS_SERVICE_NAME: 'loa',
        POWERTOOLS_METRICS_NAMESPACE: 'Loa/dev',
        LOG_LEVEL: 'DEBUG',
        NODE_OPTIONS: '--enable-source-maps',
      });
    }
    expect(envOf('api', prod, prodStack).LOG_LEVEL).toBe('INFO');
  });

  it('all know the test numbers when some are given', () => {
    for (const name of Object.keys(HANDLER_ENTRIES) as (keyof typeof HANDLER_ENTRIES)[]) {
      expect(envOf(name).LOA_TEST_NUMBERS, name).toBeUndefined();
      expect(envOf(name, prod, prodStack).LOA_TEST_NUMBERS, name).toBe(PROD_PROPS.testNumbers!.join(','));
    }
  });

  it('give the API, which estimates a campaign before approval, the prices of a part when some are given', () => {
    for (const name of Object.keys(HANDLER_ENTRIES) as (keyof typeof HANDLER_ENTRIES)[]) {
      expect(envOf(name).LOA_PRICES, name).toBeUndefined();
      expect(envOf(name, prod, prodStack).LOA_PRICES, name).toBe(name === 'api' ? JSON.stringify(PROD_PROPS.prices) : undefined);
    }
  });

  it('get the queues and scheduler settings of what they do, and only those', () => {
    const keys = (name: keyof typeof HANDLER_ENTRIES) =>
      Object.keys(envOf(name))
        .filter((key) => /QUEUE|SCHEDULE|SENDER|SMS_|GATEWAY/.test(key))
        .sort();
    expect(keys('api')).toEqual(
      ['FANOUT_QUEUE_URL', 'SCHEDULER_ROLE_ARN', 'SCHEDULE_DLQ_ARN', 'SCHEDULE_GROUP', 'SCHEDULE_TARGET_ARN', 'LOA_GATEWAYS'].sort(),
    );
    expect(keys('scheduleTarget')).toEqual(['FANOUT_QUEUE_URL']);
    expect(keys('fanOut')).toEqual(['FANOUT_QUEUE_URL', 'LOA_GATEWAYS', 'SEND_QUEUE_URL']);
    expect(keys('sender')).toEqual(['LOA_GATEWAYS', 'SEND_QUEUE_URL']);
    expect(keys('deliveryReports')).toEqual([]);
    expect(keys('janitor')).toEqual([]);
    expect(envOf('api')).toMatchObject({
      SCHEDULE_GROUP: 'loa-dev',
      SCHEDULE_TARGET_ARN: { 'Fn::GetAtt': [fnId('scheduleTarget'), 'Arn'] },
      SCHEDULER_ROLE_ARN: { 'Fn::GetAtt': [logicalId(devStack, devStack.scheduling.schedulerRole), 'Arn'] },
      SCHEDULE_DLQ_ARN: { 'Fn::GetAtt': [logicalId(devStack, devStack.scheduling.deadLetterQueue), 'Arn'] },
    });
    // Without loaConfig: one SNS gateway for every carrier, from senderId and senderTps.
    const snsOnly = (senderId: string, tps: number) => JSON.stringify(defaultSnsFile(senderId, tps));
    expect(envOf('api').LOA_GATEWAYS).toBe(snsOnly(DEFAULTS.senderId, DEFAULTS.senderTps));
    expect(envOf('sender').LOA_GATEWAYS).toBe(snsOnly(DEFAULTS.senderId, DEFAULTS.senderTps));
    expect(envOf('sender', prod, prodStack).LOA_GATEWAYS).toBe(snsOnly(PROD_PROPS.senderId, PROD_PROPS.senderTps));
  });
});
