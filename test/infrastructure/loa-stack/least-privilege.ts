/** Least privilege across the stack: no wildcard action, each function only the actions of what it does. */
import { describe, expect, it } from 'vitest';
import { STORE_ACTIONS } from '../../../lib/constructs/data-table.js';
import { HANDLER_ENTRIES } from '../../../lib/constructs/functions.js';
import {
  actionsOf,
  actionsOn,
  logicalId,
  resource,
  resourcesOfType,
  statementsOfFunction,
  text,
  type Statement,
} from '../template-helpers.js';
import { dev, devStack, fnId, prod } from './synthesized-stacks.js';

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

  it('lets only the API, the janitor and the importer (erased numbers coming back) read the pseudonym key, and tells them where it is', () => {
    const key = logicalId(devStack, devStack.data.pseudonymKey);
    for (const name of Object.keys(HANDLER_ENTRIES) as (keyof typeof HANDLER_ENTRIES)[]) {
      const reads = actionsOn(statementsOfFunction(dev, fnId(name)), `"${key}"`);
      const bound = name === 'api' || name === 'janitor' || name === 'import';
      expect(reads.includes('secretsmanager:GetSecretValue'), name).toBe(bound);
      const variables = resource(dev, fnId(name)).Properties.Environment.Variables as Record<string, unknown>;
      expect('PSEUDONYM_SECRET_ARN' in variables, name).toBe(bound);
    }
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
