/**
 * Delivery reports of SNS SMS. SNS writes a delivery-status line per SMS to two CloudWatch Logs groups
 * of the account, `sns/<region>/<account>/DirectPublishToPhoneNumber` (successes) and `.../Failure`,
 * once the account's SMS attributes name a role it may write them with (README, "Deploy to AWS"):
 * that role is here. A subscription filter on each group hands the lines to the delivery-report
 * Lambda, which moves receipts forward; metric filters count successes and failures for the
 * failure-rate alarm.
 *
 * The groups are the account's, not the stage's: the stack has this part only when asked
 * (`-c snsDeliveryLogs=create|existing`). CloudFormation needs the groups to exist before it subscribes to
 * them, so `create` makes them (SNS then writes into them) and `existing` uses those already in the account.
 * Every stage subscribed reads every stage's lines: the ingester keeps only those matching its receipts.
 */
import { Aws, Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { LambdaDestination } from 'aws-cdk-lib/aws-logs-destinations';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { isDisposable } from '../config.js';
import type { DataTable } from './data-table.js';
import { deadLetterQueue } from './dispatch.js';
import { LoaFunction, metricsNamespace } from './functions.js';

/** The names SNS gives the delivery-status log groups of SMS sent straight to phone numbers. */
export function snsSmsLogGroupNames(region: string = Aws.REGION, account: string = Aws.ACCOUNT_ID) {
  const success = `sns/${region}/${account}/DirectPublishToPhoneNumber`;
  return { success, failure: `${success}/Failure` };
}

/** Metrics the metric filters publish (in the stage's namespace): one per SNS delivery-status line. */
export const SNS_DELIVERY_METRICS = { delivered: 'SnsSmsDelivered', failed: 'SnsSmsFailed' } as const;

export interface DeliveryReportsProps {
  stage: string;
  data: DataTable;
  existingLogGroups?: boolean;
}

export class DeliveryReports extends Construct {
  readonly successLogs: logs.ILogGroup;
  readonly failureLogs: logs.ILogGroup;
  /** The role SNS assumes to write delivery-status logs (the account's SMS attribute DeliveryStatusIAMRole). */
  readonly snsLoggingRole: iam.Role;
  readonly ingester: LoaFunction;
  /** Delivery-status batches the ingester failed on, after Lambda's retries. */
  readonly deadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: DeliveryReportsProps) {
    super(scope, id);
    const names = snsSmsLogGroupNames();
    const disposable = isDisposable(props.stage);
    const group = (groupId: string, logGroupName: string): logs.ILogGroup =>
      props.existingLogGroups
        ? logs.LogGroup.fromLogGroupName(this, groupId, logGroupName)
        : new logs.LogGroup(this, groupId, {
            logGroupName,
            retention: logs.RetentionDays.ONE_MONTH,
            removalPolicy: disposable ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
          });
    this.successLogs = group('SuccessLogs', names.success);
    this.failureLogs = group('FailureLogs', names.failure);

    this.snsLoggingRole = new iam.Role(this, 'SnsLoggingRole', {
      description: `Loa ${props.stage}: lets SNS write SMS delivery-status logs (SMS attribute DeliveryStatusIAMRole)`,
      assumedBy: new iam.ServicePrincipal('sns.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
      }),
    });
    this.snsLoggingRole.addToPolicy(
      new iam.PolicyStatement({
        sid: 'WriteSmsDeliveryStatus',
        actions: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.successLogs.logGroupArn, this.failureLogs.logGroupArn],
      }),
    );
    if (props.existingLogGroups) {
      for (const name of [names.success, names.failure]) {
        const group = name.replace(Aws.REGION, '<AWS::Region>').replace(Aws.ACCOUNT_ID, '<AWS::AccountId>');
        Validations.of(this.snsLoggingRole).acknowledge({
          id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:${group}:*]`,
          reason: 'The log streams of the SNS delivery-status group: SNS names a stream per delivery batch.',
        });
      }
    }

    this.deadLetterQueue = deadLetterQueue(this, 'ReportDlq');
    this.ingester = new LoaFunction(this, 'Ingester', {
      stage: props.stage,
      handler: 'deliveryReports',
      description: 'reads SNS SMS delivery-status logs and moves receipts to delivered or failed',
      memorySize: 512,
      timeout: Duration.seconds(60),
      deadLetterQueue: this.deadLetterQueue,
    });
    props.data.bindTable(this.ingester.fn);

    const namespace = metricsNamespace(props.stage);
    for (const [logGroup, status, metricName] of [
      [this.successLogs, 'SUCCESS', SNS_DELIVERY_METRICS.delivered],
      [this.failureLogs, 'FAILURE', SNS_DELIVERY_METRICS.failed],
    ] as const) {
      const name = status === 'SUCCESS' ? 'Success' : 'Failure';
      new logs.SubscriptionFilter(this, `${name}ToIngester`, {
        logGroup,
        destination: new LambdaDestination(this.ingester.fn),
        filterPattern: logs.FilterPattern.allEvents(),
      });
      new logs.MetricFilter(this, `${name}Count`, {
        logGroup,
        filterPattern: logs.FilterPattern.stringValue('$.status', '=', status),
        metricNamespace: namespace,
        metricName,
        metricValue: '1',
      });
    }
  }
}
