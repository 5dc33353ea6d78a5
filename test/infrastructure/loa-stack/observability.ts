/** Observability (lib/constructs/observability.ts): the alarms, their topic, the dashboard. */
import { describe, expect, it } from 'vitest';
import { SNS_DELIVERY_METRICS } from '../../../lib/constructs/delivery-reports.js';
import { HANDLER_ENTRIES } from '../../../lib/constructs/functions.js';
import { PROD_PROPS } from '../synth.js';
import { logicalId, resourcesOfType, text } from '../template-helpers.js';
import { dev, devStack, fnId, prod } from './synthesized-stacks.js';

describe('observability', () => {
  const alarms = (template = dev) => Object.values(resourcesOfType(template, 'AWS::CloudWatch::Alarm')).map((a) => a.Properties);
  const topicId = logicalId(devStack, devStack.observability.topic);

  it('sends every alarm to the SNS topic, which e-mails the operators when an address is given', () => {
    for (const alarm of alarms()) expect(alarm.AlarmActions, alarm.AlarmName).toEqual([{ Ref: topicId }]);
    const alarmSubscriptions = (template = dev) =>
      Object.values(resourcesOfType(template, 'AWS::SNS::Subscription')).filter((s) => s.Properties.TopicArn.Ref === topicId);
    expect(alarmSubscriptions()).toEqual([]);
    prod.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: PROD_PROPS.alarmEmail });
  });

  it('alarms on any message visible in each of the four dead-letter queues', () => {
    const dlqs = [
      devStack.dispatch.sendDlq,
      devStack.dispatch.fanOutDlq,
      devStack.scheduling.deadLetterQueue,
      devStack.deliveryReports!.deadLetterQueue,
    ];
    for (const dlq of dlqs) {
      const id = logicalId(devStack, dlq);
      const alarm = alarms().find((a) => JSON.stringify(a.Dimensions ?? []).includes(id));
      expect(alarm, id).toMatchObject({
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Namespace: 'AWS/SQS',
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      });
    }
  });

  it('alarms on errors and throttles of every Lambda', () => {
    for (const name of Object.keys(HANDLER_ENTRIES) as (keyof typeof HANDLER_ENTRIES)[]) {
      for (const metric of ['Errors', 'Throttles']) {
        const alarm = alarms().find((a) => a.MetricName === metric && JSON.stringify(a.Dimensions).includes(fnId(name)));
        expect(alarm, `${name} ${metric}`).toMatchObject({ Namespace: 'AWS/Lambda', Threshold: 1 });
      }
    }
  });

  it('alarms when Scheduler fails to invoke the schedule target or drops a fire', () => {
    for (const metric of ['TargetErrorCount', 'InvocationDroppedCount']) {
      expect(alarms().find((a) => a.MetricName === metric)).toMatchObject({
        Namespace: 'AWS/Scheduler',
        Dimensions: [{ Name: 'ScheduleGroup', Value: 'loa-dev' }],
      });
    }
  });

  it('alarms when the SMS failure rate reported by SNS goes over the threshold', () => {
    const alarm = alarms().find((a) => a.AlarmName === 'loa-dev-SmsFailureRate')!;
    expect(alarm.Threshold).toBe(10);
    const metrics = alarm.Metrics.map((m: { MetricStat?: { Metric: { MetricName: string; Namespace: string } } }) => m.MetricStat?.Metric);
    expect(metrics).toEqual(
      expect.arrayContaining([
        { MetricName: SNS_DELIVERY_METRICS.delivered, Namespace: 'Loa/dev' },
        { MetricName: SNS_DELIVERY_METRICS.failed, Namespace: 'Loa/dev' },
      ]),
    );
    const expression = alarm.Metrics.find((m: { Expression?: string }) => m.Expression).Expression as string;
    expect(expression).toBe('IF(delivered + failed >= 50, 100 * failed / (delivered + failed), 0)');
    for (const metric of alarm.Metrics.filter((m: { MetricStat?: unknown }) => m.MetricStat))
      expect(metric.MetricStat.Period).toBe(15 * 60);
  });

  it('has a dashboard per stage with campaign progress and delivery by carrier from the EMF namespace', () => {
    dev.hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: 'Loa-dev' });
    prod.hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: 'Loa-prod' });
    const body = text(Object.values(resourcesOfType(dev, 'AWS::CloudWatch::Dashboard'))[0]!.Properties.DashboardBody);
    expect(body).toContain('SELECT SUM(submitted) FROM \\"Loa/dev\\"');
    expect(body).toContain('SELECT SUM(delivered) FROM \\"Loa/dev\\" GROUP BY carrier');
    expect(body).toContain('SELECT SUM(failed) FROM \\"Loa/dev\\" GROUP BY carrier');
    expect(body).toContain('SELECT SUM(expired) FROM \\"Loa/dev\\" GROUP BY carrier');
    expect(body).toContain('ApproximateNumberOfMessagesVisible');
    expect(body).toContain('SMSMonthToDateSpentUSD');
  });
});
