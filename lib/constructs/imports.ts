/**
 * Imports in slices on AWS: the bucket callers PUT subscriber files to (presigned by the API), the queue
 * S3 tells of each new file and the import Lambda hands unfinished imports on through, and the import
 * Lambda, which reads each file from the byte its import stands at (a Range GET) and writes the rows to
 * the table (lambdas/handlers/import.ts). The files hold phone numbers: the bucket is private, encrypted,
 * TLS only, and deletes them a week after they were put.
 */
import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3n from 'aws-cdk-lib/aws-s3-notifications';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { isDisposable } from '../config.js';
import type { DataTable } from './data-table.js';
import { deadLetterQueue, MAX_RECEIVES } from './dispatch.js';
import { LoaFunction } from './functions.js';

/** The longest a Lambda may run: a slice stops a minute before (lambdas/handlers/import.ts). */
export const IMPORT_TIMEOUT = Duration.minutes(15);
/** Where the files are put: imports/<import id>.csv. */
export const IMPORT_PREFIX = 'imports/';
/** Days a file is kept: an import runs in minutes; a failed one is looked at within days. */
export const IMPORT_FILE_DAYS = 7;

export interface ImportsProps {
  stage: string;
  data: DataTable;
  /** Origins of the console, which PUTs files from the browser (CORS). */
  consoleOrigins: string[];
}

export class Imports extends Construct {
  readonly bucket: s3.Bucket;
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;
  readonly importer: LoaFunction;

  constructor(scope: Construct, id: string, props: ImportsProps) {
    super(scope, id);
    const disposable = isDisposable(props.stage);

    this.bucket = new s3.Bucket(this, 'Files', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ expiration: Duration.days(IMPORT_FILE_DAYS), abortIncompleteMultipartUploadAfter: Duration.days(1) }],
      cors: [
        {
          allowedOrigins: props.consoleOrigins,
          allowedMethods: [s3.HttpMethods.PUT],
          allowedHeaders: ['content-type', 'if-none-match'],
          maxAge: 3600,
        },
      ],
      removalPolicy: disposable ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
      autoDeleteObjects: disposable,
    });
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'Files are put only with presigned URLs the API hands to authenticated callers (its log names the caller and the ' +
        'import), read only by the import Lambda, and deleted after 7 days; access logs would add a second copy of the keys.',
    });

    this.deadLetterQueue = deadLetterQueue(this, 'Dlq');
    this.queue = new sqs.Queue(this, 'Queue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      visibilityTimeout: IMPORT_TIMEOUT.plus(Duration.minutes(1)),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: MAX_RECEIVES },
    });
    this.bucket.addEventNotification(s3.EventType.OBJECT_CREATED, new s3n.SqsDestination(this.queue), {
      prefix: IMPORT_PREFIX,
      suffix: '.csv',
    });

    this.importer = new LoaFunction(this, 'Importer', {
      stage: props.stage,
      handler: 'import',
      description: 'imports a subscriber file put in the import bucket, in slices, from where its import stands',
      memorySize: 1024,
      timeout: IMPORT_TIMEOUT,
      environment: { IMPORT_BUCKET: this.bucket.bucketName, IMPORT_QUEUE_URL: this.queue.queueUrl },
    });
    props.data.bindTable(this.importer.fn);
    // An import restores the opt-out of an erased number that comes back (its pseudonym's).
    props.data.bindPseudonymKey(this.importer.fn);
    this.importer.fn.addToRolePolicy(
      new iam.PolicyStatement({ sid: 'ReadImportFiles', actions: ['s3:GetObject'], resources: [this.filesArn()] }),
    );
    this.acknowledgeFiles(this.importer.fn, 'reads the file of any import (a Range GET), and nothing else in the bucket');
    this.queue.grantSendMessages(this.importer.fn);
    this.importer.fn.addEventSource(new SqsEventSource(this.queue, { batchSize: 1, reportBatchItemFailures: true }));

    // The custom resource that sets the bucket's notification runs once a deploy, in the account's own role.
    const notifications = Stack.of(this).node.tryFindChild('BucketNotificationsHandler050a0587b7544547bf325f094a3db834');
    if (notifications) {
      Validations.of(notifications).acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason: "CDK's bucket-notification handler writes only its own logs with AWS's basic execution policy.",
      });
      Validations.of(notifications).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: 'CDK\'s bucket-notification handler needs s3:PutBucketNotification, which it is given on "*" by CDK itself.',
      });
    }
  }

  /** Lets a function presign PUTs of import files (the API): s3:PutObject on imports/*, and IMPORT_BUCKET. */
  bindUploads(fn: lambda.Function): void {
    fn.addToRolePolicy(new iam.PolicyStatement({ sid: 'PresignImportUploads', actions: ['s3:PutObject'], resources: [this.filesArn()] }));
    fn.addEnvironment('IMPORT_BUCKET', this.bucket.bucketName);
    this.acknowledgeFiles(fn, 'presigns the PUT of the file of any import it creates (imports/<id>.csv), and nothing else');
  }

  private filesArn(): string {
    return this.bucket.arnForObjects(`${IMPORT_PREFIX}*`);
  }

  private acknowledgeFiles(fn: lambda.Function, what: string): void {
    const bucketRef = Stack.of(this).getLogicalId(this.bucket.node.defaultChild as s3.CfnBucket);
    Validations.of(fn.role!).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${bucketRef}.Arn>/${IMPORT_PREFIX}*]`,
      reason: `The function ${what}: import ids are made at each import, so the keys are known only by their prefix.`,
    });
  }
}
