/** Scheduling (lib/constructs/scheduling.ts): the schedule group, the role Scheduler assumes, what the API may do with schedules. */
import { describe, expect, it } from 'vitest';
import { STORE_ACTIONS } from '../../../lib/constructs/data-table.js';
import { actionsOf, logicalId, resource, statementsOfFunction, statementsOfRole, text } from '../template-helpers.js';
import { dev, devStack, envOf, fnId } from './synthesized-stacks.js';

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
