/**
 * What operators watch: a CloudWatch dashboard per stage (a campaign's progress from the handlers' EMF
 * metrics, delivery by carrier, queues, Lambdas, SMS spend) and alarms to an SNS topic that e-mails
 * the operators: SMS failure rate over a threshold, any message in a dead-letter queue, Lambda errors
 * and throttles, schedule target failures.
 *
 * The EMF metrics (lambdas/core/ports.ts `MetricName`, dimensions gateway and carrier, plus whatever
 * the handlers add) are read with Metrics Insights queries, which sum over every dimension set of a
 * metric name, so the dashboard does not depend on the exact dimensions a handler publishes with.
 */
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { MetricName } from '../../lambdas/core/ports.js';
import { SNS_DELIVERY_METRICS } from './delivery-reports.js';
import { metricsNamespace, type LoaFunction } from './functions.js';

/** Per cent of SMS that SNS reports failed, over FAILURE_RATE_PERIOD, above which the alarm fires. */
export const FAILURE_RATE_THRESHOLD_PERCENT = 10;
export const FAILURE_RATE_PERIOD = Duration.minutes(15);
/** Below this many reports in the period the rate says nothing (two failures of three test SMS). */
export const FAILURE_RATE_MIN_MESSAGES = 50;
const DEAD_LETTER_ADVICE = 'something was not done; look at it, fix the cause, redrive it';

export interface ObservabilityProps {
  stage: string;
  alarmEmail?: string;
  functions: Record<string, LoaFunction>;
  deadLetterQueues: Record<string, sqs.IQueue>;
  workQueues: Record<string, sqs.IQueue>;
  scheduleGroup: scheduler.IScheduleGroup;
}

export class Observability extends Construct {
  readonly topic: sns.Topic;
  readonly dashboard: cloudwatch.Dashboard;
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: ObservabilityProps) {
    super(scope, id);
    const namespace = metricsNamespace(props.stage);

    this.topic = new sns.Topic(this, 'AlarmTopic', {
      displayName: `Loa ${props.stage} alarms`,
      enforceSSL: true,
    });
    if (props.alarmEmail) this.topic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));
    const alarm = (alarmId: string, alarmProps: cloudwatch.AlarmProps) => {
      const created = new cloudwatch.Alarm(this, alarmId, {
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        ...alarmProps,
        alarmName: `loa-${props.stage}-${alarmProps.alarmName ?? alarmId}`,
      });
      created.addAlarmAction(new actions.SnsAction(this.topic));
      created.addOkAction(new actions.SnsAction(this.topic));
      this.alarms.push(created);
      return created;
    };

    // SMS failure rate, from SNS's own delivery-status lines (delivery-reports.ts counts them).
    const snsMetric = (metricName: string) =>
      new cloudwatch.Metric({ namespace, metricName, statistic: 'Sum', period: FAILURE_RATE_PERIOD });
    const failureRate = new cloudwatch.MathExpression({
      label: 'SMS failed (%)',
      expression: `IF(delivered + failed >= ${FAILURE_RATE_MIN_MESSAGES}, 100 * failed / (delivered + failed), 0)`,
      usingMetrics: {
        delivered: snsMetric(SNS_DELIVERY_METRICS.delivered),
        failed: snsMetric(SNS_DELIVERY_METRICS.failed),
      },
      period: FAILURE_RATE_PERIOD,
    });
    alarm('SmsFailureRate', {
      alarmDescription:
        `More than ${FAILURE_RATE_THRESHOLD_PERCENT}% of SMS failed (SNS delivery status) ` +
        `over ${FAILURE_RATE_PERIOD.toMinutes()} minutes, with at least ${FAILURE_RATE_MIN_MESSAGES} reports`,
      metric: failureRate,
      threshold: FAILURE_RATE_THRESHOLD_PERCENT,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
    });

    for (const [name, queue] of Object.entries(props.deadLetterQueues)) {
      alarm(`${name}Dlq`, {
        alarmDescription: `A message is waiting in the ${name} dead-letter queue: ${DEAD_LETTER_ADVICE}`,
        metric: queue.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum', period: Duration.minutes(1) }),
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
      });
    }

    for (const [name, { fn }] of Object.entries(props.functions)) {
      alarm(`${name}Errors`, {
        alarmDescription: `The ${name} Lambda failed`,
        metric: fn.metricErrors({ statistic: 'Sum', period: Duration.minutes(5) }),
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
      });
      alarm(`${name}Throttles`, {
        alarmDescription: `The ${name} Lambda was throttled`,
        metric: fn.metricThrottles({ statistic: 'Sum', period: Duration.minutes(5) }),
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
      });
    }

    alarm('SchedulerTargetErrors', {
      alarmDescription: 'EventBridge Scheduler could not invoke the schedule target for a campaign schedule',
      metric: props.scheduleGroup.metricTargetErrors({ statistic: 'Sum', period: Duration.minutes(5) }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
    });
    alarm('SchedulerDropped', {
      alarmDescription: 'EventBridge Scheduler gave up on a campaign schedule fire (retries exhausted)',
      metric: props.scheduleGroup.metricDropped({ statistic: 'Sum', period: Duration.minutes(5) }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
    });

    this.dashboard = this.createDashboard(props, namespace, failureRate);
  }

  private createDashboard(props: ObservabilityProps, namespace: string, failureRate: cloudwatch.IMetric) {
    const insights = (title: string, query: string) =>
      new cloudwatch.GraphWidget({
        title,
        width: 8,
        height: 6,
        left: [new cloudwatch.MathExpression({ expression: query, label: title, period: Duration.minutes(1) })],
      });
    const from = `FROM "${namespace}"`;
    const byCarrier = (name: MetricName) => `SELECT SUM(${name}) ${from} GROUP BY carrier`;
    const minute = Duration.minutes(1);
    const functions = Object.entries(props.functions);

    const dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: `Loa-${props.stage}`,
      defaultInterval: Duration.hours(3),
    });
    dashboard.addWidgets(
      new cloudwatch.TextWidget({
        markdown:
          `# Loa ${props.stage}\nCampaign progress from the senders, delivery reports and janitor (EMF metrics in \`${namespace}\`), ` +
          'queues, Lambdas and SMS spend. Alarms e-mail the operators.',
        width: 24,
        height: 2,
      }),
    );
    dashboard.addWidgets(
      insights('Submitted to the gateway (per minute)', `SELECT SUM(${MetricName.submitted}) ${from}`),
      insights('Delivered by carrier (per minute)', byCarrier(MetricName.delivered)),
      insights('Failed by carrier (per minute)', byCarrier(MetricName.failed)),
    );
    dashboard.addWidgets(
      insights('Expired without a report, by carrier', byCarrier(MetricName.expired)),
      insights('Retries by gateway', `SELECT SUM(${MetricName.retries}) ${from} GROUP BY gateway`),
      insights('Throttled by the gateway', `SELECT SUM(${MetricName.throttles}) ${from} GROUP BY gateway`),
    );
    dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'SNS delivery status and failure rate',
        width: 8,
        height: 6,
        left: [
          new cloudwatch.Metric({
            namespace,
            metricName: SNS_DELIVERY_METRICS.delivered,
            statistic: 'Sum',
            period: minute,
            label: 'delivered',
          }),
          new cloudwatch.Metric({ namespace, metricName: SNS_DELIVERY_METRICS.failed, statistic: 'Sum', period: minute, label: 'failed' }),
        ],
        right: [failureRate],
      }),
      new cloudwatch.GraphWidget({
        title: 'Work waiting in queues',
        width: 8,
        height: 6,
        left: Object.entries(props.workQueues).map(([name, queue]) =>
          queue.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum', period: minute, label: `${name} waiting` }),
        ),
        right: Object.entries(props.workQueues).map(([name, queue]) =>
          queue.metricApproximateAgeOfOldestMessage({ statistic: 'Maximum', period: minute, label: `${name} oldest (s)` }),
        ),
      }),
      new cloudwatch.GraphWidget({
        title: 'Dead-letter queues',
        width: 8,
        height: 6,
        left: Object.entries(props.deadLetterQueues).map(([name, queue]) =>
          queue.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum', period: minute, label: name }),
        ),
      }),
    );
    dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Lambda invocations',
        width: 8,
        height: 6,
        left: functions.map(([name, { fn }]) => fn.metricInvocations({ statistic: 'Sum', period: minute, label: name })),
      }),
      new cloudwatch.GraphWidget({
        title: 'Lambda errors and throttles',
        width: 8,
        height: 6,
        left: functions.map(([name, { fn }]) => fn.metricErrors({ statistic: 'Sum', period: minute, label: `${name} errors` })),
        right: functions.map(([name, { fn }]) => fn.metricThrottles({ statistic: 'Sum', period: minute, label: `${name} throttles` })),
      }),
      new cloudwatch.GraphWidget({
        title: 'SMS spent this month (USD)',
        width: 8,
        height: 6,
        left: [
          new cloudwatch.Metric({
            namespace: 'AWS/SNS',
            metricName: 'SMSMonthToDateSpentUSD',
            statistic: 'Maximum',
            period: Duration.hours(1),
          }),
        ],
      }),
    );
    dashboard.addWidgets(new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: this.alarms, width: 24, height: 4 }));
    return dashboard;
  }
}
