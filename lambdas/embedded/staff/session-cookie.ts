/**
 * The session cookie: HttpOnly (no script reads it), SameSite=Strict (no other site's page sends it),
 * Path=/, Secure when the request came over HTTPS (directly or through a proxy that says so in
 * X-Forwarded-Proto) or when the settings say the server is always reached over HTTPS. It has no
 * Max-Age: it goes when the browser closes, and the server ends the session before that anyway.
 */
export const SESSION_COOKIE = 'loa_session';

type Headers = Record<string, string | string[] | undefined>;

export function sessionIdFrom(headers: Headers): string | undefined {
  const cookie = headers.cookie;
  for (const part of (Array.isArray(cookie) ? cookie.join('; ') : (cookie ?? '')).split(';')) {
    const [name, ...value] = part.split('=');
    if (name?.trim() === SESSION_COOKIE) return value.join('=').trim() || undefined;
  }
  return undefined;
}

export function sessionCookie(sessionId: string, secure: boolean): string {
  return `${SESSION_COOKIE}=${sessionId}; Path=/; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`;
}

export function clearedSessionCookie(secure: boolean): string {
  return `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0${secure ? '; Secure' : ''}`;
}

export function cameOverHttps(headers: Headers, alwaysHttps: boolean): boolean {
  const forwarded = headers['x-forwarded-proto'];
  const proto = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim().toLowerCase();
  return alwaysHttps || proto === 'https';
}

/** Whether the request names an Origin (browsers do on unsafe requests) other than this server's own. */
export function isCrossOrigin(headers: Headers, alwaysHttps: boolean): boolean {
  const origin = headers.origin;
  if (origin === undefined) return false;
  const own = `${cameOverHttps(headers, alwaysHttps) ? 'https' : 'http'}://${String(headers.host ?? '').toLowerCase()}`;
  return String(origin).toLowerCase() !== own;
}
