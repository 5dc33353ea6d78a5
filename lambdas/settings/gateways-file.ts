/**
 * The gateway configuration file (loa.config.json), one schema for both runtimes: which gateways exist,
 * which carriers go through which of them in what order, the health thresholds of failover and the price
 * of a part. The embedded runtime reads it from LOA_CONFIG (embedded/loa-config.ts); the stack reads it
 * from `-c loaConfig=<path>` (lib/config.ts) and hands it to the functions as LOA_GATEWAYS.
 *
 * Secrets stay out of the file. A string `env:NAME` is an environment variable (embedded only, replaced
 * when the file is read). A string `secret:NAME` is the string of Secrets Manager secret NAME (a name or
 * an ARN), `secret:NAME#key` one key of its JSON; both runtimes resolve them when they start the gateways
 * (secret-references.ts), never at synth. A field that holds a secret (SMPP system id and password, a
 * webhook's secret) is checked only once resolved: a reference in it is not held to its limits.
 */
import { z } from 'zod';
import type { HttpGatewayOptions } from '../adapters/http-gateway/http-gateway-options.js';
import type { SmppGatewayOptions } from '../adapters/smpp/smpp-gateway-options.js';
import { DEFAULT_HEALTH_POLICY, type HealthPolicy } from '../core/gateways/gateway-health.js';
import type { Route } from '../core/gateways/gateway-router.js';
import { carrierOrAny, prices } from './shared-settings.js';

/** `secret:NAME` or `secret:NAME#key`; NAME is a secret's name or ARN. */
export const SECRET_REFERENCE = /^secret:([A-Za-z0-9/_+=.@:-]+)(?:#([^#]+))?$/;

export function isSecretReference(value: unknown): value is string {
  return typeof value === 'string' && value.startsWith('secret:');
}

/** A field that may hold a secret: a reference passes as it is, a value is checked by `schema`. */
function secretOr(schema: z.ZodString) {
  return z.string().superRefine((value, context) => {
    if (isSecretReference(value)) {
      if (!SECRET_REFERENCE.test(value)) context.addIssue({ code: 'custom', message: 'expected secret:NAME or secret:NAME#key' });
      return;
    }
    const checked = schema.safeParse(value);
    if (!checked.success) for (const issue of checked.error.issues) context.addIssue({ code: 'custom', message: issue.message });
  });
}

const id = z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'lower-case letters, digits and dashes, at most 40');
const tps = z.number().positive().optional();
const milliseconds = (fallback: number) => z.number().int().positive().default(fallback);
const idBase = z.enum(['text', 'hex', 'decimal']);

const SmppGateway = z.object({
  id,
  type: z.literal('smpp'),
  host: z.string().min(1),
  port: z.number().int().min(1).max(65535),
  tls: z.boolean().optional(),
  caFile: z.string().min(1).optional(),
  // SMPP 3.4 limits: system_id 16 octets, password 9, system_type 13, each with its terminating NUL.
  systemId: secretOr(z.string().min(1).max(15)),
  password: secretOr(z.string().max(8)),
  systemType: z.string().max(12).default(''),
  sourceAddr: z.string().min(1).max(20),
  tps,
  window: z.number().int().min(1).max(1000).default(10),
  split: z.enum(['udh', 'sar']).default('udh'),
  bind: z.enum(['transceiver', 'transmitter-receiver']).default('transceiver'),
  responseTimeoutMs: milliseconds(10_000),
  enquireLinkMs: milliseconds(30_000),
  reconnectMinMs: milliseconds(1_000),
  reconnectMaxMs: milliseconds(60_000),
  messageIds: z.object({ submit: idBase, receipt: idBase }).default({ submit: 'text', receipt: 'text' }),
}) satisfies z.ZodType<SmppGatewayOptions & { type: 'smpp' }, unknown>;

const webhookSecret = secretOr(z.string().min(16));
const codes = z.array(z.coerce.string()).default([]);
const HttpGateway = z.object({
  id,
  type: z.literal('http'),
  tps,
  timeoutMs: milliseconds(10_000),
  retries: z.number().int().min(0).max(10).default(2),
  retryBaseMs: milliseconds(500),
  phoneFormat: z.enum(['national', 'international', 'e164']).default('national'),
  request: z.object({
    url: z.url({ protocol: /^https?$/ }),
    method: z.enum(['POST', 'GET']).default('POST'),
    headers: z.record(z.string(), z.string()).default({}),
    body: z.enum(['json', 'form']).default('json'),
    fields: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
  }),
  unicodeValues: z.tuple([z.union([z.string(), z.number()]), z.union([z.string(), z.number()])]).default([0, 1]),
  response: z.object({
    codeField: z.string().min(1),
    accepted: z.array(z.coerce.string()).min(1),
    duplicate: codes,
    throttled: codes,
    transient: codes,
    messageIdField: z.string().min(1),
    messageField: z.string().min(1).optional(),
  }),
  deliveryReports: z
    .object({
      auth: z.discriminatedUnion('type', [
        z.object({ type: z.literal('secret'), header: z.string().min(1), secret: webhookSecret }),
        z.object({ type: z.literal('token'), param: z.string().min(1).default('token'), secret: webhookSecret }),
        z.object({
          type: z.literal('hmac'),
          header: z.string().min(1),
          secret: webhookSecret,
          algorithm: z.enum(['sha256', 'sha1']).default('sha256'),
          encoding: z.enum(['hex', 'base64']).default('hex'),
        }),
      ]),
      messageIdField: z.string().min(1),
      statusField: z.string().min(1),
      delivered: z.array(z.coerce.string()).min(1),
      failed: z.array(z.coerce.string()).min(1),
      errorField: z.string().min(1).optional(),
      carrierField: z.string().min(1).optional(),
      timeField: z.string().min(1).optional(),
    })
    .optional(),
}) satisfies z.ZodType<HttpGatewayOptions & { type: 'http' }, unknown>;

const SnsGateway = z.object({
  id,
  type: z.literal('sns'),
  senderId: z.string().min(1),
  tps: z.number().positive().default(20),
  maxPriceUsd: z.number().positive().optional(),
});

/** AWS End User Messaging SMS: the configuration set comes from the stack (EUM_CONFIGURATION_SET), not the file. */
const EumGateway = z.object({
  id,
  type: z.literal('eum'),
  originationIdentity: z.string().regex(/^[A-Za-z0-9_:/+-]{1,256}$/, 'a sender ID, a pool id, or the ARN of either'),
  tps: z.number().positive(),
  timeToLiveSeconds: z.number().int().min(5).max(259_200).optional(),
  maxPrice: z.number().positive().optional(),
});

/** The carrier simulator inside the process, without SMPP: for measuring the dispatcher alone (embedded only). */
const InProcessSimulator = z.object({ id, type: z.literal('in-process-simulator'), tps });

const Health = z
  .object({
    windowMs: z.number().int().positive(),
    minSamples: z.number().int().positive(),
    tripErrorRate: z.number().gt(0).max(1),
    restoreErrorRate: z.number().min(0).max(1),
    coolDownMs: z.number().int().positive(),
    healthyForMs: z.number().int().positive(),
    probeShare: z.number().gt(0).max(1),
  })
  .partial()
  .default({});

const GatewaysFileSchema = z.object({
  gateways: z.array(z.discriminatedUnion('type', [SmppGateway, HttpGateway, SnsGateway, EumGateway, InProcessSimulator])).min(1),
  routes: z.array(z.object({ carriers: z.array(carrierOrAny).min(1), gateways: z.array(z.string()).min(1) })).min(1),
  health: Health,
  prices: prices.optional(),
});

export type GatewayConfig = z.output<typeof GatewaysFileSchema>['gateways'][number];
export type GatewayType = GatewayConfig['type'];

export interface LoaConfigFile {
  gateways: GatewayConfig[];
  routes: Route[];
  health: HealthPolicy;
  prices?: { currency: string; perPart: Record<string, number> };
}

/** Without a configuration file: every carrier through one SNS gateway at the account's SMS rate (the stack's default). */
export function defaultSnsFile(senderId: string, tps: number): LoaConfigFile {
  return {
    gateways: [{ id: 'sns', type: 'sns', senderId, tps }],
    routes: [{ carriers: ['*'], gateways: ['sns'] }],
    health: DEFAULT_HEALTH_POLICY,
  };
}

/** Where a gateway sends from on AWS: the sender Lambda, or the SMPP service on Fargate (binds stay open). */
export type GatewayHost = 'lambda' | 'smpp';

export function gatewayHost(type: GatewayType): GatewayHost {
  return type === 'smpp' ? 'smpp' : 'lambda';
}

export interface ParseOptions {
  /** `aws`: refuses gateways only the embedded runtime has, and `env:` strings. Default `embedded`. */
  runtime?: 'embedded' | 'aws';
  /** Whether `secret:` references may stand in secret fields (false once they are resolved). Default true. */
  references?: boolean;
  /** Problems of files outside the configuration (a CA file that cannot be read); none unless given. */
  fileProblems?: (gateway: GatewayConfig) => { field: string[]; message: string }[];
  /** Names the configuration in messages. */
  source?: string;
  /** The file goes into a CloudFormation template (the synth): secrets in it must be `secret:` references. */
  template?: boolean;
}

export class GatewaysFileError extends Error {
  override readonly name: string = 'GatewaysFileError';
}

/** Checks a configuration (parsed JSON) and fills its defaults; a GatewaysFileError names every field at fault. */
export function parseGatewaysFile(json: unknown, options: ParseOptions = {}): LoaConfigFile {
  const source = options.source ?? 'configuration';
  const parsed = GatewaysFileSchema.safeParse(json);
  const problems = parsed.success
    ? meaningProblems(parsed.data, options)
    : parsed.error.issues.map((issue) => ({ path: issue.path, message: issue.message }));
  if (options.runtime === 'aws') problems.push(...envStrings(json, []));
  if (options.template && parsed.success) problems.push(...literalSecrets(parsed.data));
  if (problems.length > 0 || !parsed.success) {
    throw new GatewaysFileError(
      `Invalid configuration ${source}: ${problems.map((p) => `${p.path.join('.') || '(file)'}: ${p.message}`).join('; ')}`,
    );
  }
  const { health, ...rest } = parsed.data;
  return { ...rest, health: { ...DEFAULT_HEALTH_POLICY, ...health } };
}

type Problem = { path: PropertyKey[]; message: string };

function meaningProblems(config: z.output<typeof GatewaysFileSchema>, options: ParseOptions): Problem[] {
  const problems: Problem[] = [];
  const ids = new Set<string>();
  config.gateways.forEach((gateway, index) => {
    const at = (...field: PropertyKey[]) => ['gateways', index, ...field];
    if (ids.has(gateway.id)) problems.push({ path: at('id'), message: `${gateway.id} is used twice` });
    ids.add(gateway.id);
    if (options.runtime === 'aws' && gateway.type === 'in-process-simulator') {
      problems.push({ path: at('type'), message: `gateway ${gateway.id}: in-process-simulator runs only in the embedded runtime` });
    }
    if (options.references === false) {
      for (const path of referencesIn(gateway, [])) problems.push({ path: at(...path), message: 'secret reference not resolved' });
    }
    for (const { field, message } of [...transportProblems(gateway), ...(options.fileProblems?.(gateway) ?? [])]) {
      problems.push({ path: at(...field), message });
    }
  });
  for (const [index, route] of config.routes.entries()) {
    for (const [position, gatewayId] of route.gateways.entries()) {
      if (!ids.has(gatewayId)) problems.push({ path: ['routes', index, 'gateways', position], message: `no gateway ${gatewayId}` });
    }
  }
  if (!config.routes.some((route) => route.carriers.includes('*'))) {
    problems.push({ path: ['routes'], message: "needs a route for carriers ['*'] (numbers of unknown carriers)" });
  }
  const { restoreErrorRate, tripErrorRate } = config.health;
  if (restoreErrorRate !== undefined && restoreErrorRate >= (tripErrorRate ?? DEFAULT_HEALTH_POLICY.tripErrorRate)) {
    problems.push({ path: ['health', 'restoreErrorRate'], message: 'must be below tripErrorRate' });
  }
  return problems;
}

/**
 * Messages and passwords cross the network only encrypted: an HTTP gateway must use https, except on
 * loopback (a local relay or a test double); an SMPP gateway's caFile applies only to TLS.
 */
function transportProblems(gateway: GatewayConfig): { field: string[]; message: string }[] {
  if (gateway.type === 'http') {
    const url = new URL(gateway.request.url);
    if (url.protocol === 'http:' && !isLoopback(url.hostname)) {
      return [
        {
          field: ['request', 'url'],
          message: `gateway ${gateway.id} must use https: http is allowed only on loopback (127.0.0.1, ::1, localhost)`,
        },
      ];
    }
  }
  if (gateway.type === 'smpp' && gateway.caFile !== undefined && !gateway.tls) {
    return [{ field: ['caFile'], message: `gateway ${gateway.id}: caFile applies only with "tls": true` }];
  }
  return [];
}

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

/** Paths of the `secret:` strings in a value. */
export function referencesIn(value: unknown, path: PropertyKey[]): PropertyKey[][] {
  if (isSecretReference(value)) return [path];
  if (Array.isArray(value)) return value.flatMap((item, index) => referencesIn(item, [...path, index]));
  if (value !== null && typeof value === 'object')
    return Object.entries(value).flatMap(([key, item]) => referencesIn(item, [...path, key]));
  return [];
}

function envStrings(value: unknown, path: PropertyKey[]): Problem[] {
  if (typeof value === 'string' && value.startsWith('env:')) {
    return [
      { path, message: 'env: works only in the embedded runtime; on AWS name a Secrets Manager secret (secret:NAME or secret:NAME#key)' },
    ];
  }
  if (Array.isArray(value)) return value.flatMap((item, index) => envStrings(item, [...path, index]));
  if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([key, item]) => envStrings(item, [...path, key]));
  return [];
}

/**
 * On AWS the file becomes the functions' and the task's environment, in the CloudFormation template: a
 * password or webhook secret written in it would be there for anyone who reads the stack.
 */
function literalSecrets(config: z.output<typeof GatewaysFileSchema>): Problem[] {
  const problems: Problem[] = [];
  const needsReference = (path: PropertyKey[], value: string | undefined) => {
    if (value !== undefined && !isSecretReference(value)) {
      problems.push({ path, message: 'on AWS a secret must be a Secrets Manager reference (secret:NAME or secret:NAME#key)' });
    }
  };
  config.gateways.forEach((gateway, index) => {
    if (gateway.type === 'smpp') needsReference(['gateways', index, 'password'], gateway.password);
    if (gateway.type === 'http') {
      needsReference(['gateways', index, 'deliveryReports', 'auth', 'secret'], gateway.deliveryReports?.auth.secret);
    }
  });
  return problems;
}

/** The Secrets Manager secrets (names or ARNs) a configuration refers to, each once. */
export function secretNames(config: unknown): string[] {
  const names = new Set<string>();
  const visit = (value: unknown): void => {
    if (isSecretReference(value)) {
      const match = SECRET_REFERENCE.exec(value);
      if (match) names.add(match[1]!);
    } else if (Array.isArray(value)) value.forEach(visit);
    else if (value !== null && typeof value === 'object') Object.values(value).forEach(visit);
  };
  visit(config);
  return [...names];
}
