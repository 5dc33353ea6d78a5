/**
 * The synthesized Loa stack, without bundling: one app with a dev stage (the defaults of `npm run synth`)
 * and a prod stage (e-mail, console origin, a faster gateway, SNS log groups that already exist),
 * synthesized once for the whole file.
 */
import { Match } from 'aws-cdk-lib/assertions';
import { afterAll, describe, expect, it } from 'vitest';
import { Index, tableDefinition, TTL_ATTRIBUTE } from '../../lambdas/adapters/dynamodb/table.js';
import { ROUTES } from '../../lambdas/http/routes.js';
import { DEFAULTS } from '../../lib/config.js';
import { STAGE_THROTTLE } from '../../lib/constructs/api.js';
import { STAFF_ROLES } from '../../lib/constructs/auth.js';
import { STORE_ACTIONS } from '../../lib/constructs/data-table.js';
import { MAX_RECEIVES, senderPlan } from '../../lib/constructs/dispatch.js';
import { SNS_DELIVERY_METRICS } from '../../lib/constructs/delivery-reports.js';
import { HANDLER_ENTRIES, type LoaFunction } from '../../lib/constructs/functions.js';
import type { LoaStack } from '../../lib/loa-stack.js';
import { DEV_PROPS, PROD_PROPS, synthesize } from './synth.js';
import {
  actionsOf,
  actionsOn,
  logicalId,
  resource,
  resourcesOfType,
  statementsOfFunction,
  statementsOfRole,
  text,
  type Statement,
} from './template-helpers.js';

const synthesized = synthesize([DEV_PROPS, PROD_PROPS]);
afterAll(() => synthesized.cleanUp());
const [devStack, prodStack] = synthesized.stacks as [LoaStack, LoaStack];
const [dev, prod] = synthesized.templates as [
  NonNullable<(typeof synthesized.templates)[0]>,
  NonNullable<(typeof synthesized.templates)[0]>,
];

/** The six Lambdas of a stack by handler name. */
function functionsOf(stack: LoaStack): Record<keyof typeof HANDLER_ENTRIES, LoaFunction> {
  return {
    api: stack.api.handler,
    scheduleTarget: stack.scheduling.scheduleTarget,
    fanOut: stack.dispatch.fanOut,
    sender: stack.dispatch.sender,
    deliveryReports: stack.deliveryReports.ingester,
    janitor: stack.dispatch.janitor,
  };
}
const devFunctions = functionsOf(devStack);
const fnId = (name: keyof typeof HANDLER_ENTRIES, stack = devStack) => logicalId(stack, functionsOf(stack)[name].fn);
const envOf = (name: keyof typeof HANDLER_ENTRIES, template = dev, stack = devStack) =>
  resource(template, fnId(name, stack)).Properties.Environment.Variables as Record<string, unknown>;

describe('the DynamoDB table', () => {
  const definition = tableDefinition('loa');
  const table = () => Object.values(resourcesOfType(dev, 'AWS::DynamoDB::Table'));

  it('is the one table of the store, with the keys, attributes and indexes of its definition', () => {
    expect(table()).toHaveLength(1);
    const properties = table()[0]!.Properties;
    expect(properties.KeySchema).toEqual(definition.KeySchema);
    expect(new Set(properties.AttributeDefinitions)).toEqual(new Set(definition.AttributeDefinitions));
    const byName = (indexes: { IndexName?: string }[]) => [...indexes].sort((a, b) => a.IndexName!.localeCompare(b.IndexName!));
    expect(byName(properties.GlobalSecondaryIndexes)).toEqual(byName(definition.GlobalSecondaryIndexes!));
    expect(properties.GlobalSecondaryIndexes.map((index: { IndexName: string }) => index.IndexName).sort()).toEqual(
      Object.values(Index)
        .map((index) => index.name)
        .sort(),
    );
  });

  it('bills on demand, expires items by TTL, keeps point-in-time recovery and is encrypted', () => {
    dev.hasResourceProperties('AWS::DynamoDB::Table', {
      BillingMode: definition.BillingMode,
      TimeToLiveSpecification: { AttributeName: TTL_ATTRIBUTE, Enabled: true },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true },
    });
  });

  it('goes with a dev stack but is retained and deletion-protected in any other stage', () => {
    expect(table()[0]).toMatchObject({ DeletionPolicy: 'Delete', Properties: { DeletionProtectionEnabled: false } });
    prod.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({ DeletionProtectionEnabled: true }),
    });
  });
});

describe('who may call: Cognito', () => {
  it('has a group per staff role of the core, and no other', () => {
    expect(STAFF_ROLES).toEqual(['author', 'approver', 'operator', 'viewer', 'crew']);
    const groups = Object.values(resourcesOfType(dev, 'AWS::Cognito::UserPoolGroup')).map((group) => group.Properties.GroupName);
    expect(groups.sort()).toEqual([...STAFF_ROLES].sort());
  });

  it('has a crew group for the loudspeaker vans’ crews, in the user pool like the other roles', () => {
    dev.hasResourceProperties('AWS::Cognito::UserPoolGroup', {
      GroupName: 'crew',
      Description: 'Loa crews',
      UserPoolId: { Ref: logicalId(devStack, devStack.auth.userPool) },
    });
    prod.hasResourceProperties('AWS::Cognito::UserPoolGroup', { GroupName: 'crew' });
  });

  it('lets only administrators create users, requires MFA and strong passwords', () => {
    dev.hasResourceProperties('AWS::Cognito::UserPool', {
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      MfaConfiguration: 'ON',
      EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
      Policies: {
        PasswordPolicy: Match.objectLike({
          MinimumLength: 12,
          RequireLowercase: true,
          RequireUppercase: true,
          RequireNumbers: true,
          RequireSymbols: true,
        }),
      },
    });
  });

  it('keeps the user pool of a non-dev stage when the stack goes', () => {
    dev.hasResource('AWS::Cognito::UserPool', { DeletionPolicy: 'Delete' });
    prod.hasResource('AWS::Cognito::UserPool', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({ DeletionProtection: 'ACTIVE' }),
    });
  });

  it('has a staff client without a secret, signing in with SRP or a password', () => {
    dev.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      ClientName: 'staff',
      GenerateSecret: false,
      ExplicitAuthFlows: Match.arrayWith(['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH']),
    });
  });

  it('has a resource server and a client-credentials client whose tokens carry loa/integration', () => {
    dev.hasResourceProperties('AWS::Cognito::UserPoolResourceServer', {
      Identifier: 'loa',
      Scopes: [Match.objectLike({ ScopeName: 'integration' })],
    });
    const machine = Object.values(resourcesOfType(dev, 'AWS::Cognito::UserPoolClient')).find(
      (client) => client.Properties.ClientName === 'integration',
    )!;
    expect(machine.Properties).toMatchObject({
      GenerateSecret: true,
      AllowedOAuthFlows: ['client_credentials'],
      AllowedOAuthFlowsUserPoolClient: true,
    });
    expect(text(machine.Properties.AllowedOAuthScopes)).toBe(
      `[<${logicalId(devStack, devStack.auth.userPool.node.findChild('ResourceServer'))}>/integration]`,
    );
    dev.resourceCountIs('AWS::Cognito::UserPoolDomain', 1);
  });
});

describe('the HTTP API', () => {
  const routes = (template = dev) => Object.values(resourcesOfType(template, 'AWS::ApiGatewayV2::Route')).map((route) => route.Properties);
  const publicKeys = ROUTES.filter((route) => route.access === 'public').map((route) => `${route.method} ${route.path}`);

  it('leaves open only GET /health, GET /openapi.json, the signed delivery-report webhooks and the vans’ calendar feeds', () => {
    expect(publicKeys.sort()).toEqual([
      'GET /health',
      'GET /openapi.json',
      'GET /v1/dlr/{gatewayId}',
      'GET /v1/vans/{id}/calendar.ics',
      'POST /v1/dlr/{gatewayId}',
    ]);
    expect(
      routes()
        .filter((route) => route.AuthorizationType === 'NONE')
        .map((route) => route.RouteKey)
        .sort(),
    ).toEqual(publicKeys.sort());
    for (const route of routes()) {
      if (publicKeys.includes(route.RouteKey)) expect(route).toMatchObject({ AuthorizationType: 'NONE' });
      else expect(route, route.RouteKey).toMatchObject({ AuthorizationType: 'JWT', AuthorizerId: { Ref: expect.any(String) } });
    }
  });

  it('sends every method of the route table to the Lambda behind the Cognito authorizer', () => {
    const methods = [...new Set(ROUTES.filter((route) => route.access !== 'public').map((route) => route.method))];
    expect(
      routes()
        .filter((route) => route.AuthorizationType === 'JWT')
        .map((route) => route.RouteKey)
        .sort(),
    ).toEqual(methods.map((method) => `${method} /{proxy+}`).sort());
  });

  it('accepts JWTs issued by the user pool to the staff, machine and console clients', () => {
    const authorizers = Object.values(resourcesOfType(dev, 'AWS::ApiGatewayV2::Authorizer'));
    expect(authorizers).toHaveLength(1);
    const { JwtConfiguration, AuthorizerType } = authorizers[0]!.Properties;
    expect(AuthorizerType).toBe('JWT');
    expect(JwtConfiguration.Audience).toEqual([
      { Ref: logicalId(devStack, devStack.auth.staffClient) },
      { Ref: logicalId(devStack, devStack.auth.machineClient) },
      { Ref: logicalId(devStack, devStack.auth.consoleClient) },
    ]);
    expect(text(JwtConfiguration.Issuer)).toBe(
      `https://cognito-idp.<AWS::Region>.amazonaws.com/<${logicalId(devStack, devStack.auth.userPool)}>`,
    );
  });

  it('throttles the stage and writes access logs', () => {
    dev.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      DefaultRouteSettings: { ThrottlingRateLimit: STAGE_THROTTLE.rateLimit, ThrottlingBurstLimit: STAGE_THROTTLE.burstLimit },
      AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('requestId') },
    });
  });

  it('allows CORS only from the console the stack serves, and from consoleOrigin when one is given, without credentials', () => {
    const consoleUrl = (stack: LoaStack) => ({
      'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [logicalId(stack, stack.console.distribution), 'DomainName'] }]],
    });
    const cors = (template: typeof dev) =>
      Object.values(resourcesOfType(template, 'AWS::ApiGatewayV2::Api'))[0]!.Properties.CorsConfiguration;
    expect(cors(dev)).toMatchObject({
      AllowOrigins: [consoleUrl(devStack)],
      AllowCredentials: false,
      AllowHeaders: ['authorization', 'content-type', 'idempotency-key'],
      ExposeHeaders: ['link'],
    });
    expect(cors(prod).AllowOrigins).toEqual([consoleUrl(prodStack), PROD_PROPS.consoleOrigin]);
  });
});

describe('the Lambdas', () => {
  it('are the six handlers, on nodejs22.x and arm64, traced, each with its own log group', () => {
    // Besides CDK's own: the console's upload and, in dev, emptying buckets before they go.
    const cdkOwn = /^Custom(CDKBucketDeployment|S3AutoDeleteObjects)/;
    const loaFunctions = Object.keys(resourcesOfType(dev, 'AWS::Lambda::Function')).filter((id) => !cdkOwn.test(id));
    expect(loaFunctions).toHaveLength(Object.keys(HANDLER_ENTRIES).length);
    for (const name of Object.keys(HANDLER_ENTRIES) as (keyof typeof HANDLER_ENTRIES)[]) {
      expect(resource(dev, fnId(name)).Properties, name).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        TracingConfig: { Mode: 'Active' },
        LoggingConfig: { LogGroup: { Ref: logicalId(devStack, devFunctions[name].logGroup) } },
      });
    }
  });

  it('all know the table, the time zone, Powertools settings and use source maps', () => {
    for (const name of Object.keys(HANDLER_ENTRIES) as (keyof typeof HANDLER_ENTRIES)[]) {
      expect(envOf(name), name).toMatchObject({
        TABLE_NAME: { Ref: logicalId(devStack, devStack.data.table) },
        LOA_TIMEZONE: 'Asia/Ho_Chi_Minh',
        POWERTOOLS_SERVICE_NAME: 'loa',
        POWERTOOLS_METRICS_NAMESPACE: 'Loa/dev',
        LOG_LEVEL: 'DEBUG',
        NODE_OPTIONS: '--enable-source-maps',
      });
    }
    expect(envOf('api', prod, prodStack).LOG_LEVEL).toBe('INFO');
  });

  it('all know the test numbers when some are given', () => {
    for (const name of Object.keys(HANDLER_ENTRIES) as (keyof typeof HANDLER_ENTRIES)[]) {
      expect(envOf(name).LOA_TEST_NUMBERS, name).toBeUndefined();
      expect(envOf(name, prod, prodStack).LOA_TEST_NUMBERS, name).toBe(PROD_PROPS.testNumbers!.join(','));
    }
  });

  it('give the API, which estimates a campaign before approval, the prices of a part when some are given', () => {
    for (const name of Object.keys(HANDLER_ENTRIES) as (keyof typeof HANDLER_ENTRIES)[]) {
      expect(envOf(name).LOA_PRICES, name).toBeUndefined();
      expect(envOf(name, prod, prodStack).LOA_PRICES, name).toBe(name === 'api' ? JSON.stringify(PROD_PROPS.prices) : undefined);
    }
  });

  it('get the queues and scheduler settings of what they do, and only those', () => {
    const keys = (name: keyof typeof HANDLER_ENTRIES) =>
      Object.keys(envOf(name))
        .filter((key) => /QUEUE|SCHEDULE|SENDER|SMS_|GATEWAY/.test(key))
        .sort();
    expect(keys('api')).toEqual([
      'FANOUT_QUEUE_URL',
      'SCHEDULER_ROLE_ARN',
      'SCHEDULE_DLQ_ARN',
      'SCHEDULE_GROUP',
      'SCHEDULE_TARGET_ARN',
      'SENDER_TPS',
    ]);
    expect(keys('scheduleTarget')).toEqual(['FANOUT_QUEUE_URL']);
    expect(keys('fanOut')).toEqual(['FANOUT_QUEUE_URL', 'SEND_QUEUE_URL']);
    expect(keys('sender')).toEqual(['GATEWAY_SECRET_ARN', 'SENDER_CONCURRENCY', 'SENDER_TPS', 'SEND_QUEUE_URL', 'SMS_SENDER_ID']);
    expect(keys('deliveryReports')).toEqual([]);
    expect(keys('janitor')).toEqual([]);
    expect(envOf('api')).toMatchObject({
      SCHEDULE_GROUP: 'loa-dev',
      SCHEDULE_TARGET_ARN: { 'Fn::GetAtt': [fnId('scheduleTarget'), 'Arn'] },
      SCHEDULER_ROLE_ARN: { 'Fn::GetAtt': [logicalId(devStack, devStack.scheduling.schedulerRole), 'Arn'] },
      SCHEDULE_DLQ_ARN: { 'Fn::GetAtt': [logicalId(devStack, devStack.scheduling.deadLetterQueue), 'Arn'] },
    });
    expect(envOf('api')).toMatchObject({ SENDER_TPS: String(DEFAULTS.senderTps) });
    expect(envOf('sender')).toMatchObject({ SMS_SENDER_ID: DEFAULTS.senderId });
    expect(envOf('sender', prod, prodStack)).toMatchObject({ SMS_SENDER_ID: PROD_PROPS.senderId });
  });
});

describe('dispatch queues', () => {
  const queueIds = {
    send: [logicalId(devStack, devStack.dispatch.sendQueue), logicalId(devStack, devStack.dispatch.sendDlq)],
    fanOut: [logicalId(devStack, devStack.dispatch.fanOutQueue), logicalId(devStack, devStack.dispatch.fanOutDlq)],
  };

  it.each(Object.entries(queueIds))(
    'the %s queue has a dead-letter queue, encryption, and outlasts its consumer',
    (name, [queueId, dlqId]) => {
      const queue = resource(dev, queueId!).Properties;
      expect(queue).toMatchObject({
        RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [dlqId, 'Arn'] }, maxReceiveCount: MAX_RECEIVES },
        SqsManagedSseEnabled: true,
      });
      const consumer = resource(dev, fnId(name === 'send' ? 'sender' : 'fanOut')).Properties;
      expect(queue.VisibilityTimeout).toBeGreaterThan(consumer.Timeout);
      expect(resource(dev, dlqId!).Properties).toMatchObject({ SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 24 * 3600 });
    },
  );

  it('every queue refuses requests without TLS', () => {
    const policies = Object.values(resourcesOfType(dev, 'AWS::SQS::QueuePolicy'));
    const queues = Object.keys(resourcesOfType(dev, 'AWS::SQS::Queue'));
    for (const queue of queues) {
      const policy = policies.find((p) => JSON.stringify(p.Properties.Queues).includes(queue));
      expect(JSON.stringify(policy?.Properties.PolicyDocument), queue).toContain('"aws:SecureTransport":"false"');
    }
  });

  it('are read with partial batch failures, the sender in batches and at a concurrency derived from the rate', () => {
    const mappings = Object.values(resourcesOfType(dev, 'AWS::Lambda::EventSourceMapping')).map((m) => m.Properties);
    expect(mappings).toHaveLength(2);
    for (const mapping of mappings) expect(mapping.FunctionResponseTypes).toEqual(['ReportBatchItemFailures']);
    const plan = senderPlan(DEV_PROPS.senderTps);
    expect(mappings.find((m) => m.FunctionName.Ref === fnId('sender'))).toMatchObject({
      EventSourceArn: { 'Fn::GetAtt': [queueIds.send[0], 'Arn'] },
      BatchSize: plan.batchSize,
      ScalingConfig: { MaximumConcurrency: plan.concurrency },
    });
    expect(mappings.find((m) => m.FunctionName.Ref === fnId('fanOut'))).toMatchObject({
      EventSourceArn: { 'Fn::GetAtt': [queueIds.fanOut[0], 'Arn'] },
      BatchSize: 1,
    });
  });

  it.each([
    ['dev', DEV_PROPS.senderTps, dev, devStack],
    ['prod', PROD_PROPS.senderTps, prod, prodStack],
  ] as const)(
    'the %s sender reserves the concurrency its rate needs and is told the rate and the concurrency',
    (_stage, tps, template, stack) => {
      const plan = senderPlan(tps);
      expect(resource(template, fnId('sender', stack)).Properties.ReservedConcurrentExecutions).toBe(plan.concurrency);
      expect(envOf('sender', template, stack)).toMatchObject({ SENDER_TPS: String(tps), SENDER_CONCURRENCY: String(plan.concurrency) });
    },
  );

  it('reserves 2 senders at SNS’s default 20 messages a second and 10 at 500', () => {
    expect(resource(dev, fnId('sender')).Properties.ReservedConcurrentExecutions).toBe(2);
    expect(resource(prod, fnId('sender', prodStack)).Properties.ReservedConcurrentExecutions).toBe(10);
  });

  it('runs the janitor every minute (expiring receipts, finishing runs, marking missed tour runs)', () => {
    dev.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(1 minute)',
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [fnId('janitor'), 'Arn'] } })],
    });
    dev.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      FunctionName: { 'Fn::GetAtt': [fnId('janitor'), 'Arn'] },
      Principal: 'events.amazonaws.com',
    });
  });

  it('keeps gateway credentials in Secrets Manager, readable by the sender only', () => {
    const secretId = logicalId(devStack, devStack.dispatch.gatewaySecret);
    dev.resourceCountIs('AWS::SecretsManager::Secret', 1);
    for (const name of Object.keys(HANDLER_ENTRIES) as (keyof typeof HANDLER_ENTRIES)[]) {
      const reads = actionsOn(statementsOfFunction(dev, fnId(name)), secretId);
      expect(reads, name).toEqual(name === 'sender' ? ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'] : []);
    }
  });
});

describe('scheduling', () => {
  const roleId = logicalId(devStack, devStack.scheduling.schedulerRole);
  const dlqId = logicalId(devStack, devStack.scheduling.deadLetterQueue);

  it('has a schedule group and a standard SQS dead-letter queue for its fires', () => {
    dev.hasResourceProperties('AWS::Scheduler::ScheduleGroup', { Name: 'loa-dev' });
    expect(resource(dev, dlqId).Properties.FifoQueue).toBeUndefined();
  });

  it('has a role only Scheduler (of this account and group) assumes, to invoke the schedule target and dead-letter', () => {
    expect(resource(dev, roleId).Properties.AssumeRolePolicyDocument.Statement).toEqual([
      expect.objectContaining({
        Principal: { Service: 'scheduler.amazonaws.com' },
        Condition: {
          StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
          ArnEquals: { 'aws:SourceArn': { 'Fn::GetAtt': [logicalId(devStack, devStack.scheduling.group), 'Arn'] } },
        },
      }),
    ]);
    const statements = statementsOfRole(dev, roleId);
    expect(statements.flatMap(actionsOf).sort()).toEqual([
      'lambda:InvokeFunction',
      'sqs:GetQueueAttributes',
      'sqs:GetQueueUrl',
      'sqs:SendMessage',
    ]);
    expect(statements.find((s) => actionsOf(s).includes('lambda:InvokeFunction'))!.Resource).toEqual({
      'Fn::GetAtt': [fnId('scheduleTarget'), 'Arn'],
    });
  });

  it('lets the API create, update and delete only the schedules of its group, and pass only the scheduler role', () => {
    const statements = statementsOfFunction(dev, fnId('api'));
    const scheduler = statements.filter((s) => actionsOf(s).some((action) => action.startsWith('scheduler:')));
    expect(scheduler.flatMap(actionsOf).sort()).toEqual([
      'scheduler:CreateSchedule',
      'scheduler:DeleteSchedule',
      'scheduler:UpdateSchedule',
    ]);
    for (const statement of scheduler) {
      expect(text(statement.Resource)).toBe('arn:<AWS::Partition>:scheduler:<AWS::Region>:<AWS::AccountId>:schedule/loa-dev/*');
    }
    const passRole = statements.filter((s) => actionsOf(s).includes('iam:PassRole'));
    expect(passRole).toEqual([
      expect.objectContaining({
        Resource: { 'Fn::GetAtt': [roleId, 'Arn'] },
        Condition: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
      }),
    ]);
  });

  it('has the schedule target dispatch a tour’s start with the table and the fan-out queue only, managing no schedules', () => {
    // A tour's schedule fires the same target as a campaign's (role checked above); the start writes the
    // run and the crew's campaign and queues its launch. The API alone makes and deletes schedules.
    const actions = statementsOfFunction(dev, fnId('scheduleTarget')).flatMap(actionsOf);
    expect(actions.filter((action) => action.startsWith('scheduler:') || action === 'iam:PassRole')).toEqual([]);
    expect(actions).toEqual(expect.arrayContaining([...STORE_ACTIONS, 'sqs:SendMessage']));
    expect(Object.keys(envOf('scheduleTarget')).filter((key) => key.startsWith('SCHEDULE'))).toEqual([]);
  });

  it('sends the schedule target’s failed invocations to the same dead-letter queue', () => {
    expect(resource(dev, fnId('scheduleTarget')).Properties.DeadLetterConfig).toEqual({ TargetArn: { 'Fn::GetAtt': [dlqId, 'Arn'] } });
  });
});

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
      [`<${logicalId(devStack, devStack.deliveryReports.failureLogs)}>`, `<${logicalId(devStack, devStack.deliveryReports.successLogs)}>`],
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
    const roleId = logicalId(devStack, devStack.deliveryReports.snsLoggingRole);
    expect(resource(dev, roleId).Properties.AssumeRolePolicyDocument.Statement[0].Principal).toEqual({ Service: 'sns.amazonaws.com' });
    const statements = statementsOfRole(dev, roleId);
    expect(statements.flatMap(actionsOf).sort()).toEqual(['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents']);
    expect(statements[0]!.Resource).toEqual([
      { 'Fn::GetAtt': [logicalId(devStack, devStack.deliveryReports.successLogs), 'Arn'] },
      { 'Fn::GetAtt': [logicalId(devStack, devStack.deliveryReports.failureLogs), 'Arn'] },
    ]);
    dev.hasOutput('SnsDeliveryStatusRoleArn', { Value: { 'Fn::GetAtt': [roleId, 'Arn'] } });
  });
});

describe('observability', () => {
  const alarms = (template = dev) => Object.values(resourcesOfType(template, 'AWS::CloudWatch::Alarm')).map((a) => a.Properties);
  const topicId = logicalId(devStack, devStack.observability.topic);

  it('sends every alarm to the SNS topic, which e-mails the operators when an address is given', () => {
    for (const alarm of alarms()) expect(alarm.AlarmActions, alarm.AlarmName).toEqual([{ Ref: topicId }]);
    dev.resourceCountIs('AWS::SNS::Subscription', 0);
    prod.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: PROD_PROPS.alarmEmail });
  });

  it('alarms on any message visible in each of the four dead-letter queues', () => {
    const dlqs = [
      devStack.dispatch.sendDlq,
      devStack.dispatch.fanOutDlq,
      devStack.scheduling.deadLetterQueue,
      devStack.deliveryReports.deadLetterQueue,
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

describe('least privilege', () => {
  const allStatements = (template = dev): Statement[] =>
    Object.values(resourcesOfType(template, 'AWS::IAM::Policy')).flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[]);

  it.each([
    ['dev', dev],
    ['prod', prod],
  ] as const)('%s: no statement allows a wildcard action', (_stage, template) => {
    // But CDK's own upload of the console, whose S3 wildcards console-hosting.test.ts keeps to two buckets.
    const loaPolicies = Object.entries(resourcesOfType(template, 'AWS::IAM::Policy')).filter(
      ([id]) => !id.startsWith('CustomCDKBucketDeployment'),
    );
    for (const [, policy] of loaPolicies) {
      for (const statement of policy.Properties.PolicyDocument.Statement as Statement[]) {
        for (const action of actionsOf(statement)) expect(action).not.toContain('*');
      }
    }
  });

  it('every function uses the table with the store’s actions only (no Scan), on the table and its indexes', () => {
    const tableId = logicalId(devStack, devStack.data.table);
    for (const name of Object.keys(HANDLER_ENTRIES) as (keyof typeof HANDLER_ENTRIES)[]) {
      const statements = statementsOfFunction(dev, fnId(name)).filter((s) => actionsOf(s).some((a) => a.startsWith('dynamodb:')));
      expect(statements, name).toHaveLength(1);
      expect(actionsOf(statements[0]!).sort()).toEqual([...STORE_ACTIONS].sort());
      expect(text(statements[0]!.Resource)).toBe(`[<${tableId}.Arn>, <${tableId}.Arn>/index/*]`);
    }
    expect(allStatements().flatMap(actionsOf)).not.toContain('dynamodb:Scan');
  });

  it('only the sender publishes SMS, and only the API passes a role', () => {
    for (const name of Object.keys(HANDLER_ENTRIES) as (keyof typeof HANDLER_ENTRIES)[]) {
      const actions = statementsOfFunction(dev, fnId(name)).flatMap(actionsOf);
      expect(actions.includes('sns:Publish'), name).toBe(name === 'sender');
      expect(actions.includes('iam:PassRole'), name).toBe(name === 'api');
    }
  });

  it('gives each function the queue actions of what it does', () => {
    const send = logicalId(devStack, devStack.dispatch.sendQueue);
    const fanOut = logicalId(devStack, devStack.dispatch.fanOutQueue);
    const produce = ['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage'];
    const consume = ['sqs:ChangeMessageVisibility', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:ReceiveMessage'];
    const both = [...new Set([...produce, ...consume])].sort();
    const on = (name: keyof typeof HANDLER_ENTRIES, queue: string) => [
      ...new Set(actionsOn(statementsOfFunction(dev, fnId(name)), `"${queue}"`)),
    ];
    expect(on('api', fanOut)).toEqual(produce);
    expect(on('api', send)).toEqual([]);
    expect(on('scheduleTarget', fanOut)).toEqual(produce);
    expect(on('fanOut', fanOut)).toEqual(both);
    expect(on('fanOut', send)).toEqual(produce);
    expect(on('sender', send)).toEqual(both);
    expect(on('sender', fanOut)).toEqual([]);
    expect(on('janitor', send)).toEqual([]);
    expect(on('deliveryReports', send)).toEqual([]);
  });
});

describe('a non-dev stage', () => {
  it('keeps its logs, gateway credentials and schedule group when the stack goes', () => {
    for (const type of ['AWS::Logs::LogGroup', 'AWS::SecretsManager::Secret', 'AWS::Scheduler::ScheduleGroup']) {
      for (const found of Object.values(resourcesOfType(dev, type))) expect(found.DeletionPolicy, type).toBe('Delete');
      for (const found of Object.values(resourcesOfType(prod, type))) expect(found.DeletionPolicy, type).toBe('Retain');
    }
  });
});

describe('outputs', () => {
  it('names what the README’s deploy steps need', () => {
    for (const name of [
      'ApiUrl',
      'ConsoleUrl',
      'ConsoleClientId',
      'LoginDomain',
      'UserPoolId',
      'StaffClientId',
      'MachineClientId',
      'TokenUrl',
      'IntegrationScope',
      'SnsDeliveryStatusRoleArn',
      'AlarmTopicArn',
      'DashboardName',
    ]) {
      dev.hasOutput(name, {});
    }
  });
});
