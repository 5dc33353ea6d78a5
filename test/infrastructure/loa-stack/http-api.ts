/** The HTTP API (lib/constructs/api.ts): public and JWT routes, the authorizer, throttling, CORS. */
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { ROUTES } from '../../../lambdas/http/routes.js';
import { STAGE_THROTTLE } from '../../../lib/constructs/api.js';
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
    expect(
      routes()
        .filter((route) => route.AuthorizationType === 'JWT')
        .map((route) => route.RouteKey)
        .sort(),
    ).toEqual(methods.map((method) => `${method} /{proxy+}`).sort());
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
