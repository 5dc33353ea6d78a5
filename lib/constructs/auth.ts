/**
 * Who may call the API: a Cognito user pool whose groups are the staff roles of the core (author,
 * approver, operator, viewer, and crew for the loudspeaker vans' crews), an app client for staff, and a client-credentials app client for
 * machine integrations whose tokens carry the scope `loa/integration`. The API handler reads roles
 * from `cognito:groups` and from scopes that are exactly `loa/<role>` (lambdas/http/caller-from-claims.ts).
 * People sign in to the console through Cognito's managed login at the user pool's domain, with the
 * console's own public app client (`addConsoleClient`).
 */
import { Aws, Duration, Fn, RemovalPolicy } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { ROLES, type Role } from '../../lambdas/core/auth/caller.js';
import { isDisposable } from '../config.js';

/** The role machine clients get through their OAuth scope; people get the others through groups. */
export const MACHINE_ROLE: Role = 'integration';
export const STAFF_ROLES = ROLES.filter((role) => role !== MACHINE_ROLE);
/** Identifier of the resource server: scopes read `loa/<role>`. */
export const RESOURCE_SERVER_ID = 'loa';
/** What the console asks for at sign-in; the roles come with the access token's `cognito:groups`. */
export const CONSOLE_SCOPES = [cognito.OAuthScope.OPENID, cognito.OAuthScope.PROFILE, cognito.OAuthScope.EMAIL];

export interface AuthProps {
  stage: string;
  /** Prefix of the Cognito domain (token endpoint); `loa-<stage>-<account>` when not given. */
  domainPrefix?: string;
}

export class Auth extends Construct {
  readonly userPool: cognito.UserPool;
  readonly staffClient: cognito.UserPoolClient;
  readonly machineClient: cognito.UserPoolClient;
  readonly domain: cognito.UserPoolDomain;
  readonly integrationScope: string;
  #consoleClient?: cognito.UserPoolClient;

  constructor(scope: Construct, id: string, props: AuthProps) {
    super(scope, id);
    const disposable = isDisposable(props.stage);

    this.userPool = new cognito.UserPool(this, 'UserPool', {
      userPoolName: `loa-${props.stage}`,
      selfSignUpEnabled: false,
      signInAliases: { username: true, email: true },
      standardAttributes: { email: { required: true, mutable: true } },
      autoVerify: { email: true },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      mfa: cognito.Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      featurePlan: cognito.FeaturePlan.PLUS,
      standardThreatProtectionMode: cognito.StandardThreatProtectionMode.FULL_FUNCTION,
      deletionProtection: !disposable,
      removalPolicy: disposable ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
    });
    for (const role of STAFF_ROLES) {
      new cognito.CfnUserPoolGroup(this, `Group-${role}`, {
        userPoolId: this.userPool.userPoolId,
        groupName: role,
        description: `Loa ${role}s`,
      });
    }

    this.staffClient = this.userPool.addClient('StaffClient', {
      userPoolClientName: 'staff',
      generateSecret: false,
      authFlows: { userSrp: true, userPassword: true },
      disableOAuth: true,
      preventUserExistenceErrors: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(12),
    });

    const integration = new cognito.ResourceServerScope({
      scopeName: MACHINE_ROLE,
      scopeDescription: 'Another system (hotline, provincial portal) calling the Loa API',
    });
    const resourceServer = this.userPool.addResourceServer('ResourceServer', {
      identifier: RESOURCE_SERVER_ID,
      userPoolResourceServerName: 'Loa API',
      scopes: [integration],
    });
    this.integrationScope = `${RESOURCE_SERVER_ID}/${MACHINE_ROLE}`;
    this.machineClient = this.userPool.addClient('MachineClient', {
      userPoolClientName: 'integration',
      generateSecret: true,
      authFlows: {},
      oAuth: {
        flows: { clientCredentials: true },
        scopes: [cognito.OAuthScope.resourceServer(resourceServer, integration)],
      },
      accessTokenValidity: Duration.hours(1),
    });

    this.domain = this.userPool.addDomain('Domain', {
      cognitoDomain: {
        domainPrefix: props.domainPrefix ?? Fn.join('-', ['loa', props.stage, Aws.ACCOUNT_ID]),
      },
      managedLoginVersion: cognito.ManagedLoginVersion.NEWER_MANAGED_LOGIN,
    });
  }

  /**
   * The console's app client: public (a browser keeps no secret), the authorization code grant only
   * (the console sends a PKCE challenge), back to one of `callbackUrls`. The managed login asks for the
   * password and the authenticator code the user pool requires. Called once the console's URL is known.
   */
  addConsoleClient(urls: { callbackUrls: string[]; logoutUrls: string[] }): cognito.UserPoolClient {
    if (this.#consoleClient) throw new Error('The console client is already added');
    this.#consoleClient = this.userPool.addClient('ConsoleClient', {
      userPoolClientName: 'console',
      generateSecret: false,
      // The managed login offers the sign-in methods the client allows: user name and password (SRP).
      authFlows: { userSrp: true },
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: CONSOLE_SCOPES,
        callbackUrls: urls.callbackUrls,
        logoutUrls: urls.logoutUrls,
      },
      supportedIdentityProviders: [cognito.UserPoolClientIdentityProvider.COGNITO],
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(12),
    });
    // Managed login (version 2) shows a client's pages only once the client has a branding style.
    new cognito.CfnManagedLoginBranding(this, 'ConsoleLoginBranding', {
      userPoolId: this.userPool.userPoolId,
      clientId: this.#consoleClient.userPoolClientId,
      useCognitoProvidedValues: true,
    });
    return this.#consoleClient;
  }

  get consoleClient(): cognito.UserPoolClient {
    if (!this.#consoleClient) throw new Error('addConsoleClient has not been called');
    return this.#consoleClient;
  }

  /** Where the managed login and the OAuth 2.0 endpoints are: https://<prefix>.auth.<region>.amazoncognito.com. */
  get loginUrl(): string {
    return this.domain.baseUrl();
  }

  /** The OAuth 2.0 token endpoint machine clients post their credentials to. */
  get tokenUrl(): string {
    return `${this.loginUrl}/oauth2/token`;
  }
}
