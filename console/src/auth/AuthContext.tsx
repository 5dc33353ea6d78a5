/**
 * Who is signed in, for every page. Embedded: the session cookie. On AWS: Cognito's managed login
 * (authorization code with PKCE), its tokens kept in memory only, never in storage.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, call, sendBearerTokenFrom } from '../api/client';
import type { ConsoleConfig } from '../config';
import { beginSignIn, completeSignIn, refresh, signOutUrl, type CognitoTokens } from './cognito';
import type { CognitoAuthConfig } from './cognito-config';
import * as session from './session';
import type { User } from './user';

interface AuthState {
  /** undefined while it is being found out. */
  user: User | null | undefined;
  config: ConsoleConfig;
  /** Embedded only: the sign-in form's call. */
  signIn(user: string, password: string, newPassword?: string): Promise<void>;
  signOut(): Promise<void>;
}

const AuthContext = createContext<AuthState | undefined>(undefined);

let cognitoTokens: CognitoTokens | undefined;
let refreshTimer: ReturnType<typeof setTimeout> | undefined;
/** Renewed this long before the access token expires, so no call goes out with an expired one. */
const REFRESH_EARLY_MS = 5 * 60_000;

/** Keeps the in-memory tokens fresh with the refresh token; when that fails, back to the managed login. */
function keepFresh(auth: CognitoAuthConfig): void {
  clearTimeout(refreshTimer);
  const refreshToken = cognitoTokens?.refreshToken;
  if (!cognitoTokens || !refreshToken) return;
  refreshTimer = setTimeout(
    () =>
      refresh(auth, refreshToken).then(
        (fresh) => {
          cognitoTokens = fresh;
          keepFresh(auth);
        },
        () => void beginSignIn(auth),
      ),
    Math.max(0, cognitoTokens.expiresAt - Date.now() - REFRESH_EARLY_MS),
  );
}

export function AuthProvider({ config, children }: { config: ConsoleConfig; children: ReactNode }) {
  const [user, setUser] = useState<User | null | undefined>(undefined);

  useEffect(() => {
    let cancelled = false;
    const found = async (): Promise<User | null> => {
      if (config.auth.kind === 'session') return (await session.currentSession()) ?? null;
      const auth = config.auth;
      sendBearerTokenFrom(() => cognitoTokens?.accessToken);
      if (location.pathname === '/auth/callback') {
        cognitoTokens = await completeSignIn(auth, location.href);
        keepFresh(auth);
        history.replaceState(null, '', '/');
      }
      if (!cognitoTokens) {
        await beginSignIn(auth);
        return null;
      }
      const me = await call(api.GET('/v1/me'));
      return { id: me.id, name: me.name ?? me.id, roles: me.roles };
    };
    found().then(
      (value) => !cancelled && setUser(value),
      () => !cancelled && setUser(null),
    );
    return () => {
      cancelled = true;
    };
  }, [config]);

  const signIn = useCallback(async (name: string, password: string, newPassword?: string) => {
    setUser(await session.signIn(name, password, newPassword));
  }, []);

  const signOut = useCallback(async () => {
    if (config.auth.kind === 'cognito') {
      cognitoTokens = undefined;
      clearTimeout(refreshTimer);
      location.assign(signOutUrl(config.auth));
      return;
    }
    await session.signOut();
    setUser(null);
  }, [config]);

  const value = useMemo(() => ({ user, config, signIn, signOut }), [user, config, signIn, signOut]);
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  const state = useContext(AuthContext);
  if (!state) throw new Error('useAuth outside AuthProvider');
  return state;
}

/** The signed-in user; only for pages behind the sign-in. */
export function useUser(): User {
  const { user } = useAuth();
  if (!user) throw new Error('useUser without a signed-in user');
  return user;
}
