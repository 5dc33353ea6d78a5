/**
 * `auth` of /config.json on AWS: the stack writes it (lib/constructs/console-hosting.ts), the console signs
 * in with it. A file of its own, free of browser APIs, so that the stack's code can name the same type.
 */
export interface CognitoAuthConfig {
  kind: 'cognito';
  /** The managed login's base URL: https://<prefix>.auth.<region>.amazoncognito.com */
  domain: string;
  clientId: string;
  redirectUri: string;
  logoutUri: string;
  scopes: string[];
}
