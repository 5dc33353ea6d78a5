/** The HTTP API (lib/constructs/api.ts): public and JWT routes, the authorizer, throttling, CORS. */
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { rateClassOf } from '../../../lambdas/http/rate-limiting.js';
import { ROUTES } from '../../../lambdas/http/routes.js';
import { ROUTE_THROTTLES, STAGE_THROTTLE } from '../../../lib/constructs/api.js';
import type { LoaStack } from '../../../lib/loa-stack.js';
import { PROD_PROPS } from '../synth.js';
import { logicalId, resourcesOfType, text } from '../template-helpers.js';
import { dev, devStack, prod, prodStack } from './synthesized-stacks.js';

describe('the HTTP API', () => {
  const routes = (template = dev) => Object.values(resourcesOfType(template, 'AWS::ApiGatewayV2::Route')).map((route) => route.Properties);
  const publicKeys = ROUTES.filter((route) => route.access === 'public').map((route) => `${route.method} ${route.path}`);

  it('leaves open only GET /health, GET /openapi.json, the signed delivery-report webhooks and the vans’ calendar feeds', () => {
    expect(publicKeys.sort()).toEqual([
      'GET /health',
      'GET /openapi.json',
      'GET /v1/dlr/{gatewayId}',
      'GET /v1/vans/{id}/calendar.ics',
      'POST /v1/dlr/{gatewayId}',
    ]);
    expect(
      routes()
        .filter((route) => route.AuthorizationType === 'NONE')
        .map((route) => route.RouteKey)
        .sort(),
    ).toEqual(publicKeys.sort());
    for (const route of routes()) {
      if (publicKeys.includes(route.RouteKey)) expect(route).toMatchObject({ AuthorizationType: 'NONE' });
      else expect(route, route.RouteKey).toMatchObject({ AuthorizationType: 'JWT', AuthorizerId: { Ref: expect.any(String) } });
    }
  });

  it('sends every method of the route table to the Lambda behind the Cognito authorizer', () => {
    const methods = [...new Set(ROUTES.filter((route) => route.access !== 'public').map((route) => route.method))];
    const throttledApart = ROUTES.filter((route) => route.access !== 'public' && ['imports', 'decisions'].includes(rateClassOf(route)));
    expect(
      routes()
        .filter((route) => route.AuthorizationType === 'JWT')
        .map((route) => route.RouteKey)
        .sort(),
    ).toEqual(
      [...methods.map((method) => `${method} /{proxy+}`), ...throttledApart.map((route) => `${route.method} ${route.path}`)].sort(),
    );
  });

  it('throttles public routes, imports and decisions on route keys of their own, so none can use up the staff routes', () => {
    const stage = Object.values(resourcesOfType(dev, 'AWS::ApiGatewayV2::Stage'))[0]!;
    const settings = stage.Properties.RouteSettings as Record<string, { ThrottlingRateLimit: number; ThrottlingBurstLimit: number }>;
    const throttleOf = (key: string) =>
      settings[key] && { rateLimit: settings[key].ThrottlingRateLimit, burstLimit: settings[key].ThrottlingBurstLimit };
    for (const key of publicKeys) expect(throttleOf(key), key).toBeDefined();
    expect(throttleOf('GET /health')).toEqual(ROUTE_THROTTLES.public);
    expect(throttleOf('POST /v1/dlr/{gatewayId}')).toEqual(ROUTE_THROTTLES.reports);
    expect(throttleOf('POST /v1/subscribers/import')).toEqual(ROUTE_THROTTLES.imports);
    for (const decision of [
      '/v1/campaigns/{id}/approve',
      '/v1/campaigns/{id}/pause',
      '/v1/templates/{id}/approve',
      '/v1/tours/{id}/cancel',
    ]) {
      expect(throttleOf(`POST ${decision}`), decision).toEqual(ROUTE_THROTTLES.decisions);
    }
    // The staff routes' keys keep the stage's throttle, which no public route draws on.
    expect(Object.keys(settings).filter((key) => key.endsWith('/{proxy+}'))).toEqual([]);
    // Public routes and imports take less than the stage; a decision route key as much, since every token holder shares it.
    for (const rateClass of ['public', 'reports', 'imports'] as const)
      expect(ROUTE_THROTTLES[rateClass]!.rateLimit).toBeLessThan(STAGE_THROTTLE.rateLimit);
    expect(ROUTE_THROTTLES.decisions).toEqual(STAGE_THROTTLE);
    // Route settings name routes by key: the stage is deployed only once they exist.
    const throttledRouteIds = Object.entries(resourcesOfType(dev, 'AWS::ApiGatewayV2::Route'))
      .filter(([, route]) => settings[route.Properties.RouteKey] !== undefined)
      .map(([id]) => id);
    expect(throttledRouteIds).toHaveLength(Object.keys(settings).length);
    expect((stage as { DependsOn?: string[] }).DependsOn).toEqual(expect.arrayContaining(throttledRouteIds));
  });

  it('gives the API its public address for the links it hands out', () => {
    const functions = resourcesOfType(dev, 'AWS::Lambda::Function');
    const given = Object.keys(functions).filter((id) => functions[id]!.Properties.Environment?.Variables?.LOA_PUBLIC_URL !== undefined);
    expect(given).toEqual([logicalId(devStack, devStack.api.handler.fn)]);
    expect(text(functions[given[0]!]!.Properties.Environment.Variables.LOA_PUBLIC_URL)).toBe(
      `<${logicalId(devStack, devStack.api.httpApi)}.ApiEndpoint>`,
    );
  });

  it('accepts JWTs issued by the user pool to the staff, machine and console clients', () => {
    const authorizers = Object.values(resourcesOfType(dev, 'AWS::ApiGatewayV2::Authorizer'));
    expect(authorizers).toHaveLength(1);
    const { JwtConfiguration, AuthorizerType } = authorizers[0]!.Properties;
    expect(AuthorizerType).toBe('JWT');
    expect(JwtConfiguration.Audience).toEqual([
      { Ref: logicalId(devStack, devStack.auth.staffClient) },
      { Ref: logicalId(devStack, devStack.auth.machineClient) },
      { Ref: logicalId(devStack, devStack.auth.consoleClient) },
    ]);
    expect(text(JwtConfiguration.Issuer)).toBe(
      `https://cognito-idp.<AWS::Region>.amazonaws.com/<${logicalId(devStack, devStack.auth.userPool)}>`,
    );
  });

  it('throttles the stage and writes access logs', () => {
    dev.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      DefaultRouteSettings: { ThrottlingRateLimit: STAGE_THROTTLE.rateLimit, ThrottlingBurstLimit: STAGE_THROTTLE.burstLimit },
      AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('requestId') },
    });
  });

  it('logs the route key of each request, never its raw path, where a phone number could be', () => {
    const stage = Object.values(resourcesOfType(dev, 'AWS::ApiGatewayV2::Stage'))[0]!.Properties;
    const format = JSON.parse(stage.AccessLogSettings.Format) as Record<string, string>;
    expect(format).toMatchObject({ route: '$context.routeKey' });
    expect(Object.values(format).filter((value) => /\$context\.(path|resourcePath|http\.path)|rawPath/.test(value))).toEqual([]);
  });

  it('allows CORS only from the console the stack serves, and from consoleOrigin when one is given, without credentials', () => {
    const consoleUrl = (stack: LoaStack) => ({
      'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [logicalId(stack, stack.console.distribution), 'DomainName'] }]],
    });
    const cors = (template: typeof dev) =>
      Object.values(resourcesOfType(template, 'AWS::ApiGatewayV2::Api'))[0]!.Properties.CorsConfiguration;
    expect(cors(dev)).toMatchObject({
      AllowOrigins: [consoleUrl(devStack)],
      AllowCredentials: false,
      AllowHeaders: ['authorization', 'content-type', 'idempotency-key'],
      ExposeHeaders: ['link'],
    });
    expect(cors(prod).AllowOrigins).toEqual([consoleUrl(prodStack), PROD_PROPS.consoleOrigin]);
  });
});
