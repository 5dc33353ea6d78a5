/**
 * A stage deployed with `-c loaConfig=<file>` (lib/config.ts, lib/constructs/dispatch.ts): the file checked
 * at synth with the runtimes' schema, secret references kept; LOA_GATEWAYS given to the functions that need
 * it; GetSecretValue on the named secrets only; the SMPP service's queue only with smpp gateways; and the
 * stack still clean under cdk-nag.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LoaConfigError, stackPropsFromContext } from '../../lib/config.js';
import { MAX_RECEIVES } from '../../lib/constructs/dispatch.js';
import { newTempFolder } from '../temp-folder.js';
import { synthesize } from './synth.js';
import { actionsOf, logicalId, resource, resourcesOfType, statementsOfFunction, text } from './template-helpers.js';

const http = {
  id: 'esms',
  type: 'http',
  tps: 30,
  request: { url: 'https://rest.esms.vn/send', fields: { ApiKey: 'secret:loa/esms#apiKey', Phone: '{phone}', Content: '{text}' } },
  response: { codeField: 'CodeResult', accepted: ['100'], messageIdField: 'SMSID' },
  deliveryReports: {
    auth: { type: 'token', secret: 'secret:loa/esms#webhookToken' },
    messageIdField: 'SMSID',
    statusField: 'SendSuccess',
    delivered: ['1'],
    failed: ['0'],
  },
};
const smpp = {
  id: 'viettel-smpp',
  type: 'smpp',
  host: '203.0.113.10',
  port: 2775,
  systemId: 'secret:loa/viettel#systemId',
  password: 'secret:loa/viettel#password',
  sourceAddr: 'UBNDDONGNAI',
  tps: 100,
};
const file = {
  gateways: [http, smpp, { id: 'sns', type: 'sns', senderId: 'SOYTE', tps: 20 }],
  routes: [
    { carriers: ['viettel'], gateways: ['viettel-smpp', 'esms'] },
    { carriers: ['*'], gateways: ['esms', 'sns'] },
  ],
  prices: { perPart: { viettel: 350, '*': 400 } },
};

const folder = newTempFolder('loa-gateways-config-');
function configFile(json: unknown): string {
  const path = join(folder, `loa-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(path, JSON.stringify(json));
  return path;
}
const read = (json: unknown, context: Record<string, string> = {}) =>
  stackPropsFromContext((key) => ({ stage: 'dev', loaConfig: configFile(json), ...context })[key]);

describe('-c loaConfig', () => {
  it('is checked with the runtimes’ schema, its secret references kept even where a value would be too long', () => {
    const props = read(file);
    expect(props.gateways?.gateways[1]).toMatchObject({ password: 'secret:loa/viettel#password', systemType: '' });
    expect(props.gateways?.prices).toEqual({ currency: 'VND', perPart: { viettel: 350, '*': 400 } });
  });

  it.each([
    [
      'the in-process simulator',
      { ...file, gateways: [...file.gateways, { id: 'sim', type: 'in-process-simulator' }] },
      /gateways\.3\.type: .*only in the embedded runtime/,
    ],
    [
      'an env: reference',
      { ...file, gateways: [{ ...smpp, password: 'env:SMPP_PASSWORD' }, http, file.gateways[2]] },
      /gateways\.0\.password: env: works only in the embedded runtime/,
    ],
    [
      'a password written in the file, which would be in the template',
      { ...file, gateways: [{ ...smpp, password: 'loa12345' }, http, file.gateways[2]] },
      /gateways\.0\.password: on AWS a secret must be a Secrets Manager reference/,
    ],
    [
      'a route to no gateway',
      { ...file, routes: [{ carriers: ['*'], gateways: ['nowhere'] }] },
      /routes\.0\.gateways\.0: no gateway nowhere/,
    ],
  ])('refuses %s, naming the field', (_name, json, message) => {
    expect(() => read(json)).toThrow(LoaConfigError);
    expect(() => read(json)).toThrow(message);
  });

  it('refuses prices given both in the file and in -c prices', () => {
    expect(() => read(file, { prices: '{"perPart":{"*":400}}' })).toThrow('prices are given twice');
  });
});

describe('a stage with a loaConfig', () => {
  const props = read(file);
  const synthesized = synthesize([props], { nag: true });
  afterAll(() => synthesized.cleanUp());
  const [stack] = synthesized.stacks;
  const [template] = synthesized.templates;
  const fn = (construct: { fn: object }) => logicalId(stack!, construct.fn as never);
  const envOf = (construct: { fn: object }) =>
    resource(template!, fn(construct)).Properties.Environment.Variables as Record<string, unknown>;

  it('gives the sender, the API and the fan-out the file as LOA_GATEWAYS, references and all', () => {
    const json = JSON.stringify(props.gateways);
    for (const part of [stack!.dispatch.sender, stack!.api.handler, stack!.dispatch.fanOut]) expect(envOf(part).LOA_GATEWAYS).toBe(json);
    expect(json).toContain('secret:loa/esms#apiKey');
  });

  it('lets the sender and the API read the Lambda-hosted gateways’ secrets, and no other', () => {
    for (const part of [stack!.dispatch.sender, stack!.api.handler]) {
      const reads = statementsOfFunction(template!, fn(part)).filter((s) => actionsOf(s).includes('secretsmanager:GetSecretValue'));
      const gatewayReads = reads.filter((s) => s.Sid === 'ReadGatewaySecrets');
      expect(gatewayReads.map((s) => actionsOf(s))).toEqual([['secretsmanager:GetSecretValue']]);
      expect(text(gatewayReads[0]!.Resource)).toBe(
        'arn:<AWS::Partition>:secretsmanager:<AWS::Region>:<AWS::AccountId>:secret:loa/esms-??????',
      );
    }
    for (const part of [stack!.dispatch.fanOut, stack!.dispatch.janitor]) {
      expect(statementsOfFunction(template!, fn(part)).filter((s) => s.Sid === 'ReadGatewaySecrets')).toEqual([]);
    }
  });

  it('has the SMPP service’s send queue with its dead-letter queue and alarm, which the fan-out fills', () => {
    const queue = stack!.dispatch.smppSendQueue!;
    const [queueId, dlqId] = [logicalId(stack!, queue), logicalId(stack!, stack!.dispatch.smppSendDlq!)];
    expect(resource(template!, queueId).Properties).toMatchObject({
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [dlqId, 'Arn'] }, maxReceiveCount: MAX_RECEIVES },
      SqsManagedSseEnabled: true,
    });
    expect(envOf(stack!.dispatch.fanOut).SMPP_SEND_QUEUE_URL).toEqual({ Ref: queueId });
    const fanOutOnQueue = statementsOfFunction(template!, fn(stack!.dispatch.fanOut)).filter((s) =>
      JSON.stringify(s.Resource).includes(queueId),
    );
    expect(fanOutOnQueue.flatMap(actionsOf).sort()).toEqual(['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage']);
    const alarms = Object.values(resourcesOfType(template!, 'AWS::CloudWatch::Alarm')).filter((a) =>
      JSON.stringify(a.Properties).includes(logicalId(stack!, stack!.dispatch.smppSendDlq!)),
    );
    expect(alarms.length).toBeGreaterThan(0);
    expect(resource(template!, fn(stack!.dispatch.sender)).Properties.ReservedConcurrentExecutions).toBeUndefined();
  });

  it('keeps the delivery-report webhooks public on API Gateway (the handler checks the gateway’s token)', () => {
    const routes = Object.values(resourcesOfType(template!, 'AWS::ApiGatewayV2::Route')).map((r) => r.Properties);
    for (const key of ['GET /v1/dlr/{gatewayId}', 'POST /v1/dlr/{gatewayId}']) {
      expect(routes.find((route) => route.RouteKey === key)).toMatchObject({ AuthorizationType: 'NONE' });
    }
  });

  it('is clean under cdk-nag', () => {
    expect(synthesized.violations).toEqual([]);
  });
});
