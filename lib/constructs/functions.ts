/**
 * How every Loa Lambda is built and run: one entry file per handler under lambdas/handlers/, bundled
 * locally by esbuild (no Docker) as ESM for nodejs22.x on arm64, with source maps, X-Ray tracing, a
 * log group of its own and the settings every handler reads.
 */
import { type Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_CONFIG } from '../../lambdas/core/config.js';
import { isDisposable } from '../config.js';

/** The repository root: entries, package-lock.json and tsconfig.json are found from it. */
export const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The Lambda entry points, each exporting `handler`. */
export const HANDLER_ENTRIES = {
  api: 'lambdas/handlers/api.ts',
  scheduleTarget: 'lambdas/handlers/schedule-target.ts',
  fanOut: 'lambdas/handlers/fan-out.ts',
  sender: 'lambdas/handlers/sender.ts',
  deliveryReports: 'lambdas/handlers/delivery-reports.ts',
  eumDeliveryEvents: 'lambdas/handlers/eum-delivery-events.ts',
  janitor: 'lambdas/handlers/janitor.ts',
  import: 'lambdas/handlers/import.ts',
} as const;
export type HandlerName = keyof typeof HANDLER_ENTRIES;

export const RUNTIME = lambda.Runtime.NODEJS_22_X;
export const ARCHITECTURE = lambda.Architecture.ARM_64;

/**
 * esbuild options of every function. The AWS SDK is bundled (not taken from the runtime) so the
 * versions pinned by package-lock.json are the ones that run. The banner gives CommonJS dependencies
 * bundled into ESM the `require` they expect for Node built-ins.
 */
export const BUNDLING: nodejs.BundlingOptions = {
  forceDockerBundling: false,
  format: nodejs.OutputFormat.ESM,
  target: 'node22',
  mainFields: ['module', 'main'],
  sourceMap: true,
  sourcesContent: false,
  minify: true,
  keepNames: true,
  bundleAwsSDK: true,
  externalModules: [],
  banner: "import { createRequire as __loaCreateRequire } from 'node:module'; const require = __loaCreateRequire(import.meta.url);",
};

/** The CloudWatch namespace of a stage's EMF metrics (POWERTOOLS_METRICS_NAMESPACE): `Loa/<stage>`. */
export function metricsNamespace(stage: string): string {
  return `Loa/${stage}`;
}

export interface LoaFunctionProps {
  stage: string;
  handler: HandlerName;
  description: string;
  memorySize: number;
  timeout: Duration;
  reservedConcurrentExecutions?: number;
  environment?: Record<string, string>;
  /** Where failed asynchronous invocations go (after Lambda's own retries). */
  deadLetterQueue?: sqs.IQueue;
  retryAttempts?: number;
}

/** A NodejsFunction of Loa with its log group; `fn` is what the other constructs bind to. */
export class LoaFunction extends Construct {
  readonly fn: nodejs.NodejsFunction;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: LoaFunctionProps) {
    super(scope, id);
    const disposable = isDisposable(props.stage);
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: disposable ? logs.RetentionDays.ONE_WEEK : logs.RetentionDays.SIX_MONTHS,
      removalPolicy: disposable ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
    });
    this.fn = new nodejs.NodejsFunction(this, 'Function', {
      entry: join(PROJECT_ROOT, HANDLER_ENTRIES[props.handler]),
      handler: 'handler',
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: join(PROJECT_ROOT, 'package-lock.json'),
      runtime: RUNTIME,
      architecture: ARCHITECTURE,
      description: `Loa ${props.stage}: ${props.description}`,
      memorySize: props.memorySize,
      timeout: props.timeout,
      tracing: lambda.Tracing.ACTIVE,
      logGroup: this.logGroup,
      bundling: BUNDLING,
      ...(props.reservedConcurrentExecutions !== undefined && { reservedConcurrentExecutions: props.reservedConcurrentExecutions }),
      ...(props.deadLetterQueue && { deadLetterQueue: props.deadLetterQueue }),
      ...(props.retryAttempts !== undefined && { retryAttempts: props.retryAttempts }),
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        LOA_TIMEZONE: DEFAULT_CONFIG.timezone,
        POWERTOOLS_SERVICE_NAME: 'loa',
        POWERTOOLS_METRICS_NAMESPACE: metricsNamespace(props.stage),
        LOG_LEVEL: isDisposable(props.stage) ? 'DEBUG' : 'INFO',
        ...props.environment,
      },
    });

    const role = this.fn.role!;
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason: "AWS's basic execution policy only lets the function write its own logs.",
    });
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'X-Ray (Powertools tracer) accepts trace segments on no narrower resource than "*".',
    });
    Validations.of(this.fn).acknowledge({
      id: 'AwsSolutions-L1',
      reason: 'Loa targets nodejs22.x (the Node 22 LTS its tooling and tests are pinned to); move with the toolchain.',
    });
  }
}
