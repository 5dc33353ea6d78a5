/**
 * The SMPP service on ECS Fargate (lambdas/smpp-service/): the long-lived sender of the smpp gateways,
 * whose binds stay open so delivery receipts come back on them. Made only when the configuration has
 * smpp gateways.
 *
 * - Network: a VPC of two public and two private subnets with one NAT gateway on an Elastic IP of the
 *   stack's own (kept outside dev), so every task reaches the carriers from one fixed address they can
 *   allow-list (the EgressIp output). DynamoDB is reached through a gateway endpoint, not the NAT. The
 *   tasks take no inbound traffic; outbound they reach HTTPS (AWS APIs) and the SMPP ports configured.
 * - Tasks: Fargate on arm64, as many as the carriers allow binds (`desiredCount`, default 1). A
 *   deployment stops the old tasks before it starts the new ones (minimum healthy 0 %, maximum 100 %):
 *   two tasks of one system id bound at once could be refused, or split the receipts between them. The
 *   deployment circuit breaker rolls back a version whose tasks cannot start (a refused bind exits 1).
 * - Stopping: ECS sends SIGTERM and waits stopTimeout (120 s, Fargate's longest) before SIGKILL; the
 *   service drains within it (lambdas/smpp-service/smpp-service.ts).
 * - Image: built from the repository by the Dockerfile at deploy time (cdk-assets); at synth, CDK only
 *   stages the few files the build needs (package.json, package-lock.json, tsconfig.json, lambdas/), so
 *   `npm run synth` needs no Docker and stays fast.
 * - Permissions (task role): the table as the stores use it, the SMPP send queue (receive, extend or end
 *   a lease, delete, and send for a rescheduled job), GetSecretValue on the secrets the smpp gateways
 *   name. Metrics are EMF lines in the task's log (CloudWatch extracts them), so no PutMetricData.
 */
import { ArnFormat, type CfnElement, CfnOutput, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Platform } from 'aws-cdk-lib/aws-ecr-assets';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { DEFAULT_CONFIG } from '../../lambdas/core/config.js';
import { type GatewayConfig, gatewayHost, type LoaConfigFile, secretNames } from '../../lambdas/settings/gateways-file.js';
import { isDisposable } from '../config.js';
import { STORE_ACTIONS, type DataTable } from './data-table.js';
import { metricsNamespace, PROJECT_ROOT } from './functions.js';

/** ECS waits this long after SIGTERM before SIGKILL: Fargate's longest, the service's drain budget. */
export const SMPP_STOP_TIMEOUT = Duration.seconds(120);
export const SMPP_DOCKERFILE = 'lambdas/smpp-service/Dockerfile';
/** What the image build needs of the repository, as .dockerignore patterns: everything else stays out. */
export const SMPP_IMAGE_FILES = ['*', '!package.json', '!package-lock.json', '!tsconfig.json', '!lambdas'];

type SmppGatewayConfig = Extract<GatewayConfig, { type: 'smpp' }>;

export interface SmppServiceProps {
  stage: string;
  data: DataTable;
  /** The SMPP send queue: the jobs whose route starts with an smpp gateway. */
  queue: sqs.IQueue;
  /** The configuration (loa.config.json), its `secret:` references kept: the tasks' LOA_GATEWAYS. */
  gateways: LoaConfigFile;
  /** Tasks, each binding every smpp gateway once: no more than the carriers allow binds. Default 1. */
  desiredCount?: number;
  /** Dispatcher settings shared with the sender Lambda (LOA_TEST_NUMBERS, ...). */
  environment?: Record<string, string>;
}

export class SmppService extends Construct {
  readonly vpc: ec2.Vpc;
  readonly egressIp: ec2.CfnEIP;
  readonly cluster: ecs.Cluster;
  readonly taskDefinition: ecs.FargateTaskDefinition;
  readonly container: ecs.ContainerDefinition;
  readonly service: ecs.FargateService;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: SmppServiceProps) {
    super(scope, id);
    const disposable = isDisposable(props.stage);
    const removalPolicy = disposable ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN;
    const retention = disposable ? logs.RetentionDays.ONE_WEEK : logs.RetentionDays.SIX_MONTHS;
    const desiredCount = props.desiredCount ?? 1;
    const smppGateways = props.gateways.gateways.filter((gateway): gateway is SmppGatewayConfig => gatewayHost(gateway.type) === 'smpp');
    if (smppGateways.length === 0) throw new Error('The SMPP service needs a configuration with smpp gateways');
    if (!Number.isInteger(desiredCount) || desiredCount < 1)
      throw new Error(`smpp desiredCount must be a whole number >= 1: ${desiredCount}`);

    // The address carriers allow-list: kept when the stack goes (outside dev), so a new stack can reuse it.
    this.egressIp = new ec2.CfnEIP(this, 'EgressIp', { domain: 'vpc' });
    this.egressIp.applyRemovalPolicy(removalPolicy);
    this.vpc = new ec2.Vpc(this, 'Vpc', {
      maxAzs: 2,
      natGateways: 1,
      natGatewayProvider: ec2.NatProvider.gateway({ eipAllocationIds: [this.egressIp.attrAllocationId] }),
      subnetConfiguration: [
        { name: 'public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 },
        { name: 'private', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 24 },
      ],
      gatewayEndpoints: { DynamoDb: { service: ec2.GatewayVpcEndpointAwsService.DYNAMODB } },
    });
    const flowLogs = new logs.LogGroup(this, 'FlowLogs', { retention, removalPolicy });
    this.vpc.addFlowLog('RejectedTraffic', {
      destination: ec2.FlowLogDestination.toCloudWatchLogs(flowLogs),
      trafficType: ec2.FlowLogTrafficType.REJECT,
    });

    this.cluster = new ecs.Cluster(this, 'Cluster', { vpc: this.vpc, containerInsightsV2: ecs.ContainerInsights.ENABLED });
    this.logGroup = new logs.LogGroup(this, 'Logs', { retention, removalPolicy });
    this.taskDefinition = new ecs.FargateTaskDefinition(this, 'Task', {
      cpu: 512,
      memoryLimitMiB: 1024,
      runtimePlatform: { cpuArchitecture: ecs.CpuArchitecture.ARM64, operatingSystemFamily: ecs.OperatingSystemFamily.LINUX },
    });
    this.container = this.taskDefinition.addContainer('smpp', {
      image: ecs.ContainerImage.fromAsset(PROJECT_ROOT, {
        file: SMPP_DOCKERFILE,
        platform: Platform.LINUX_ARM64,
        exclude: SMPP_IMAGE_FILES,
      }),
      essential: true,
      readonlyRootFilesystem: true,
      stopTimeout: SMPP_STOP_TIMEOUT,
      logging: ecs.LogDrivers.awsLogs({ streamPrefix: 'smpp', logGroup: this.logGroup }),
      environment: {
        TABLE_NAME: props.data.table.tableName,
        SMPP_SEND_QUEUE_URL: props.queue.queueUrl,
        LOA_GATEWAYS: JSON.stringify(props.gateways),
        LOA_TIMEZONE: DEFAULT_CONFIG.timezone,
        POWERTOOLS_SERVICE_NAME: 'loa-smpp',
        POWERTOOLS_METRICS_NAMESPACE: metricsNamespace(props.stage),
        LOG_LEVEL: disposable ? 'debug' : 'info',
        ...props.environment,
      },
    });
    Validations.of(this.taskDefinition.obtainExecutionRole()).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'ECS pulls the image from ECR with ecr:GetAuthorizationToken, which has no resource narrower than "*".',
    });
    Validations.of(this.taskDefinition).acknowledge({
      id: 'AwsSolutions-ECS2',
      reason:
        'The variables are names, URLs and settings; LOA_GATEWAYS keeps secret:NAME references, which the task reads ' +
        'from Secrets Manager when it starts: no secret value is in the task definition.',
    });

    const securityGroup = new ec2.SecurityGroup(this, 'Tasks', {
      vpc: this.vpc,
      description: `Loa ${props.stage}: SMPP service tasks, no inbound; outbound HTTPS and the SMPP ports of the carriers`,
      allowAllOutbound: false,
    });
    securityGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'AWS APIs (SQS, Secrets Manager, DynamoDB, logs)');
    for (const port of new Set(smppGateways.map((gateway) => gateway.port))) {
      securityGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(port), 'SMPP binds to the carriers');
    }

    this.service = new ecs.FargateService(this, 'Service', {
      cluster: this.cluster,
      taskDefinition: this.taskDefinition,
      desiredCount,
      minHealthyPercent: 0,
      maxHealthyPercent: 100,
      circuitBreaker: { enable: true, rollback: true },
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      securityGroups: [securityGroup],
      assignPublicIp: false,
    });

    this.grantTaskRole(props, smppGateways);
    new CfnOutput(this, 'EgressIpAddress', {
      value: this.egressIp.attrPublicIp,
      description: 'The one address the SMPP binds come from: give it to the carriers to allow-list',
    });
  }

  private grantTaskRole(props: SmppServiceProps, smppGateways: SmppGatewayConfig[]): void {
    const role = this.taskDefinition.taskRole;
    props.data.table.grant(role, ...STORE_ACTIONS);
    props.queue.grantConsumeMessages(role);
    props.queue.grantSendMessages(role);
    const stack = Stack.of(this);
    const secretArns = secretNames(smppGateways).map((name) =>
      name.startsWith('arn:')
        ? name
        : // Secrets Manager appends six random characters to a secret's name in its ARN.
          stack.formatArn({
            service: 'secretsmanager',
            resource: 'secret',
            resourceName: `${name}-??????`,
            arnFormat: ArnFormat.COLON_RESOURCE_NAME,
          }),
    );
    if (secretArns.length > 0) {
      role.addToPrincipalPolicy(
        new iam.PolicyStatement({ sid: 'ReadSmppCredentials', actions: ['secretsmanager:GetSecretValue'], resources: secretArns }),
      );
    }
    const tableRef = stack.getLogicalId(props.data.table.node.defaultChild as CfnElement);
    Validations.of(role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${tableRef}.Arn>/index/*]`,
      reason: 'The store queries the GSIs of its one table; the actions are listed, the indexes are only those of this table.',
    });
  }
}
