/**
 * The staff console on AWS (lib/constructs/console-hosting.ts, and its app client in auth.ts): a private
 * bucket behind CloudFront, the security headers, the managed login's client and the /config.json the
 * stack writes. Synthesized once, dev and prod, with a stand-in for the built console.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { afterAll, describe, expect, it } from 'vitest';
import { LoaConfigError } from '../../lib/config.js';
import { LoaStack } from '../../lib/loa-stack.js';
import { newTempFolder } from '../temp-folder.js';
import { DEV_PROPS, FAKE_CONSOLE_FILES, PROD_PROPS, synthesize } from './synth.js';
import { actionsOf, logicalId, resource, resourcesOfType, text, type Resource, type Statement } from './template-helpers.js';

const synthesized = synthesize([DEV_PROPS, PROD_PROPS]);
afterAll(() => synthesized.cleanUp());
const [devStack, prodStack] = synthesized.stacks as [LoaStack, LoaStack];
const [dev, prod] = synthesized.templates as [
  NonNullable<(typeof synthesized.templates)[0]>,
  NonNullable<(typeof synthesized.templates)[0]>,
];

const distributionId = (stack = devStack) => logicalId(stack, stack.console.distribution);
/** The console's URL as the template writes it: a reference to the distribution, never a literal. */
const consoleUrl = (stack = devStack) => `https://<${distributionId(stack)}.DomainName>`;
const loginUrl = (stack = devStack) => `https://<${logicalId(stack, stack.auth.domain)}>.auth.<AWS::Region>.amazoncognito.com`;

function only(template: typeof dev, type: string): Resource {
  const found = Object.values(resourcesOfType(template, type));
  expect(found, type).toHaveLength(1);
  return found[0]!;
}

function consoleClient(template = dev, stack = devStack): Record<string, any> {
  return resource(template, logicalId(stack, stack.auth.consoleClient)).Properties;
}

/** The Content-Security-Policy header, directive by directive. */
function csp(template = dev): Record<string, string> {
  const policy = text(
    only(template, 'AWS::CloudFront::ResponseHeadersPolicy').Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig
      .ContentSecurityPolicy.ContentSecurityPolicy,
  );
  return Object.fromEntries(
    policy.split(';').map((directive) => {
      const [name, ...sources] = directive.trim().split(/\s+/);
      return [name!, sources.join(' ')];
    }),
  );
}

function deployments(template = dev): Resource[] {
  return Object.values(resourcesOfType(template, 'Custom::CDKBucketDeployment'));
}

describe('the console bucket', () => {
  const bucketId = () => logicalId(devStack, devStack.console.bucket);
  const statements = (template = dev, stack = devStack) =>
    Object.values(resourcesOfType(template, 'AWS::S3::BucketPolicy'))
      .filter((policy) => policy.Properties.Bucket.Ref === logicalId(stack, stack.console.bucket))
      .flatMap((policy) => policy.Properties.PolicyDocument.Statement as (Statement & { Principal: unknown })[]);

  it('blocks every public access, is encrypted and refuses requests without TLS', () => {
    expect(resource(dev, bucketId()).Properties).toMatchObject({
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
    });
    expect(statements()).toContainEqual(
      expect.objectContaining({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    );
  });

  it('is read by CloudFront only, through origin access control, and only for this distribution', () => {
    const allowed = statements(prod, prodStack).filter((statement) => statement.Effect === 'Allow');
    expect(allowed).toHaveLength(1);
    expect(allowed[0]).toMatchObject({ Principal: { Service: 'cloudfront.amazonaws.com' }, Action: 's3:GetObject' });
    expect(text(allowed[0]!.Condition!.StringEquals!['AWS:SourceArn'])).toBe(
      `arn:<AWS::Partition>:cloudfront::<AWS::AccountId>:distribution/<${distributionId(prodStack)}>`,
    );
    expect(only(dev, 'AWS::CloudFront::OriginAccessControl').Properties.OriginAccessControlConfig).toMatchObject({
      OriginAccessControlOriginType: 's3',
      SigningBehavior: 'always',
      SigningProtocol: 'sigv4',
    });
    dev.resourceCountIs('AWS::CloudFront::CloudFrontOriginAccessIdentity', 0);
    const [origin] = only(dev, 'AWS::CloudFront::Distribution').Properties.DistributionConfig.Origins;
    expect(origin).toMatchObject({
      DomainName: { 'Fn::GetAtt': [bucketId(), 'RegionalDomainName'] },
      OriginAccessControlId: expect.anything(),
    });
  });

  it('goes with a dev stack and stays with any other, like the access logs kept 7 or 180 days', () => {
    for (const [template, stack, policy, days] of [
      [dev, devStack, 'Delete', 7],
      [prod, prodStack, 'Retain', 180],
    ] as const) {
      expect(resource(template, logicalId(stack, stack.console.bucket)).DeletionPolicy).toBe(policy);
      const logs = resource(template, logicalId(stack, stack.console.logBucket));
      expect(logs.DeletionPolicy).toBe(policy);
      expect(logs.Properties.LifecycleConfiguration.Rules).toEqual([
        expect.objectContaining({ ExpirationInDays: days, Status: 'Enabled' }),
      ]);
    }
  });
});

describe('the distribution', () => {
  const config = () => only(dev, 'AWS::CloudFront::Distribution').Properties.DistributionConfig;

  it('serves index.html at / and for every path the console routes in the browser', () => {
    expect(config().DefaultRootObject).toBe('index.html');
    expect(config().CustomErrorResponses).toEqual(
      [403, 404].map((code) => ({ ErrorCode: code, ResponseCode: 200, ResponsePagePath: '/index.html', ErrorCachingMinTTL: 0 })),
    );
  });

  it('serves over HTTPS only (plain HTTP is redirected), reads only, and writes access logs', () => {
    expect(config().DefaultCacheBehavior).toMatchObject({ ViewerProtocolPolicy: 'redirect-to-https', AllowedMethods: ['GET', 'HEAD'] });
    expect(config().Logging.Bucket).toEqual({ 'Fn::GetAtt': [logicalId(devStack, devStack.console.logBucket), 'RegionalDomainName'] });
  });

  it('adds the security headers to every response', () => {
    expect(config().DefaultCacheBehavior.ResponseHeadersPolicyId).toEqual({ Ref: logicalId(devStack, devStack.console.headers) });
    const headers = only(dev, 'AWS::CloudFront::ResponseHeadersPolicy').Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig;
    expect(headers).toMatchObject({
      ContentTypeOptions: { Override: true },
      FrameOptions: { FrameOption: 'DENY', Override: true },
      ReferrerPolicy: { ReferrerPolicy: 'no-referrer', Override: true },
      StrictTransportSecurity: { AccessControlMaxAgeSec: 63_072_000, IncludeSubdomains: true, Override: true },
      ContentSecurityPolicy: { Override: true },
    });
  });

  it('has a Content-Security-Policy without inline scripts, frames or plugins, connecting only to the API and the login', () => {
    const policy = csp();
    expect(policy['script-src']).toBe("'self'");
    expect(policy['style-src']).toBe("'self'");
    expect(JSON.stringify(policy)).not.toContain('unsafe-');
    expect(policy).toMatchObject({ 'frame-ancestors': "'none'", 'object-src': "'none'", 'base-uri': "'self'", 'default-src': "'self'" });
    expect(policy['connect-src']!.split(' ')).toEqual(["'self'", 'https://*.execute-api.<AWS::Region>.<AWS::URLSuffix>', loginUrl()]);
  });
});

describe('the console’s app client', () => {
  it('is public and signs in with the authorization code grant only, for the console’s scopes', () => {
    const client = consoleClient();
    expect(client).toMatchObject({
      ClientName: 'console',
      GenerateSecret: false,
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: ['openid', 'profile', 'email'],
      SupportedIdentityProviders: ['COGNITO'],
      EnableTokenRevocation: true,
      AccessTokenValidity: 60,
      RefreshTokenValidity: 720,
      TokenValidityUnits: { AccessToken: 'minutes', RefreshToken: 'minutes' },
    });
    expect(client.ExplicitAuthFlows).not.toContain('ALLOW_USER_PASSWORD_AUTH');
  });

  it('returns to the console’s /auth/callback and signs out to the console, and to consoleOrigin when given', () => {
    expect(text(consoleClient().CallbackURLs)).toBe(`[${consoleUrl()}/auth/callback]`);
    expect(text(consoleClient().LogoutURLs)).toBe(`[${consoleUrl()}/]`);
    const prodClient = consoleClient(prod, prodStack);
    expect(text(prodClient.CallbackURLs)).toBe(`[${consoleUrl(prodStack)}/auth/callback, ${PROD_PROPS.consoleOrigin}/auth/callback]`);
    expect(text(prodClient.LogoutURLs)).toBe(`[${consoleUrl(prodStack)}/, ${PROD_PROPS.consoleOrigin}/]`);
  });

  it('signs in through the managed login (version 2, with a branding style for this client) at the user pool’s domain', () => {
    expect(only(dev, 'AWS::Cognito::UserPoolDomain').Properties.ManagedLoginVersion).toBe(2);
    expect(only(dev, 'AWS::Cognito::ManagedLoginBranding').Properties).toEqual({
      UserPoolId: { Ref: logicalId(devStack, devStack.auth.userPool) },
      ClientId: { Ref: logicalId(devStack, devStack.auth.consoleClient) },
      UseCognitoProvidedValues: true,
    });
  });
});

describe('the upload', () => {
  const pages = (template = dev) => deployments(template).find((deployment) => deployment.Properties.Prune !== false)!;
  const hashed = (template = dev) => deployments(template).find((deployment) => deployment.Properties.Prune === false)!;

  /** A file of the upload as the console's bucket gets it: the staged asset with its deploy-time values filled in. */
  function uploaded(deployment: Resource, file: string): string {
    const keys = deployment.Properties.SourceObjectKeys as string[];
    const markers = (deployment.Properties.SourceMarkers ?? []) as Record<string, unknown>[];
    for (const [index, key] of keys.entries()) {
      const path = join(synthesized.directory, `asset.${key.replace(/\.zip$/, '')}`, file);
      if (!existsSync(path)) continue;
      return Object.entries(markers[index] ?? {}).reduce(
        (content, [marker, value]) => content.replaceAll(marker, text(value)),
        readFileSync(path, 'utf8'),
      );
    }
    throw new Error(`${file} is not in the upload`);
  }

  it('writes /config.json with the API’s URL and the managed login the console signs in with', () => {
    expect(JSON.parse(uploaded(pages(), 'config.json'))).toEqual({
      apiUrl: `<${logicalId(devStack, devStack.api.httpApi)}.ApiEndpoint>`,
      timezone: 'Asia/Ho_Chi_Minh',
      auth: {
        kind: 'cognito',
        domain: loginUrl(),
        clientId: `<${logicalId(devStack, devStack.auth.consoleClient)}>`,
        redirectUri: `${consoleUrl()}/auth/callback`,
        logoutUri: `${consoleUrl()}/`,
        scopes: ['openid', 'profile', 'email'],
      },
    });
  });

  it('uploads the built console: index.html and config.json revalidated on every load, hashed files cached for good and kept', () => {
    expect(uploaded(pages(), 'index.html')).toBe(FAKE_CONSOLE_FILES['index.html']);
    expect(pages().Properties).toMatchObject({ Exclude: ['assets/*'], SystemMetadata: { 'cache-control': 'no-cache' } });
    expect(hashed().Properties).toMatchObject({
      Exclude: ['*'],
      Include: ['assets/*'],
      SystemMetadata: { 'cache-control': 'public, max-age=31536000, immutable' },
    });
    for (const deployment of [pages(), hashed()]) {
      expect(deployment.Properties.DestinationBucketName).toEqual({ Ref: logicalId(devStack, devStack.console.bucket) });
    }
  });

  it('runs with S3 access to the CDK asset bucket and the console bucket only', () => {
    const policies = Object.entries(resourcesOfType(dev, 'AWS::IAM::Policy')).filter(([id]) => id.startsWith('CustomCDKBucketDeployment'));
    expect(policies).toHaveLength(1);
    const statements = policies[0]![1].Properties.PolicyDocument.Statement as Statement[];
    const bucketArn = `<${logicalId(devStack, devStack.console.bucket)}.Arn>`;
    const allowedResources = [
      'arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>',
      'arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*',
      bucketArn,
      `${bucketArn}/*`,
    ];
    for (const statement of statements) {
      expect(statement.Effect).toBe('Allow');
      for (const action of actionsOf(statement)) expect(action).toMatch(/^s3:/);
      const resources = [statement.Resource].flat().map(text);
      for (const found of resources) expect(allowedResources).toContain(found);
    }
  });

  it('uploads index.html only after the hashed files it names', () => {
    const hashedId = Object.entries(resourcesOfType(dev, 'Custom::CDKBucketDeployment')).find(
      ([, deployment]) => deployment === hashed(),
    )![0];
    expect((pages() as Resource & { DependsOn: string[] }).DependsOn).toContain(hashedId);
  });

  it('refuses to synthesize without a built console, saying how to build it', () => {
    const empty = newTempFolder('loa-no-console-');
    // An App with no outdir makes one in the temp folder and never removes it.
    const outdir = newTempFolder('loa-cdk-');
    const make = () =>
      new LoaStack(new App({ outdir, context: { 'aws:cdk:bundling-stacks': [] } }), 'Loa-dev', { ...DEV_PROPS, consoleDir: empty });
    expect(make).toThrow(LoaConfigError);
    expect(make).toThrow(/console is not built.*consoleDir/);
  });
});

describe('outputs', () => {
  it('name the console’s URL, its client and the login domain', () => {
    expect(text(dev.toJSON().Outputs.ConsoleUrl.Value)).toBe(consoleUrl());
    expect(dev.toJSON().Outputs.ConsoleClientId.Value).toEqual({ Ref: logicalId(devStack, devStack.auth.consoleClient) });
    expect(text(dev.toJSON().Outputs.LoginDomain.Value)).toBe(loginUrl());
  });
});
