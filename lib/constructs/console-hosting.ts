/**
 * The staff console on AWS: the files `vite build` makes, in a private S3 bucket that only CloudFront
 * reads (origin access control), served over HTTPS with the console's security headers, and the
 * /config.json that tells the console where the API and the managed login are. The stack makes it in
 * two steps: the distribution first (the console's app client and the API's CORS need its URL), then
 * `publish` once the API and that client exist.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Aws, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import type { IRole } from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import type { CognitoAuthConfig } from '../../console/src/auth/cognito-config.js';
import { DEFAULT_CONFIG } from '../../lambdas/core/config.js';
import { isDisposable, LoaConfigError } from '../config.js';

/** Where the managed login sends people back with the authorization code (a route of the console). */
export const CALLBACK_PATH = '/auth/callback';
/** The console's settings, written next to index.html. */
export const CONFIG_FILE = 'config.json';
/** Vite's folder of content-hashed files: cached for good, every other file revalidated. */
export const HASHED_ASSETS_FOLDER = 'assets';

export const callbackUrlOf = (origin: string): string => `${origin}${CALLBACK_PATH}`;
export const signedOutUrlOf = (origin: string): string => `${origin}/`;

/** /config.json on AWS, as the console reads it (console/src/config.ts). */
export interface ConsoleConfigFile {
  apiUrl: string;
  timezone: string;
  auth: CognitoAuthConfig;
}

export interface ConsoleHostingProps {
  stage: string;
  /** The built console: index.html and assets/. */
  directory: string;
  /** The managed login's base URL: the console posts the authorization code to its token endpoint. */
  loginUrl: string;
}

export class ConsoleHosting extends Construct {
  readonly bucket: s3.Bucket;
  readonly logBucket: s3.Bucket;
  readonly headers: cloudfront.ResponseHeadersPolicy;
  readonly distribution: cloudfront.Distribution;
  private readonly directory: string;
  private readonly loginUrl: string;

  constructor(scope: Construct, id: string, props: ConsoleHostingProps) {
    super(scope, id);
    if (!existsSync(join(props.directory, 'index.html'))) {
      throw new LoaConfigError(
        `The console is not built: no index.html in ${props.directory}. Build it first (npm run build:console), ` +
          'or name the folder of a build with -c consoleDir=<folder>.',
      );
    }
    this.directory = props.directory;
    this.loginUrl = props.loginUrl;
    const disposable = isDisposable(props.stage);

    this.bucket = new s3.Bucket(this, 'Files', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      removalPolicy: disposable ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
      autoDeleteObjects: disposable,
    });
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason: "Only CloudFront reads this bucket (origin access control): the distribution's access logs record every read.",
    });

    this.logBucket = new s3.Bucket(this, 'AccessLogs', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      // CloudFront's standard logging writes its files with an ACL.
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: disposable ? Duration.days(7) : Duration.days(180) }],
      removalPolicy: disposable ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
      autoDeleteObjects: disposable,
    });
    Validations.of(this.logBucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This bucket holds the access logs; logging its own access would log into itself.',
    });

    this.headers = new cloudfront.ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: `Loa ${props.stage} console: security headers`,
      securityHeadersBehavior: {
        contentSecurityPolicy: { contentSecurityPolicy: contentSecurityPolicy(props.loginUrl), override: true },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: cloudfront.HeadersReferrerPolicy.NO_REFERRER, override: true },
        strictTransportSecurity: { accessControlMaxAge: Duration.days(730), includeSubdomains: true, override: true },
      },
    });

    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: `Loa ${props.stage} console`,
      defaultRootObject: 'index.html',
      defaultBehavior: {
        origin: origins.S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: this.headers,
        compress: true,
      },
      // The console routes in the browser: a deep link (/campaigns/42) is index.html. S3 answers 403 for a
      // missing key, as CloudFront may not list the bucket. Not cached, so a new index.html shows at once.
      errorResponses: [403, 404].map((httpStatus) => ({
        httpStatus,
        responseHttpStatus: 200,
        responsePagePath: '/index.html',
        ttl: Duration.seconds(0),
      })),
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      enableLogging: true,
      logBucket: this.logBucket,
      logFilePrefix: 'cloudfront/',
    });
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR4',
      reason:
        "The console is served at CloudFront's own *.cloudfront.net name, whose default certificate's TLS policy " +
        'CloudFront sets and no distribution can raise; a custom domain would bring its own certificate and policy.',
    });
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR1',
      reason:
        'Staff sign in wherever they are (on the road with a loudspeaker van, abroad); the distribution serves only ' +
        'the static console, and every piece of data is behind Cognito sign-in at the API.',
    });
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR2',
      reason:
        'The distribution serves only the static console, the same files for everyone; the API is throttled and ' +
        "sign-in is protected by the user pool's threat protection.",
    });
  }

  /** https://<id>.cloudfront.net */
  get url(): string {
    return `https://${this.distribution.distributionDomainName}`;
  }

  /**
   * Uploads the built console and its /config.json. index.html, config.json and the other files at the
   * top revalidate on every load so a deploy shows at once; Vite's hashed files are cached for good and
   * never removed, so a page opened before a deploy still finds the chunks it loads later.
   */
  publish(settings: { apiUrl: string; clientId: string; scopes: string[] }): void {
    const config: ConsoleConfigFile = {
      apiUrl: settings.apiUrl,
      timezone: DEFAULT_CONFIG.timezone,
      auth: {
        kind: 'cognito',
        domain: this.loginUrl,
        clientId: settings.clientId,
        redirectUri: callbackUrlOf(this.url),
        logoutUri: signedOutUrlOf(this.url),
        scopes: settings.scopes,
      },
    };
    const hashed = new s3deploy.BucketDeployment(this, 'HashedAssets', {
      destinationBucket: this.bucket,
      sources: [s3deploy.Source.asset(this.directory)],
      exclude: ['*'],
      include: [`${HASHED_ASSETS_FOLDER}/*`],
      cacheControl: [
        s3deploy.CacheControl.setPublic(),
        s3deploy.CacheControl.maxAge(Duration.days(365)),
        s3deploy.CacheControl.immutable(),
      ],
      prune: false,
    });
    const pages = new s3deploy.BucketDeployment(this, 'Pages', {
      destinationBucket: this.bucket,
      sources: [s3deploy.Source.asset(this.directory), s3deploy.Source.jsonData(CONFIG_FILE, config)],
      exclude: [`${HASHED_ASSETS_FOLDER}/*`],
      cacheControl: [s3deploy.CacheControl.noCache()],
    });
    // index.html names the new hashed files: they must be there first.
    pages.node.addDependency(hashed);
    this.acknowledgeDeploymentHandler(hashed.handlerRole);
  }

  /** The upload runs in CDK's own function, one for the stack, with the permissions CDK gives it. */
  private acknowledgeDeploymentHandler(role: IRole): void {
    const handler = role.node.scope!;
    const bucketId = Stack.of(this).getLogicalId(this.bucket.node.defaultChild as s3.CfnBucket);
    Validations.of(handler).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason: "AWS's basic execution policy only lets the upload function write its own logs.",
    });
    const wildcards = [
      'Action::s3:GetObject*',
      'Action::s3:GetBucket*',
      'Action::s3:List*',
      'Action::s3:DeleteObject*',
      'Action::s3:Abort*',
      'Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*',
      `Resource::<${bucketId}.Arn>/*`,
    ];
    for (const wildcard of wildcards) {
      Validations.of(handler).acknowledge({
        id: `AwsSolutions-IAM5[${wildcard}]`,
        reason:
          "CDK's bucket deployment reads the uploaded build from the CDK asset bucket and syncs it into the console's " +
          'bucket (copy, replace, remove stale files): object-level actions on those two buckets only.',
      });
    }
    Validations.of(handler).acknowledge({
      id: 'AwsSolutions-L1',
      reason: "The runtime of CDK's bucket deployment function is chosen by aws-cdk-lib and moves with it.",
    });
  }
}

/**
 * No inline script or style, nothing from elsewhere but the calls to the API and to the managed login's
 * token endpoint, and never in a frame. The API's exact URL cannot be named here: the API's CORS names
 * this distribution, so the distribution cannot depend on the API (a dependency cycle); the API
 * Gateway endpoints of the stack's region stand for it.
 */
export function contentSecurityPolicy(loginUrl: string): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self' https://*.execute-api.${Aws.REGION}.${Aws.URL_SUFFIX} ${loginUrl}`,
    "frame-ancestors 'none'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
  ].join('; ');
}
