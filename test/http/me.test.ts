import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOKEN_AUDIENCE, TOKEN_ISSUER } from '../../lambdas/embedded/tokens.js';
import { startTestApi, type TestApi } from './harness.js';

describe('GET /v1/me', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  it('says who the caller is and which roles they hold', async () => {
    const result = await api.withRoles('minh', ['approver', 'viewer']).get('/v1/me');

    expect(result.status).toBe(200);
    expect(result.body).toEqual({ id: 'minh', roles: ['approver', 'viewer'] });
  });

  it('gives the display name the sign-in carries', async () => {
    const token = await new SignJWT({ sub: 'lan', roles: ['author'], name: 'Nguyễn Thị Lan' })
      .setProtectedHeader({ alg: 'HS256' })
      .setJti('tok_with_name')
      .setIssuer(TOKEN_ISSUER)
      .setAudience(TOKEN_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(api.signingKey);

    const result = await api.withToken(token).get('/v1/me');

    expect(result.body).toEqual({ id: 'lan', name: 'Nguyễn Thị Lan', roles: ['author'] });
  });

  it('answers 401 without a token', async () => {
    expect((await api.anonymous.get('/v1/me')).status).toBe(401);
  });
});
