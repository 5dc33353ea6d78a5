/** Who may call (lib/constructs/auth.ts): the Cognito user pool, its groups and clients. */
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { STAFF_ROLES } from '../../../lib/constructs/auth.js';
import { logicalId, resourcesOfType, text } from '../template-helpers.js';
import { dev, devStack, prod } from './synthesized-stacks.js';

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
