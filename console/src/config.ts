/**
 * What the console needs to know of its deployment, from /config.json: the embedded runtime serves it
 * (same-origin API, session cookie); on AWS the stack writes it (the API's URL, Cognito's managed login).
 */
import { DEFAULT_TIMEZONE } from '../../lambdas/core/time/local-time';
import type { CognitoAuthConfig } from './auth/cognito-config';

export interface ConsoleConfig {
  /** '' for the same origin. */
  apiUrl: string;
  /** IANA time zone of the deployment: every date is shown in it. */
  timezone: string;
  auth: { kind: 'session' } | CognitoAuthConfig;
}

export async function loadConfig(): Promise<ConsoleConfig> {
  const response = await fetch('/config.json', { cache: 'no-store' });
  if (!response.ok) throw new Error(`/config.json: ${response.status}`);
  const config = (await response.json()) as Partial<ConsoleConfig>;
  return { apiUrl: config.apiUrl ?? '', timezone: config.timezone ?? DEFAULT_TIMEZONE, auth: config.auth ?? { kind: 'session' } };
}
