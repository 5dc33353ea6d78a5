import { describe, expect, it } from 'vitest';
import { callerFromClaims, UnauthenticatedError } from '../../lambdas/http/caller-from-claims.js';

describe('callerFromClaims', () => {
  it.each([
    ['a roles array (embedded tokens)', { roles: ['author', 'approver'] }, ['author', 'approver']],
    ['cognito:groups as an array', { 'cognito:groups': ['operator'] }, ['operator']],
    ['cognito:groups as API Gateway flattens it', { 'cognito:groups': '[author approver]' }, ['author', 'approver']],
    ['a comma-separated string', { roles: 'viewer, operator' }, ['operator', 'viewer']],
    ['a space-separated string', { roles: 'viewer operator' }, ['operator', 'viewer']],
    ['an OAuth scope of a machine client', { scope: 'loa/integration' }, ['integration']],
    ['several scopes, some not ours', { scope: 'openid loa/integration other/thing' }, ['integration']],
    ['groups and scopes together', { 'cognito:groups': ['viewer'], scope: 'loa/operator' }, ['operator', 'viewer']],
    ['unknown roles, which are ignored', { roles: ['admin', 'root', 'author'], 'cognito:groups': '[superuser]' }, ['author']],
    ['no roles at all', {}, []],
  ])('reads %s', (_, claims, roles) => {
    expect(callerFromClaims({ sub: 'u-1', ...claims })).toEqual({ id: 'u-1', roles });
  });

  it.each([
    ['no claims', undefined],
    ['no sub', { roles: ['author'] }],
    ['an empty sub', { sub: '  ', roles: ['author'] }],
    ['a sub that is not a string', { sub: 42, roles: ['author'] }],
  ])('refuses %s', (_, claims) => {
    expect(() => callerFromClaims(claims)).toThrow(UnauthenticatedError);
  });
});
