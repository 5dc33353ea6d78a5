/**
 * AWS End User Messaging SMS for the stage's `eum` gateways: the stage's own configuration set, whose
 * event destination publishes every final SMS event to an SNS topic; the topic hands them to a queue
 * (raw message delivery) that the delivery-event Lambda reads in batches, one store call per batch.
 *
 * Why an SNS topic: the configuration set's event destinations (AWS::SMSVOICE::ConfigurationSet
 * EventDestination) are CloudWatch Logs, Data Firehose or SNS; there is no EventBridge destination. SNS
 * needs no log group holding phone numbers and no delivery stream; the queue after it batches the reports
 * and keeps them through an outage of the table (then its dead-letter queue).
 *
 * Everything is the stage's own: a second stage in the account has its own configuration set and topic,
 * and nothing account-wide is set (unlike SNS's SMS delivery-status logging).
 */
import { Arn, ArnFormat, Aws, Duration, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as smsvoice from 'aws-cdk-lib/aws-smsvoice';
import * as sns from 'aws-cdk-lib/aws-sns';
import { SqsSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { DELIVERY_EVENT_TYPES } from '../../lambdas/adapters/eum/delivery-events.js';
import type { DataTable } from './data-table.js';
import { deadLetterQueue, MAX_RECEIVES } from './dispatch.js';
import { LoaFunction } from './functions.js';

export interface EndUserMessagingProps {
  stage: string;
  data: DataTable;
  /** The `originationIdentity` of each eum gateway: a sender ID, a pool or phone number id, or an ARN. */
  originationIdentities: string[];
}

const INGESTER_TIMEOUT = Duration.seconds(60);

export class EndUserMessaging extends Construct {
  readonly configurationSet: smsvoice.CfnConfigurationSet;
  readonly configurationSetName: string;
  readonly topic: sns.Topic;
  readonly queue: sqs.Queue;
  /** Events the ingester failed on MAX_RECEIVES times. */
  readonly deadLetterQueue: sqs.Queue;
  readonly ingester: LoaFunction;
  private readonly identityArns: string[];
  /** Sender IDs given without their ARN: granted in every country. */
  private readonly bareSenderIds: string[];

  constructor(scope: Construct, id: string, props: EndUserMessagingProps) {
    super(scope, id);
    if (props.originationIdentities.length === 0) throw new Error('EndUserMessaging needs the origination identity of an eum gateway');
    this.configurationSetName = `loa-${props.stage}`;
    const configurationSetArn = smsVoiceArn(this, `configuration-set/${this.configurationSetName}`);
    const identities = [...new Set(props.originationIdentities)];
    this.identityArns = identities.map((identity) => originationIdentityArn(this, identity));
    this.bareSenderIds = identities.filter((identity) => originationIdentityArn(this, identity).endsWith('/*'));

    this.topic = new sns.Topic(this, 'Events', { displayName: `Loa ${props.stage} SMS delivery events`, enforceSSL: true });
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'EndUserMessagingPublishes',
        principals: [new iam.ServicePrincipal('sms-voice.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID }, ArnLike: { 'aws:SourceArn': configurationSetArn } },
      }),
    );

    this.deadLetterQueue = deadLetterQueue(this, 'EventDlq');
    this.queue = new sqs.Queue(this, 'EventQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      visibilityTimeout: INGESTER_TIMEOUT.plus(Duration.minutes(1)),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: MAX_RECEIVES },
    });
    this.topic.addSubscription(new SqsSubscription(this.queue, { rawMessageDelivery: true }));

    this.configurationSet = new smsvoice.CfnConfigurationSet(this, 'ConfigurationSet', {
      configurationSetName: this.configurationSetName,
      eventDestinations: [
        {
          eventDestinationName: 'loa-delivery-events',
          enabled: true,
          matchingEventTypes: [...DELIVERY_EVENT_TYPES],
          snsDestination: { topicArn: this.topic.topicArn },
        },
      ],
    });
    // End User Messaging checks that it may publish when the destination is created.
    const topicPolicy = this.topic.node.tryFindChild('Policy');
    if (topicPolicy) this.configurationSet.node.addDependency(topicPolicy);

    this.ingester = new LoaFunction(this, 'Ingester', {
      stage: props.stage,
      handler: 'eumDeliveryEvents',
      description: 'reads End User Messaging SMS delivery events and moves receipts to delivered or failed',
      memorySize: 512,
      timeout: INGESTER_TIMEOUT,
    });
    props.data.bindTable(this.ingester.fn);
    this.ingester.fn.addEventSource(
      new SqsEventSource(this.queue, { batchSize: 100, maxBatchingWindow: Duration.seconds(5), maxConcurrency: 2 }),
    );
  }

  /** Lets a sender send text messages from the identities through this configuration set: EUM_CONFIGURATION_SET. */
  bindSender(fn: lambda.Function): void {
    const configurationSetArn = smsVoiceArn(this, `configuration-set/${this.configurationSetName}`);
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'SendTextThroughStageConfigurationSet',
        actions: ['sms-voice:SendTextMessage'],
        resources: [...this.identityArns, configurationSetArn],
      }),
    );
    fn.addEnvironment('EUM_CONFIGURATION_SET', this.configurationSetName);
    for (const senderId of this.bareSenderIds) {
      Validations.of(fn.role!).acknowledge({
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:sms-voice:<AWS::Region>:<AWS::AccountId>:sender-id/${senderId}/*]`,
        reason: 'A sender ID is a resource per country (sender-id/<id>/<country>): the gateway names the ID, not the country.',
      });
    }
  }
}

/** An ARN of End User Messaging (service sms-voice) in this stack's account and region. */
function smsVoiceArn(scope: Construct, resource: string): string {
  return Arn.format({ service: 'sms-voice', resource, arnFormat: ArnFormat.NO_RESOURCE_NAME }, Stack.of(scope));
}

/**
 * The ARN IAM checks for an origination identity: an ARN as given (a shared identity of another account),
 * `pool-…` and `phone-…` ids as this account's pool and phone number, anything else as a sender ID of any
 * country.
 */
export function originationIdentityArn(scope: Construct, identity: string): string {
  if (identity.startsWith('arn:')) return identity;
  if (/^pool-[A-Za-z0-9]+$/.test(identity)) return smsVoiceArn(scope, `pool/${identity}`);
  if (/^phone-[A-Za-z0-9]+$/.test(identity)) return smsVoiceArn(scope, `phone-number/${identity}`);
  return smsVoiceArn(scope, `sender-id/${identity}/*`);
}
