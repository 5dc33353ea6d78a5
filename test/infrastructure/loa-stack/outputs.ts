/** The stack's outputs, which the README's deploy steps use. */
import { describe, it } from 'vitest';
import { dev } from './synthesized-stacks.js';

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
