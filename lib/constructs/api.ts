/**
 * The HTTP API: API Gateway (HTTP API, payload 2.0) in front of the one API Lambda, which is the same
 * handler the embedded server runs. Public routes of the route table (health, the OpenAPI document, the
 * delivery-report webhooks, the vans' calendar feeds) need no Cognito token; every other path needs a
 * Cognito JWT, and the handler then checks the caller's roles. Browsers may call it only from the
 * console's origins (CORS), with the token in the Authorization header: no cookies, so no credentials in
 * CORS.
 */
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { IDEMPOTENCY_HEADER } from '../../lambdas/http/idempotency.js';
import { ROUTES } from '../../lambdas/http/routes.js';
import { isDisposable } from '../config.js';
import type { Auth } from './auth.js';
import type { DataTable } from './data-table.js';
import type { Dispatch } from './dispatch.js';
import { LoaFunction } from './functions.js';
import type { Scheduling } from './scheduling.js';

/**
 * Requests a second the stage lets through (and bursts), across all callers: far above what staff and
 * a few integrations need, low enough that a runaway client cannot run up the Lambda bill.
 */
export const STAGE_THROTTLE = { rateLimit: 50, burstLimit: 100 } as const;

/** Public routes (no token), from the route table. */
export const PUBLIC_ROUTES = ROUTES.filter((route) => route.access === 'public').map((route) => ({
  method: route.method,
  path: route.path,
}));
/** Methods of the routes that need a token. */
export const PROTECTED_METHODS = [...new Set(ROUTES.filter((route) => route.access !== 'public').map((route) => route.method))];
/** Every other path goes to the handler behind the authorizer, which answers 404 for unknown ones. */
export const PROTECTED_PATH = '/{proxy+}';

export interface ApiProps {
  stage: string;
  data: DataTable;
  auth: Auth;
  scheduling: Scheduling;
  dispatch: Dispatch;
  /** The origins the console is served from (https://..., no path): the only ones CORS allows. */
  consoleOrigins: string[];
}

export class Api extends Construct {
  readonly httpApi: apigwv2.HttpApi;
  readonly handler: LoaFunction;
  readonly accessLogs: logs.LogGroup;

  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id);
    const disposable = isDisposable(props.stage);

    this.handler = new LoaFunction(this, 'Handler', {
      stage: props.stage,
      handler: 'api',
      description: 'the HTTP API (templates, subscribers, segments, campaigns, receipts)',
      memorySize: 1024,
      timeout: Duration.seconds(29),
    });
    props.data.bindTable(this.handler.fn);
    props.scheduling.bindScheduler(this.handler.fn);
    // A campaign approved without a schedule is sent now: the API queues its launch for the fan-out.
    props.dispatch.bindFanOutQueue(this.handler.fn);

    this.httpApi = new apigwv2.HttpApi(this, 'HttpApi', {
      apiName: `loa-${props.stage}`,
      description: `Loa ${props.stage} API`,
      createDefaultStage: false,
      corsPreflight: {
        allowOrigins: props.consoleOrigins,
        allowMethods: PROTECTED_METHODS.map((method) => apigwv2.CorsHttpMethod[method]),
        allowHeaders: ['authorization', 'content-type', IDEMPOTENCY_HEADER],
        // The console follows the receipts CSV's parts by their Link header.
        exposeHeaders: ['link'],
        allowCredentials: false,
        maxAge: Duration.hours(1),
      },
    });

    this.accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      retention: disposable ? logs.RetentionDays.ONE_WEEK : logs.RetentionDays.SIX_MONTHS,
      removalPolicy: disposable ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
    });
    new apigwv2.HttpStage(this, 'DefaultStage', {
      httpApi: this.httpApi,
      stageName: '$default',
      autoDeploy: true,
      throttle: STAGE_THROTTLE,
      accessLogSettings: {
        destination: new apigwv2.LogGroupLogDestination(this.accessLogs),
        format: apigw.AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            time: '$context.requestTime',
            ip: '$context.identity.sourceIp',
            route: '$context.routeKey',
            path: '$context.path',
            status: '$context.status',
            latencyMs: '$context.responseLatency',
            caller: '$context.authorizer.claims.sub',
            authorizerError: '$context.authorizer.error',
            integrationError: '$context.integrationErrorMessage',
          }),
        ),
      },
    });

    const integration = new HttpLambdaIntegration('Handler', this.handler.fn);
    const authorizer = new HttpUserPoolAuthorizer('Cognito', props.auth.userPool, {
      authorizerName: 'cognito',
      userPoolClients: [props.auth.staffClient, props.auth.machineClient, props.auth.consoleClient],
    });
    for (const route of PUBLIC_ROUTES) {
      const [added] = this.httpApi.addRoutes({ path: route.path, methods: [apigwv2.HttpMethod[route.method]], integration });
      Validations.of(added!).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason:
          `${route.method} ${route.path} is public by design: liveness, the API description, or a caller that cannot ` +
          "send a Cognito token (a gateway's signed delivery reports, a phone calendar's van feed with its feed token).",
      });
    }
    this.httpApi.addRoutes({
      path: PROTECTED_PATH,
      methods: PROTECTED_METHODS.map((method) => apigwv2.HttpMethod[method]),
      integration,
      authorizer,
    });
  }

  get url(): string {
    return this.httpApi.apiEndpoint;
  }
}
