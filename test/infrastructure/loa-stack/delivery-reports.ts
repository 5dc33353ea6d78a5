/** SNS delivery reports (lib/constructs/delivery-reports.ts): the delivery-status log groups and their ingester. */
import { describe, expect, it } from 'vitest';
import { SNS_DELIVERY_METRICS } from '../../../lib/constructs/delivery-reports.js';
import { actionsOf, logicalId, resource, resourcesOfType, statementsOfRole, text } from '../template-helpers.js';
import { DEV_PROPS, synthesize } from '../synth.js';
import { dev, devStack, fnId, prod } from './synthesized-stacks.js';

describe('SNS delivery reports', () => {
  const ingester = () => fnId('deliveryReports');

  it('creates the delivery-status log groups SNS writes to, under the names SNS gives them', () => {
    const names = Object.values(resourcesOfType(dev, 'AWS::Logs::LogGroup'))
      .map((group) => text(group.Properties.LogGroupName))
      .filter((name) => name.includes('sns/'));
    expect(names.sort()).toEqual([
      'sns/<AWS::Region>/<AWS::AccountId>/DirectPublishToPhoneNumber',
      'sns/<AWS::Region>/<AWS::AccountId>/DirectPublishToPhoneNumber/Failure',
    ]);
    expect(
      Object.values(resourcesOfType(prod, 'AWS::Logs::LogGroup')).filter((g) => text(g.Properties.LogGroupName).includes('sns/')),
    ).toEqual([]);
  });

  it.each([
    [
      'dev',
      dev,
      [
        `<${logicalId(devStack, devStack.deliveryReports!.failureLogs)}>`,
        `<${logicalId(devStack, devStack.deliveryReports!.successLogs)}>`,
      ],
    ],
    [
      'prod (existing groups)',
      prod,
      [
        'sns/<AWS::Region>/<AWS::AccountId>/DirectPublishToPhoneNumber',
        'sns/<AWS::Region>/<AWS::AccountId>/DirectPublishToPhoneNumber/Failure',
      ],
    ],
  ] as const)('%s: subscribes the ingester to both groups and counts successes and failures', (_name, template, groups) => {
    const filters = Object.values(resourcesOfType(template, 'AWS::Logs::SubscriptionFilter')).map((f) => f.Properties);
    expect(filters.map((f) => text(f.LogGroupName)).sort()).toEqual(groups);
    const metricFilters = Object.values(resourcesOfType(template, 'AWS::Logs::MetricFilter')).map((f) => f.Properties);
    expect(metricFilters.map((f) => [f.FilterPattern, f.MetricTransformations[0].MetricName]).sort()).toEqual([
      ['{ $.status = "FAILURE" }', SNS_DELIVERY_METRICS.failed],
      ['{ $.status = "SUCCESS" }', SNS_DELIVERY_METRICS.delivered],
    ]);
  });

  it('lets CloudWatch Logs invoke the ingester', () => {
    for (const filter of Object.values(resourcesOfType(dev, 'AWS::Logs::SubscriptionFilter'))) {
      expect(filter.Properties.DestinationArn).toEqual({ 'Fn::GetAtt': [ingester(), 'Arn'] });
    }
    dev.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      FunctionName: { 'Fn::GetAtt': [ingester(), 'Arn'] },
      Principal: 'logs.amazonaws.com',
    });
  });

  it('has the role SNS assumes to write the delivery status, writing only those groups', () => {
    const roleId = logicalId(devStack, devStack.deliveryReports!.snsLoggingRole);
    expect(resource(dev, roleId).Properties.AssumeRolePolicyDocument.Statement[0].Principal).toEqual({ Service: 'sns.amazonaws.com' });
    const statements = statementsOfRole(dev, roleId);
    expect(statements.flatMap(actionsOf).sort()).toEqual(['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents']);
    expect(statements[0]!.Resource).toEqual([
      { 'Fn::GetAtt': [logicalId(devStack, devStack.deliveryReports!.successLogs), 'Arn'] },
      { 'Fn::GetAtt': [logicalId(devStack, devStack.deliveryReports!.failureLogs), 'Arn'] },
    ]);
    dev.hasOutput('SnsDeliveryStatusRoleArn', { Value: { 'Fn::GetAtt': [roleId, 'Arn'] } });
  });

  it('is not in a stage that does not ask for it: the log groups are the account’s, and no role is made for SNS', () => {
    const { templates, stacks, cleanUp } = synthesize([
      { ...DEV_PROPS, stage: 'quiet', alarmEmail: 'ops@example.vn', snsDeliveryLogs: undefined },
    ]);
    try {
      const template = templates[0]!;
      expect(stacks[0]!.deliveryReports).toBeUndefined();
      template.resourceCountIs('AWS::Logs::SubscriptionFilter', 0);
      template.resourceCountIs('AWS::Logs::MetricFilter', 0);
      const names = Object.values(resourcesOfType(template, 'AWS::Logs::LogGroup')).map((group) => text(group.Properties.LogGroupName));
      expect(names.filter((name) => name.includes('sns/'))).toEqual([]);
      expect(Object.keys(template.toJSON().Outputs)).not.toContain('SnsDeliveryStatusRoleArn');
    } finally {
      cleanUp();
    }
  });
});
