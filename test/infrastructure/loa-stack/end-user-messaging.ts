/**
 * End User Messaging (lib/constructs/end-user-messaging.ts): the stage's configuration set, its event
 * destination to an SNS topic, the queue and the delivery-event Lambda, and what the sender may do.
 */
import { describe, expect, it } from 'vitest';
import { DELIVERY_EVENT_TYPES } from '../../../lambdas/adapters/eum/delivery-events.js';
import { actionsOf, logicalId, resource, resourcesOfType, statementsOfFunction, text } from '../template-helpers.js';
import { dev, devStack, envOf, fnId, prod, prodStack } from './synthesized-stacks.js';

describe('End User Messaging', () => {
  const eum = () => devStack.endUserMessaging!;

  it("is the stage's own configuration set, publishing every final SMS event to the stage's topic", () => {
    const sets = Object.values(resourcesOfType(dev, 'AWS::SMSVOICE::ConfigurationSet')).map((set) => set.Properties);
    expect(sets).toEqual([
      {
        ConfigurationSetName: 'loa-dev',
        EventDestinations: [
          {
            EventDestinationName: 'loa-delivery-events',
            Enabled: true,
            MatchingEventTypes: [...DELIVERY_EVENT_TYPES],
            SnsDestination: { TopicArn: { Ref: logicalId(devStack, eum().topic) } },
          },
        ],
      },
    ]);
    expect(DELIVERY_EVENT_TYPES).toEqual(expect.arrayContaining(['TEXT_DELIVERED', 'TEXT_SUCCESSFUL', 'TEXT_TTL_EXPIRED', 'TEXT_UNKNOWN']));
    expect(
      text(
        resourcesOfType(prod, 'AWS::SMSVOICE::ConfigurationSet')[logicalId(prodStack, prodStack.endUserMessaging!.configurationSet)]!
          .Properties.ConfigurationSetName,
      ),
    ).toBe('loa-prod');
  });

  it('lets only End User Messaging publish to the topic, for this configuration set of this account, over TLS', () => {
    const policies = Object.values(resourcesOfType(dev, 'AWS::SNS::TopicPolicy')).filter((policy) =>
      JSON.stringify(policy.Properties.Topics).includes(logicalId(devStack, eum().topic)),
    );
    const statements = policies.flatMap((policy) => policy.Properties.PolicyDocument.Statement as Record<string, any>[]);
    const publish = statements.find((statement) => statement.Sid === 'EndUserMessagingPublishes')!;
    expect(publish).toMatchObject({ Effect: 'Allow', Principal: { Service: 'sms-voice.amazonaws.com' }, Action: 'sns:Publish' });
    expect(text(publish.Condition.StringEquals['aws:SourceAccount'])).toBe('<AWS::AccountId>');
    expect(text(publish.Condition.ArnLike['aws:SourceArn'])).toBe(
      'arn:<AWS::Partition>:sms-voice:<AWS::Region>:<AWS::AccountId>:configuration-set/loa-dev',
    );
    expect(
      statements.some((statement) => statement.Effect === 'Deny' && JSON.stringify(statement.Condition).includes('SecureTransport')),
    ).toBe(true);
    // The destination is created once End User Messaging may publish.
    expect((dev.toJSON().Resources[logicalId(devStack, eum().configurationSet)].DependsOn as string[] | undefined) ?? []).toEqual(
      expect.arrayContaining([expect.stringMatching(/EventsPolicy/)]),
    );
  });

  it('hands the events, raw, to an encrypted queue the delivery-event Lambda reads in batches', () => {
    const subscription = Object.values(resourcesOfType(dev, 'AWS::SNS::Subscription')).find(
      (candidate) => text(candidate.Properties.TopicArn) === `<${logicalId(devStack, eum().topic)}>`,
    )!;
    expect(subscription.Properties).toMatchObject({
      Protocol: 'sqs',
      RawMessageDelivery: true,
      Endpoint: { 'Fn::GetAtt': [logicalId(devStack, eum().queue), 'Arn'] },
    });
    expect(resource(dev, logicalId(devStack, eum().queue)).Properties).toMatchObject({
      SqsManagedSseEnabled: true,
      RedrivePolicy: { maxReceiveCount: 5 },
    });
    const mapping = Object.values(resourcesOfType(dev, 'AWS::Lambda::EventSourceMapping')).find(
      (candidate) => candidate.Properties.FunctionName.Ref === fnId('eumDeliveryEvents'),
    )!;
    expect(mapping.Properties).toMatchObject({
      BatchSize: 100,
      MaximumBatchingWindowInSeconds: 5,
      ScalingConfig: { MaximumConcurrency: 2 },
    });
    expect(envOf('eumDeliveryEvents')).toHaveProperty('TABLE_NAME');
  });

  it('lets the sender send text messages from the gateways’ identities through this configuration set, and nothing else of End User Messaging', () => {
    const smsStatements = (template: typeof dev, stack: typeof devStack) =>
      statementsOfFunction(template, fnId('sender', stack)).filter((statement) =>
        actionsOf(statement).some((a) => a.startsWith('sms-voice:')),
      );
    const resources = (statement: { Resource?: unknown }) => (statement.Resource as unknown[]).map(text).sort();

    const [devStatement, ...devOthers] = smsStatements(dev, devStack);
    expect(devOthers).toEqual([]);
    expect(actionsOf(devStatement!)).toEqual(['sms-voice:SendTextMessage']);
    expect(resources(devStatement!)).toEqual([
      'arn:<AWS::Partition>:sms-voice:<AWS::Region>:<AWS::AccountId>:configuration-set/loa-dev',
      'arn:<AWS::Partition>:sms-voice:<AWS::Region>:<AWS::AccountId>:sender-id/LOA/*',
    ]);
    const [prodStatement] = smsStatements(prod, prodStack);
    expect(resources(prodStatement!)).toEqual([
      'arn:<AWS::Partition>:sms-voice:<AWS::Region>:<AWS::AccountId>:configuration-set/loa-prod',
      'arn:<AWS::Partition>:sms-voice:<AWS::Region>:<AWS::AccountId>:sender-id/SOYTEDNAI/*',
      'arn:aws:sms-voice:ap-southeast-1:210987654321:pool/pool-0a1b2c3d4e',
    ]);
    expect(envOf('sender').EUM_CONFIGURATION_SET).toBe('loa-dev');
    expect(envOf('api').EUM_CONFIGURATION_SET).toBeUndefined();
  });
});
