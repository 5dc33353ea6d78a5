/**
 * EventBridge Scheduler for campaigns: a schedule group of Loa's own, the role Scheduler assumes to
 * invoke the schedule target, and a standard SQS dead-letter queue for fires that could not be
 * delivered. The API creates, updates and deletes the schedules (one per campaign) at run time; this
 * construct only lets it, for the schedules of this group.
 */
import { ArnFormat, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { isDisposable } from '../config.js';
import type { DataTable } from './data-table.js';
import { deadLetterQueue, type Dispatch } from './dispatch.js';
import { LoaFunction } from './functions.js';

/** What the API may do to the schedules of its group, and nothing else. */
export const SCHEDULE_ACTIONS = ['scheduler:CreateSchedule', 'scheduler:UpdateSchedule', 'scheduler:DeleteSchedule'] as const;

export interface SchedulingProps {
  stage: string;
  data: DataTable;
  dispatch: Dispatch;
}

export class Scheduling extends Construct {
  readonly group: scheduler.ScheduleGroup;
  readonly groupName: string;
  /** Fires Scheduler could not deliver, and schedule-target invocations that failed after Lambda's retries. */
  readonly deadLetterQueue: sqs.Queue;
  /** The role Scheduler assumes to invoke the schedule target. */
  readonly schedulerRole: iam.Role;
  readonly scheduleTarget: LoaFunction;

  constructor(scope: Construct, id: string, props: SchedulingProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.groupName = `loa-${props.stage}`;
    this.group = new scheduler.ScheduleGroup(this, 'Group', {
      scheduleGroupName: this.groupName,
      removalPolicy: isDisposable(props.stage) ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
    });
    this.deadLetterQueue = deadLetterQueue(this, 'ScheduleDlq');

    this.scheduleTarget = new LoaFunction(this, 'ScheduleTarget', {
      stage: props.stage,
      handler: 'scheduleTarget',
      description: 'a schedule fired: starts the campaign run and queues its fan-out',
      memorySize: 512,
      timeout: Duration.seconds(60),
      deadLetterQueue: this.deadLetterQueue,
    });
    props.data.bindTable(this.scheduleTarget.fn);
    props.dispatch.bindFanOutQueue(this.scheduleTarget.fn);

    this.schedulerRole = new iam.Role(this, 'SchedulerRole', {
      description: `Loa ${props.stage}: assumed by EventBridge Scheduler to invoke the schedule target`,
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnEquals: { 'aws:SourceArn': this.group.scheduleGroupArn },
        },
      }),
    });
    this.schedulerRole.addToPolicy(
      new iam.PolicyStatement({
        sid: 'InvokeScheduleTarget',
        actions: ['lambda:InvokeFunction'],
        resources: [this.scheduleTarget.fn.functionArn],
      }),
    );
    this.deadLetterQueue.grantSendMessages(this.schedulerRole);
  }

  /**
   * Lets a function create, update and delete the schedules of this group, pass the scheduler role
   * (to Scheduler only), and tells it SCHEDULE_GROUP, SCHEDULE_TARGET_ARN, SCHEDULER_ROLE_ARN and
   * SCHEDULE_DLQ_ARN.
   */
  bindScheduler(fn: lambda.Function): void {
    const schedules = Stack.of(this).formatArn({
      service: 'scheduler',
      resource: 'schedule',
      resourceName: `${this.groupName}/*`,
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });
    fn.addToRolePolicy(new iam.PolicyStatement({ sid: 'ManageCampaignSchedules', actions: [...SCHEDULE_ACTIONS], resources: [schedules] }));
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'PassSchedulerRole',
        actions: ['iam:PassRole'],
        resources: [this.schedulerRole.roleArn],
        conditions: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
      }),
    );
    fn.addEnvironment('SCHEDULE_GROUP', this.groupName);
    fn.addEnvironment('SCHEDULE_TARGET_ARN', this.scheduleTarget.fn.functionArn);
    fn.addEnvironment('SCHEDULER_ROLE_ARN', this.schedulerRole.roleArn);
    fn.addEnvironment('SCHEDULE_DLQ_ARN', this.deadLetterQueue.queueArn);
    Validations.of(fn.role!).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:scheduler:<AWS::Region>:<AWS::AccountId>:schedule/${this.groupName}/*]`,
      reason: 'Schedules are created per campaign at run time; the API may only touch those of the Loa schedule group.',
    });
  }
}
