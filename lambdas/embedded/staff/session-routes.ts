/**
 * POST, GET and DELETE /v1/session: staff sign in with a user name and password and get a session cookie.
 * Only the embedded runtime serves these; on AWS, staff sign in through Cognito's managed login.
 */
import { z } from 'zod';
import { ROLES } from '../../core/auth/caller.js';
import { UnauthenticatedError } from '../../http/caller-from-claims.js';
import { noContent, route, type Route } from '../../http/route.js';
import { SESSION_PATH } from './cookie-sessions.js';
import { cameOverHttps, clearedSessionCookie, sessionCookie, sessionIdFrom } from './session-cookie.js';
import { MIN_PASSWORD_LENGTH } from './staff-accounts.js';
import type { ActiveSession } from './staff-sessions.js';
import type { StaffSignIn } from './sign-in.js';

const EMBEDDED_ONLY = 'Embedded runtime only (`npm start`); on AWS, staff sign in through Cognito.';

const SignInBody = z.strictObject({
  user: z.string().trim().min(1).max(64).describe('The user name, e.g. lan'),
  password: z.string().min(1).max(1024),
  newPassword: z
    .string()
    .min(MIN_PASSWORD_LENGTH)
    .max(1024)
    .optional()
    .describe('Replaces the password; required when it is temporary (problem type urn:loa:problem:password-change-required)'),
});

const SessionView = z
  .object({
    user: z.string(),
    name: z.string().describe('Display name'),
    roles: z.array(z.enum(ROLES)),
    expiresAt: z.iso.datetime().describe('When the session ends unless used again before (30 minutes idle, 12 hours at most)'),
  })
  .meta({ id: 'StaffSession' });

export function sessionRoutes(signIn: StaffSignIn, options: { alwaysHttps: boolean }): Route[] {
  const secure = (headers: Record<string, string | undefined>) => cameOverHttps(headers, options.alwaysHttps);
  return [
    route({
      method: 'POST',
      path: SESSION_PATH,
      summary: 'Sign in with a staff account; sets the session cookie',
      description:
        `${EMBEDDED_ONLY} A wrong user name or password is one 401; 403 password-change-required for a temporary ` +
        'password (send newPassword), 403 forbidden for a disabled account; 429 over 10 attempts a minute from ' +
        'one address or for one user name; 423 for 15 minutes after 5 failures in a row. 423 and 429 carry Retry-After.',
      tag: 'session',
      access: 'public',
      body: SignInBody,
      // password-change-required first: the 403 the console must tell apart (a disabled account is the other).
      problems: ['unauthenticated', 'password-change-required', 'forbidden', 'account-locked', 'too-many-requests'],
      responses: { 200: { description: 'Signed in; the session cookie is set', schema: SessionView } },
      handle: async ({ body, headers, sourceIp }) => {
        const { sessionId, session } = await signIn.signIn(body, sourceIp);
        return { status: 200, body: view(session), headers: { 'set-cookie': sessionCookie(sessionId, secure(headers)) } };
      },
    }),
    route({
      method: 'GET',
      path: SESSION_PATH,
      summary: 'Who is signed in with the session cookie',
      description: EMBEDDED_ONLY,
      tag: 'session',
      access: 'public',
      problems: ['unauthenticated'],
      responses: { 200: { description: 'The signed-in account', schema: SessionView } },
      handle: async ({ headers }) => {
        const sessionId = sessionIdFrom(headers);
        const session = sessionId === undefined ? undefined : signIn.current(sessionId);
        if (!session) throw new UnauthenticatedError('Not signed in, or the session has ended');
        return { status: 200, body: view(session) };
      },
    }),
    route({
      method: 'DELETE',
      path: SESSION_PATH,
      summary: 'Sign out: ends the session on the server and clears the cookie',
      description: EMBEDDED_ONLY,
      tag: 'session',
      access: 'public',
      responses: { 204: 'Signed out (also when there was no session)' },
      handle: async ({ headers }) => {
        const sessionId = sessionIdFrom(headers);
        if (sessionId !== undefined) await signIn.signOut(sessionId);
        return { ...noContent(), headers: { 'set-cookie': clearedSessionCookie(secure(headers)) } };
      },
    }),
  ];
}

function view(session: ActiveSession): z.infer<typeof SessionView> {
  const { user, name, roles } = session.account;
  return { user, name, roles, expiresAt: session.expiresAt.toISOString() };
}
