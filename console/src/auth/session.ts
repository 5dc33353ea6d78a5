/**
 * Sign-in on the embedded runtime: the server keeps the session and hands the browser an HttpOnly cookie,
 * so no token is ever visible to scripts.
 */
import { api, call } from '../api/client';
import type { User } from './user';

export async function currentSession(): Promise<User | undefined> {
  const { data, response } = await api.GET('/v1/session');
  if (response.status === 401) return undefined;
  if (!data) throw new Error(`GET /v1/session: ${response.status}`);
  return { id: data.user, name: data.name, roles: data.roles };
}

export async function signIn(user: string, password: string, newPassword?: string): Promise<User> {
  const data = await call(api.POST('/v1/session', { body: { user, password, ...(newPassword && { newPassword }) } }));
  return { id: data.user, name: data.name, roles: data.roles };
}

export async function signOut(): Promise<void> {
  await call(api.DELETE('/v1/session'));
}
