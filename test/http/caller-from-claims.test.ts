import { describe, expect, it } from 'vitest';
import { callerFromClaims, UnauthenticatedError } from '../../lambdas/http/caller-from-claims.js';

describe('callerFromClaims on AWS (claims verified by the Cognito authorizer)', () => {
  it.each([
    ['cognito:groups as an array', { 'cognito:groups': ['operator'] }, ['operator']],
    ['cognito:groups as API Gateway flattens it', { 'cognito:groups': '[author approver]' }, ['author', 'approver']],
    ['cognito:groups as a comma-separated string', { 'cognito:groups': 'viewer, operator' }, ['operator', 'viewer']],
    ['an OAuth scope of a machine client', { scope: 'loa/integration' }, ['integration']],
    ['several scopes, some not ours', { scope: 'openid loa/integration other/thing' }, ['integration']],
    ['groups and scopes together', { 'cognito:groups': ['viewer'], scope: 'loa/operator' }, ['operator', 'viewer']],
    ['unknown groups, which are ignored', { 'cognito:groups': '[superuser author]' }, ['author']],
    ['no roles at all', {}, []],
  ])('reads %s', (_, claims, roles) => {
    expect(callerFromClaims({ sub: 'u-1', ...claims })).toEqual({ id: 'u-1', roles });
  });

  it.each([
    ['a roles claim', { roles: ['author', 'approver'] }],
    ['a roles claim as a string', { roles: 'operator' }],
    ["another resource server's scope with a role's name", { scope: 'other/operator' }],
    ['a scope that only ends in a role', { scope: 'evil-loa/approver xloa/operator' }],
    ['a bare role as a scope', { scope: 'operator' }],
    ['a scope nested under loa/', { scope: 'loa/x/approver' }],
    ['a custom claim named like the groups', { 'custom:groups': ['approver'], groups: ['operator'] }],
  ])('grants nothing for %s', (_, claims) => {
    expect(callerFromClaims({ sub: 'u-1', ...claims }).roles).toEqual([]);
  });
});

describe('callerFromClaims in the embedded runtime (its own tokens and sessions)', () => {
  it.each([
    ['a roles array', { roles: ['author', 'approver'] }, ['author', 'approver']],
    ['a comma-separated string', { roles: 'viewer, operator' }, ['operator', 'viewer']],
    ['a space-separated string', { roles: 'viewer operator' }, ['operator', 'viewer']],
    ['unknown roles, which are ignored', { roles: ['admin', 'root', 'author'] }, ['author']],
  ])('reads %s', (_, claims, roles) => {
    expect(callerFromClaims({ sub: 'u-1', ...claims }, 'embedded')).toEqual({ id: 'u-1', roles });
  });

  it('takes no roles from Cognito groups or scopes, which its tokens never carry', () => {
    expect(callerFromClaims({ sub: 'u-1', 'cognito:groups': ['approver'], scope: 'loa/operator' }, 'embedded').roles).toEqual([]);
  });
});

describe('callerFromClaims without an identity', () => {
  it.each([
    ['no claims', undefined],
    ['no sub', { roles: ['author'] }],
    ['an empty sub', { sub: '  ', roles: ['author'] }],
    ['a sub that is not a string', { sub: 42, roles: ['author'] }],
  ])('refuses %s', (_, claims) => {
    expect(() => callerFromClaims(claims)).toThrow(UnauthenticatedError);
    expect(() => callerFromClaims(claims, 'embedded')).toThrow(UnauthenticatedError);
  });
});
