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
import type { RateClass } from '../../lambdas/core/rate-limits/rate-limits.js';
import { rateClassOf } from '../../lambdas/http/rate-limiting.js';
import { ROUTES } from '../../lambdas/http/routes.js';
import { isDisposable } from '../config.js';
import type { Auth } from './auth.js';
import type { DataTable } from './data-table.js';
import type { Dispatch } from './dispatch.js';
import { LoaFunction } from './functions.js';
import type { Scheduling } from './scheduling.js';

/**
 * Requests a second (and bursts) API Gateway lets through on each route that has no throttle of its own,
 * across all callers: far above what staff and a few integrations need, low enough that a runaway client
 * cannot run up the Lambda bill.
 */
export const STAGE_THROTTLE = { rateLimit: 50, burstLimit: 100 } as const;

/**
 * API Gateway counts each route key apart, across all callers (it cannot tell callers apart; the handler's
 * buckets per caller do, per Lambda instance). So the public routes, the imports and the decisions each get
 * route keys and throttles of their own: anyone on the internet using up a public route, or an integration
 * importing in a loop, leaves the staff routes and an emergency approval their whole allowance.
 */
export const ROUTE_THROTTLES: Partial<Record<RateClass, { rateLimit: number; burstLimit: number }>> = {
  public: { rateLimit: 10, burstLimit: 20 },
  // On AWS delivery reports come from SNS through CloudWatch Logs; no gateway calls these webhooks in volume.
  reports: { rateLimit: 10, burstLimit: 20 },
  imports: { rateLimit: 5, burstLimit: 10 },
  // As much as the stage's default: a route key's allowance is shared by every caller holding a token, so
  // it is kept high; one caller's share is what the handler's buckets bound.
  decisions: { rateLimit: STAGE_THROTTLE.rateLimit, burstLimit: STAGE_THROTTLE.burstLimit },
};

/** Public routes (no token), from the route table. */
export const PUBLIC_ROUTES = ROUTES.filter((route) => route.access === 'public').map((route) => ({
  method: route.method,
  path: route.path,
}));
/** Methods of the routes that need a token. */
export const PROTECTED_METHODS = [...new Set(ROUTES.filter((route) => route.access !== 'public').map((route) => route.method))];
/** Every other path goes to the handler behind the authorizer, which answers 404 for unknown ones. */
export const PROTECTED_PATH = '/{proxy+}';
/** Routes that need a token and have a throttle of their own (imports, decisions); the others share PROTECTED_PATH. */
const THROTTLED_ROUTES = ROUTES.filter((route) => route.access !== 'public' && ROUTE_THROTTLES[rateClassOf(route)]).map((route) => ({
  method: route.method,
  path: route.path,
  rateClass: rateClassOf(route),
}));

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
    const stage = new apigwv2.HttpStage(this, 'DefaultStage', {
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
            // The route key (a throttled route's template, or POST /{proxy+}), never the raw path; the handler's own
            // log line names the path, masked.
            route: '$context.routeKey',
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
    const routeSettings: Record<string, { ThrottlingRateLimit: number; ThrottlingBurstLimit: number }> = {};
    const throttle = (added: apigwv2.HttpRoute, route: { method: string; path: string }, rateClass: RateClass) => {
      const limits = ROUTE_THROTTLES[rateClass];
      if (!limits) return;
      routeSettings[`${route.method} ${route.path}`] = { ThrottlingRateLimit: limits.rateLimit, ThrottlingBurstLimit: limits.burstLimit };
      // The stage's settings name the route by its key, which must exist when the stage is deployed.
      stage.node.addDependency(added);
    };
    for (const route of PUBLIC_ROUTES) {
      const [added] = this.httpApi.addRoutes({ path: route.path, methods: [apigwv2.HttpMethod[route.method]], integration });
      throttle(added!, route, rateClassOf({ ...route, access: 'public' }));
      Validations.of(added!).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason:
          `${route.method} ${route.path} is public by design: liveness, the API description, or a caller that cannot ` +
          "send a Cognito token (a gateway's signed delivery reports, a phone calendar's van feed with its feed token).",
      });
    }
    for (const route of THROTTLED_ROUTES) {
      const [added] = this.httpApi.addRoutes({ path: route.path, methods: [apigwv2.HttpMethod[route.method]], integration, authorizer });
      throttle(added!, route, route.rateClass);
    }
    this.httpApi.addRoutes({
      path: PROTECTED_PATH,
      methods: PROTECTED_METHODS.map((method) => apigwv2.HttpMethod[method]),
      integration,
      authorizer,
    });
    (stage.node.defaultChild as apigwv2.CfnStage).routeSettings = routeSettings;
    // Links the API hands out (the van calendar's) are built on this address, never on a request's Host header.
    this.handler.fn.addEnvironment('LOA_PUBLIC_URL', this.httpApi.apiEndpoint);
  }

  get url(): string {
    return this.httpApi.apiEndpoint;
  }
}
