/**
 * The gateways of one host on AWS, from LOA_GATEWAYS (the stack's copy of loa.config.json, its `secret:`
 * references kept). `http`, `sns` and `eum` gateways send from the sender Lambda, `smpp` ones from the
 * SMPP service on Fargate (settings/gateways-file.ts `gatewayHost`). A job goes to the host of the first
 * gateway of each recipient's route (the fan-out's HostSplitQueue), and fails over only among that host's
 * gateways of the route: each host's router keeps only its own gateways in every route.
 *
 * Every host paces each gateway with the bucket in DynamoDB its other senders share
 * (adapters/dynamodb/dynamodb-rate-limiter.ts), so a gateway's rate holds across Lambda instances, tasks
 * and failover traffic alike.
 */
import { GatewayRouter, routeOf, type Route, type RouterEvents } from '../core/gateways/gateway-router.js';
import type { LimiterFactory, Sleep } from '../core/gateways/rate-limiter.js';
import type { Clock, Gateway, Recipient } from '../core/ports.js';
import type { SendingRoute } from '../core/config.js';
import {
  type GatewayConfig,
  type GatewayHost,
  gatewayHost,
  GatewaysFileError,
  type LoaConfigFile,
  parseGatewaysFile,
  referencesIn,
} from '../settings/gateways-file.js';
import { type ReadSecret, resolveReferences, secretResolver } from '../settings/secret-references.js';

export type { GatewayHost, LoaConfigFile };

/** LOA_GATEWAYS checked with the schema of the file (`secret:` references kept); a GatewaysFileError names what is wrong. */
export function readGatewaysJson(text: string, source = 'LOA_GATEWAYS'): LoaConfigFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new GatewaysFileError(`Invalid configuration ${source}: not JSON (${(error as Error).message})`);
  }
  return parseGatewaysFile(json, { runtime: 'aws', source });
}

export function gatewaysOfHost(file: LoaConfigFile, host: GatewayHost): GatewayConfig[] {
  return file.gateways.filter((gateway) => gatewayHost(gateway.type) === host);
}

/**
 * Every route with only the host's gateways, in their order. A route may be left with none: its messages
 * never come to this host (the router answers no gateway for them, and the job fails to its dead-letter queue).
 */
export function routesOfHost(file: LoaConfigFile, host: GatewayHost): Route[] {
  const mine = new Set(gatewaysOfHost(file, host).map((gateway) => gateway.id));
  return file.routes.map((route) => ({ carriers: route.carriers, gateways: route.gateways.filter((id) => mine.has(id)) }));
}

/** The host a recipient's job goes to: its pinned gateway's (an uncertain submit), else its route's first gateway's. */
export function recipientHost(file: LoaConfigFile): (recipient: Recipient) => GatewayHost {
  const hosts = new Map(file.gateways.map((gateway) => [gateway.id, gatewayHost(gateway.type)]));
  return (recipient) => {
    const pinned = recipient.gatewayId && hosts.get(recipient.gatewayId);
    return pinned || hosts.get(routeOf(file.routes, recipient.carrier).gateways[0]!)!;
  };
}

/** Each route's first gateway and its rate, for the estimate of how long a campaign takes to send. */
export function sendingRoutes(file: LoaConfigFile): SendingRoute[] {
  const rates = new Map(file.gateways.map((gateway) => [gateway.id, gateway.tps]));
  return file.routes.map((route) => {
    const gatewayId = route.gateways[0]!;
    const partsPerSecond = rates.get(gatewayId);
    return { carriers: route.carriers, gatewayId, ...(partsPerSecond !== undefined && { partsPerSecond }) };
  });
}

/**
 * The host's gateways with their `secret:` references read (each secret once, through `readSecret`) and
 * checked again with the values in place, and the routes among them. The other host's secrets are not read.
 */
export async function resolveHostGateways(file: LoaConfigFile, host: GatewayHost, readSecret: ReadSecret): Promise<LoaConfigFile> {
  const mine = gatewaysOfHost(file, host);
  const routes = routesOfHost(file, host);
  if (referencesIn(mine, []).length === 0) return { ...file, gateways: mine, routes };
  const resolved = (await resolveReferences(mine, secretResolver(readSecret), 'LOA_GATEWAYS.gateways')) as GatewayConfig[];
  const checked = parseGatewaysFile(
    { gateways: resolved, routes: [{ carriers: ['*'], gateways: resolved.map((gateway) => gateway.id) }] },
    { runtime: 'aws', references: false, source: `LOA_GATEWAYS (${host} gateways, secrets read)` },
  );
  return { ...file, gateways: checked.gateways, routes };
}

export interface HostRouterOptions {
  /** The host's configuration, as resolveHostGateways returns it. */
  file: LoaConfigFile;
  /** The started gateways of the file. */
  gateways: Gateway[];
  /** The shared buckets: adapters/dynamodb/dynamodb-rate-limiter.ts `sharedRateLimiters`. */
  limiters: LimiterFactory;
  clock: Clock;
  sleep: Sleep;
  events?: RouterEvents;
}

/** The router of a host's gateways over its routes, each gateway paced by its shared bucket. */
export function hostRouter(options: HostRouterOptions): GatewayRouter {
  const { file, gateways, limiters, clock, sleep, events } = options;
  return new GatewayRouter(gateways, file.routes, file.health, clock, sleep, events ?? {}, limiters);
}
