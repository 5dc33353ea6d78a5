import type { Deps } from '../../../lambdas/core/deps.js';
import type { DispatchDeps } from '../../../lambdas/core/dispatch/dispatcher.js';
import { DEFAULT_HEALTH_POLICY } from '../../../lambdas/core/gateways/gateway-health.js';
import { GatewayRouter } from '../../../lambdas/core/gateways/gateway-router.js';
import type { Gateway } from '../../../lambdas/core/ports.js';

/** `deps` dispatching every carrier through `gateway`, retrying without waiting. */
export function throughOneGateway(deps: Deps, gateway: Gateway): DispatchDeps {
  return {
    ...deps,
    gateways: new GatewayRouter(
      [gateway],
      [{ carriers: ['*'], gateways: [gateway.id] }],
      DEFAULT_HEALTH_POLICY,
      deps.clock,
      async () => {},
    ),
  };
}
