/** The dispatch queues (lib/constructs/dispatch.ts): dead-letter queues, the senders' concurrency, the janitor, gateway credentials. */
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { MAX_RECEIVES, senderPlan } from '../../../lib/constructs/dispatch.js';
import { HANDLER_ENTRIES } from '../../../lib/constructs/functions.js';
import { DEV_PROPS, PROD_PROPS } from '../synth.js';
import { logicalId, resource, resourcesOfType, statementsOfFunction } from '../template-helpers.js';
import { dev, devFunctions as devFunctionsByName, devStack, fnId, prod, prodStack } from './synthesized-stacks.js';

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
    const mappings = Object.values(resourcesOfType(dev, 'AWS::Lambda::EventSourceMapping'))
      .map((m) => m.Properties)
      .filter((m) => [fnId('sender'), fnId('fanOut')].includes(m.FunctionName.Ref));
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
  ] as const)('the %s sender reserves no concurrency: its event source’s maxConcurrency bounds it', (_stage, tps, template, stack) => {
    expect(resource(template, fnId('sender', stack)).Properties.ReservedConcurrentExecutions).toBeUndefined();
    const mapping = Object.values(resourcesOfType(template, 'AWS::Lambda::EventSourceMapping')).find(
      (m) => m.Properties.FunctionName.Ref === fnId('sender', stack),
    );
    expect(mapping?.Properties.ScalingConfig).toEqual({ MaximumConcurrency: senderPlan(tps).concurrency });
    expect(senderPlan(PROD_PROPS.senderTps).concurrency).toBe(10);
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

  it('creates no SMPP send queue and reads no secret without smpp gateways or secret references', () => {
    expect(devStack.dispatch.smppSendQueue).toBeUndefined();
    for (const name of Object.keys(HANDLER_ENTRIES) as (keyof typeof HANDLER_ENTRIES)[]) {
      if (!(name in devFunctionsByName)) continue;
      const statements = statementsOfFunction(dev, fnId(name)).filter((s) => s.Sid === 'ReadGatewaySecrets');
      expect(statements, name).toEqual([]);
    }
  });
});
