/** The dispatch queues (lib/constructs/dispatch.ts): dead-letter queues, the senders' concurrency, the janitor, gateway credentials. */
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { MAX_RECEIVES, senderPlan } from '../../../lib/constructs/dispatch.js';
import { HANDLER_ENTRIES } from '../../../lib/constructs/functions.js';
import { DEV_PROPS, PROD_PROPS } from '../synth.js';
import { actionsOn, logicalId, resource, resourcesOfType, statementsOfFunction } from '../template-helpers.js';
import { dev, devStack, envOf, fnId, prod, prodStack } from './synthesized-stacks.js';

describe('dispatch queues', () => {
  const queueIds = {
    send: [logicalId(devStack, devStack.dispatch.sendQueue), logicalId(devStack, devStack.dispatch.sendDlq)],
    fanOut: [logicalId(devStack, devStack.dispatch.fanOutQueue), logicalId(devStack, devStack.dispatch.fanOutDlq)],
  };

  it.each(Object.entries(queueIds))(
    'the %s queue has a dead-letter queue, encryption, and outlasts its consumer',
    (name, [queueId, dlqId]) => {
      const queue = resource(dev, queueId!).Properties;
      expect(queue).toMatchObject({
        RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [dlqId, 'Arn'] }, maxReceiveCount: MAX_RECEIVES },
        SqsManagedSseEnabled: true,
      });
      const consumer = resource(dev, fnId(name === 'send' ? 'sender' : 'fanOut')).Properties;
      expect(queue.VisibilityTimeout).toBeGreaterThan(consumer.Timeout);
      expect(resource(dev, dlqId!).Properties).toMatchObject({ SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 24 * 3600 });
    },
  );

  it('every queue refuses requests without TLS', () => {
    const policies = Object.values(resourcesOfType(dev, 'AWS::SQS::QueuePolicy'));
    const queues = Object.keys(resourcesOfType(dev, 'AWS::SQS::Queue'));
    for (const queue of queues) {
      const policy = policies.find((p) => JSON.stringify(p.Properties.Queues).includes(queue));
      expect(JSON.stringify(policy?.Properties.PolicyDocument), queue).toContain('"aws:SecureTransport":"false"');
    }
  });

  it('are read with partial batch failures, the sender in batches and at a concurrency derived from the rate', () => {
    const mappings = Object.values(resourcesOfType(dev, 'AWS::Lambda::EventSourceMapping')).map((m) => m.Properties);
    expect(mappings).toHaveLength(2);
    for (const mapping of mappings) expect(mapping.FunctionResponseTypes).toEqual(['ReportBatchItemFailures']);
    const plan = senderPlan(DEV_PROPS.senderTps);
    expect(mappings.find((m) => m.FunctionName.Ref === fnId('sender'))).toMatchObject({
      EventSourceArn: { 'Fn::GetAtt': [queueIds.send[0], 'Arn'] },
      BatchSize: plan.batchSize,
      ScalingConfig: { MaximumConcurrency: plan.concurrency },
    });
    expect(mappings.find((m) => m.FunctionName.Ref === fnId('fanOut'))).toMatchObject({
      EventSourceArn: { 'Fn::GetAtt': [queueIds.fanOut[0], 'Arn'] },
      BatchSize: 1,
    });
  });

  it.each([
    ['dev', DEV_PROPS.senderTps, dev, devStack],
    ['prod', PROD_PROPS.senderTps, prod, prodStack],
  ] as const)(
    'the %s sender reserves the concurrency its rate needs and is told the rate and the concurrency',
    (_stage, tps, template, stack) => {
      const plan = senderPlan(tps);
      expect(resource(template, fnId('sender', stack)).Properties.ReservedConcurrentExecutions).toBe(plan.concurrency);
      expect(envOf('sender', template, stack)).toMatchObject({ SENDER_TPS: String(tps), SENDER_CONCURRENCY: String(plan.concurrency) });
    },
  );

  it('reserves 2 senders at SNS’s default 20 messages a second and 10 at 500', () => {
    expect(resource(dev, fnId('sender')).Properties.ReservedConcurrentExecutions).toBe(2);
    expect(resource(prod, fnId('sender', prodStack)).Properties.ReservedConcurrentExecutions).toBe(10);
  });

  it('runs the janitor every minute (expiring receipts, finishing runs, marking missed tour runs)', () => {
    dev.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(1 minute)',
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [fnId('janitor'), 'Arn'] } })],
    });
    dev.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      FunctionName: { 'Fn::GetAtt': [fnId('janitor'), 'Arn'] },
      Principal: 'events.amazonaws.com',
    });
  });

  it('keeps gateway credentials in Secrets Manager, readable by the sender only', () => {
    const secretId = logicalId(devStack, devStack.dispatch.gatewaySecret);
    // The gateway credentials, and the pseudonym key of the data (data-table.ts).
    dev.resourceCountIs('AWS::SecretsManager::Secret', 2);
    for (const name of Object.keys(HANDLER_ENTRIES) as (keyof typeof HANDLER_ENTRIES)[]) {
      const reads = actionsOn(statementsOfFunction(dev, fnId(name)), secretId);
      expect(reads, name).toEqual(name === 'sender' ? ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'] : []);
    }
  });
});
