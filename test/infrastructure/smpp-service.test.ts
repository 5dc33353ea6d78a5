/**
 * The SMPP service's infrastructure (lib/constructs/smpp-service.ts) in a stack of its own, with the
 * table and an SMPP send queue: the Fargate task and service, the network with its one egress address,
 * the task role's permissions, the image staged small without Docker, and cdk-nag's AWS Solutions rules.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { VALIDATION_REPORT_FILE } from 'aws-cdk-lib/cx-api';
import { AwsSolutionsChecks } from 'cdk-nag';
import { afterAll, describe, expect, it } from 'vitest';
import { DataTable, STORE_ACTIONS } from '../../lib/constructs/data-table.js';
import { deadLetterQueue, MAX_RECEIVES } from '../../lib/constructs/dispatch.js';
import { SMPP_DOCKERFILE, SmppService } from '../../lib/constructs/smpp-service.js';
import { parseGatewaysFile } from '../../lambdas/settings/gateways-file.js';
import { readViolations } from './synth.js';
import { actionsOf, logicalId, resourcesOfType, type Statement, statementsOfRole } from './template-helpers.js';

/** Two binds to one carrier, an HTTP aggregator whose webhook secret the SMPP tasks must not read. */
const GATEWAYS = parseGatewaysFile(
  {
    gateways: [
      {
        id: 'smpp-vnpt',
        type: 'smpp',
        host: 'smsc.vnpt.example.vn',
        port: 2775,
        systemId: 'secret:loa/smpp-vnpt#systemId',
        password: 'secret:loa/smpp-vnpt#password',
        sourceAddr: 'SOYTEDNAI',
        tps: 50,
      },
      {
        id: 'esms',
        type: 'http',
        request: { url: 'https://api.esms.example.vn/send', fields: { ApiKey: 'secret:loa/esms#apiKey' } },
        response: { codeField: 'CodeResult', accepted: ['100'], messageIdField: 'SMSID' },
      },
    ],
    routes: [
      { carriers: ['viettel'], gateways: ['esms'] },
      { carriers: ['*'], gateways: ['smpp-vnpt', 'esms'] },
    ],
  },
  { runtime: 'aws' },
);

const outdir = mkdtempSync(join(tmpdir(), 'loa-smpp-cdk-'));
afterAll(() => rmSync(outdir, { recursive: true, force: true }));
const app = new App({ outdir, context: { '@aws-cdk/core:failSynthOnValidationErrors': false } });
const stack = new Stack(app, 'SmppHost');
const data = new DataTable(stack, 'Data', { stage: 'prod' });
const queue = new sqs.Queue(stack, 'SmppSendQueue', {
  encryption: sqs.QueueEncryption.SQS_MANAGED,
  enforceSSL: true,
  deadLetterQueue: { queue: deadLetterQueue(stack, 'SmppSendDlq'), maxReceiveCount: MAX_RECEIVES },
});
const smpp = new SmppService(stack, 'Smpp', { stage: 'prod', data, queue, gateways: GATEWAYS, desiredCount: 2 });
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
const started = performance.now();
const assembly = app.synth();
const synthMs = performance.now() - started;
const template = Template.fromJSON(assembly.getStackByName('SmppHost').template);
const only = (type: string) => Object.values(resourcesOfType(template, type)).map((resource) => resource.Properties);
const theOne = (type: string) => {
  const [properties, ...others] = only(type);
  if (!properties || others.length > 0) throw new Error(`expected one ${type}`);
  return properties;
};

describe('the SMPP service on Fargate', () => {
  it('runs arm64 Fargate tasks that stop within 120 s, log to a group kept six months, with no secret in the environment', () => {
    const task = theOne('AWS::ECS::TaskDefinition');
    expect(task).toMatchObject({
      RequiresCompatibilities: ['FARGATE'],
      NetworkMode: 'awsvpc',
      Cpu: '512',
      Memory: '1024',
      RuntimePlatform: { CpuArchitecture: 'ARM64', OperatingSystemFamily: 'LINUX' },
    });
    expect(task.ContainerDefinitions).toHaveLength(1);
    const [container] = task.ContainerDefinitions;
    expect(container).toMatchObject({
      Essential: true,
      ReadonlyRootFilesystem: true,
      StopTimeout: 120,
      LogConfiguration: { LogDriver: 'awslogs', Options: { 'awslogs-stream-prefix': 'smpp' } },
    });
    const environment = Object.fromEntries(
      container.Environment.map((variable: { Name: string; Value: unknown }) => [variable.Name, variable.Value]),
    );
    expect(Object.keys(environment).sort()).toEqual([
      'LOA_GATEWAYS',
      'LOA_TIMEZONE',
      'LOG_LEVEL',
      'POWERTOOLS_METRICS_NAMESPACE',
      'POWERTOOLS_SERVICE_NAME',
      'SMPP_SEND_QUEUE_URL',
      'TABLE_NAME',
    ]);
    expect(JSON.parse(environment.LOA_GATEWAYS)).toEqual(JSON.parse(JSON.stringify(GATEWAYS)));
    expect(environment.LOA_GATEWAYS).toContain('"password":"secret:loa/smpp-vnpt#password"');
    expect(only('AWS::Logs::LogGroup').map((group) => group.RetentionInDays)).toEqual([180, 180]);
  });

  it('deploys by stopping the old tasks before starting the new ones, and rolls back a version that cannot start', () => {
    const service = theOne('AWS::ECS::Service');
    expect(service).toMatchObject({
      LaunchType: 'FARGATE',
      DesiredCount: 2,
      DeploymentConfiguration: {
        MinimumHealthyPercent: 0,
        MaximumPercent: 100,
        DeploymentCircuitBreaker: { Enable: true, Rollback: true },
      },
      NetworkConfiguration: { AwsvpcConfiguration: { AssignPublicIp: 'DISABLED' } },
    });
    const privateSubnets = smpp.vpc.privateSubnets.map((subnet) => ({ Ref: logicalId(stack, subnet) }));
    expect(service.NetworkConfiguration.AwsvpcConfiguration.Subnets).toEqual(privateSubnets);
    expect(theOne('AWS::ECS::Cluster').ClusterSettings).toEqual([{ Name: 'containerInsights', Value: 'enabled' }]);
  });

  it('reaches the carriers from one Elastic IP, kept with the stack outside dev and given as an output', () => {
    const nats = only('AWS::EC2::NatGateway');
    expect(nats).toEqual([expect.objectContaining({ AllocationId: { 'Fn::GetAtt': [logicalId(stack, smpp.egressIp), 'AllocationId'] } })]);
    expect(Object.keys(resourcesOfType(template, 'AWS::EC2::EIP'))).toEqual([logicalId(stack, smpp.egressIp)]);
    expect(template.toJSON().Resources[logicalId(stack, smpp.egressIp)].DeletionPolicy).toBe('Retain');
    const outputs = Object.values(template.toJSON().Outputs) as { Value: unknown }[];
    expect(outputs.map((output) => output.Value)).toContainEqual({ 'Fn::GetAtt': [logicalId(stack, smpp.egressIp), 'PublicIp'] });
    expect(only('AWS::EC2::VPCEndpoint')).toEqual([expect.objectContaining({ VpcEndpointType: 'Gateway' })]);
  });

  it('lets the tasks out only to HTTPS and the SMPP port, and in not at all', () => {
    const group = theOne('AWS::EC2::SecurityGroup');
    expect(group.SecurityGroupIngress).toBeUndefined();
    expect(
      group.SecurityGroupEgress.map((rule: { FromPort: number; ToPort: number; IpProtocol: string }) => [
        rule.IpProtocol,
        rule.FromPort,
        rule.ToPort,
      ]),
    ).toEqual([
      ['tcp', 443, 443],
      ['tcp', 2775, 2775],
    ]);
  });

  it('gives the task role the table, the SMPP queue and the smpp gateways’ secrets, nothing more', () => {
    const roleId = logicalId(stack, smpp.taskDefinition.taskRole);
    const statements = statementsOfRole(template, roleId);
    const tableId = logicalId(stack, data.table);
    const queueId = logicalId(stack, queue);
    const byResource = (statement: Statement) => JSON.stringify(statement.Resource);
    expect(statements.map((statement) => ({ actions: actionsOf(statement).sort(), resource: byResource(statement) }))).toEqual([
      {
        actions: [...STORE_ACTIONS].sort(),
        resource: JSON.stringify([
          { 'Fn::GetAtt': [tableId, 'Arn'] },
          { 'Fn::Join': ['', [{ 'Fn::GetAtt': [tableId, 'Arn'] }, '/index/*']] },
        ]),
      },
      {
        actions: ['sqs:ChangeMessageVisibility', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:ReceiveMessage'],
        resource: JSON.stringify({ 'Fn::GetAtt': [queueId, 'Arn'] }),
      },
      {
        actions: ['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage'],
        resource: JSON.stringify({ 'Fn::GetAtt': [queueId, 'Arn'] }),
      },
      {
        actions: ['secretsmanager:GetSecretValue'],
        resource: JSON.stringify({
          'Fn::Join': [
            '',
            [
              'arn:',
              { Ref: 'AWS::Partition' },
              ':secretsmanager:',
              { Ref: 'AWS::Region' },
              ':',
              { Ref: 'AWS::AccountId' },
              ':secret:loa/smpp-vnpt-??????',
            ],
          ],
        }),
      },
    ]);
  });

  it('builds its image for linux/arm64 from the Dockerfile, staging only what the build needs, without Docker at synth', () => {
    const manifest = JSON.parse(readFileSync(join(assembly.directory, 'SmppHost.assets.json'), 'utf8'));
    const images = Object.values(manifest.dockerImages) as { source: { directory: string; dockerFile: string; platform: string } }[];
    expect(images.map((image) => ({ dockerFile: image.source.dockerFile, platform: image.source.platform }))).toEqual([
      { dockerFile: SMPP_DOCKERFILE, platform: 'linux/arm64' },
    ]);
    const staged = join(assembly.directory, images[0]!.source.directory);
    expect(readdirSync(staged).sort()).toEqual(['.dockerignore', 'lambdas', 'package-lock.json', 'package.json', 'tsconfig.json']);
    expect(existsSync(join(staged, SMPP_DOCKERFILE))).toBe(true);
    expect(synthMs).toBeLessThan(60_000);
  });

  it('leaves cdk-nag’s AWS Solutions rules nothing unacknowledged', () => {
    expect(readViolations(join(assembly.directory, VALIDATION_REPORT_FILE))).toEqual([]);
  });

  it('is refused without smpp gateways to bind', () => {
    const other = new Stack(new App(), 'NoSmpp');
    const lambdaOnly = { ...GATEWAYS, gateways: GATEWAYS.gateways.filter((gateway) => gateway.type !== 'smpp') };
    expect(
      () =>
        new SmppService(other, 'Smpp', {
          stage: 'dev',
          data: new DataTable(other, 'Data', { stage: 'dev' }),
          queue: new sqs.Queue(other, 'Q'),
          gateways: lambdaOnly,
        }),
    ).toThrow('The SMPP service needs a configuration with smpp gateways');
  });
});
