import { z } from 'zod';
import { integrationClientsJson } from '../core/auth/client-limits.js';
import { DEFAULT_CONFIG, type LoaConfig } from '../core/config.js';
import { normalizePhone } from '../core/subscribers/phone-number.js';
import { DEFAULT_SIMULATOR, type SimulatorOptions } from '../adapters/simulator/carrier-simulator.js';
import { loadLoaConfig, type LoaConfigFile } from './loa-config.js';
import { hoursRange, publicUrl, tourConfig, tourEnvironment } from '../settings/shared-settings.js';
import { DEFAULT_RATE_LIMITS, rateLimitsJson } from '../core/rate-limits/rate-limits.js';

export interface RuntimeSettings {
  host: string;
  port: number;
  dataDir: string;
  /** Session cookies are always Secure, for a server reached only over HTTPS (through a proxy). */
  secureCookies?: boolean;
  config: LoaConfig;
  /** The gateway configuration file; without one the built-in SMSC simulator is the carrier. */
  gateways?: LoaConfigFile;
  /** The built-in SMSC's fault modes and its port (0: any free one). */
  simulator: SimulatorOptions & { smscPort: number };
}

const rate = z.coerce.number().min(0).max(1);

const Environment = z.object({
  HOST: z.string().default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  DATA_DIR: z.string().default('./data'),
  LOA_SECURE_COOKIES: z.stringbool().default(false),
  LOA_TIMEZONE: z.string().default(DEFAULT_CONFIG.timezone),
  LOA_QUIET_HOURS: hoursRange.default(DEFAULT_CONFIG.quietHours),
  LOA_DAILY_CAP: z.coerce.number().int().positive().default(DEFAULT_CONFIG.dailyCap),
  LOA_TEST_NUMBERS: z.string().default(''),
  LOA_INTEGRATION_CLIENTS: integrationClientsJson.optional(),
  LOA_MAX_ATTEMPTS: z.coerce.number().int().positive().default(DEFAULT_CONFIG.maxAttempts),
  LOA_RETRY_BASE_MS: z.coerce.number().int().positive().default(DEFAULT_CONFIG.retryBaseMs),
  LOA_RETENTION_DAYS: z.coerce.number().int().positive().default(DEFAULT_CONFIG.retentionDays),
  LOA_SIM_REPORT_DELAY_MS: z.coerce.number().int().min(0).default(DEFAULT_SIMULATOR.reportDelayMs),
  LOA_SIM_TRANSIENT_RATE: rate.default(DEFAULT_SIMULATOR.transientErrorRate),
  LOA_SIM_PERMANENT_RATE: rate.default(DEFAULT_SIMULATOR.permanentErrorRate),
  LOA_SIM_UNDELIVERED_RATE: rate.default(DEFAULT_SIMULATOR.undeliveredRate),
  LOA_SIM_TPS: z.coerce.number().positive().optional(),
  LOA_SIM_SUBMIT_LOG: z.string().optional(),
  LOA_SMSC_PORT: z.coerce.number().int().min(0).max(65535).default(0),
  LOA_RATE_LIMITS: rateLimitsJson.default(DEFAULT_RATE_LIMITS),
  /** Without it, links point at http://127.0.0.1 on the port the server listens on (runtime.ts). */
  LOA_PUBLIC_URL: publicUrl.optional(),
  ...tourEnvironment,
});

/** Reads the runtime's settings from the environment; a wrong value stops start-up naming the variable. */
export function readSettings(env: NodeJS.ProcessEnv): RuntimeSettings {
  const parsed = Environment.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Invalid settings: ${problems.join('; ')}`);
  }
  const e = parsed.data;
  try {
    new Intl.DateTimeFormat('en', { timeZone: e.LOA_TIMEZONE });
  } catch {
    throw new Error(`Invalid settings: LOA_TIMEZONE: unknown time zone ${e.LOA_TIMEZONE}`);
  }
  const testNumbers = e.LOA_TEST_NUMBERS.split(',')
    .map((value) => value.trim())
    .filter(Boolean)
    .map((value) => {
      const phone = normalizePhone(value);
      if (!phone.ok) throw new Error(`Invalid settings: LOA_TEST_NUMBERS: ${value}: ${phone.message}`);
      return phone.e164;
    });
  const gateways = loadLoaConfig(env);
  return {
    host: e.HOST,
    port: e.PORT,
    dataDir: e.DATA_DIR,
    secureCookies: e.LOA_SECURE_COOKIES,
    config: {
      ...DEFAULT_CONFIG,
      timezone: e.LOA_TIMEZONE,
      quietHours: e.LOA_QUIET_HOURS,
      dailyCap: e.LOA_DAILY_CAP,
      testNumbers,
      maxAttempts: e.LOA_MAX_ATTEMPTS,
      retryBaseMs: e.LOA_RETRY_BASE_MS,
      retentionDays: e.LOA_RETENTION_DAYS,
      tours: tourConfig(e, e.LOA_TIMEZONE),
      ...(e.LOA_INTEGRATION_CLIENTS && { integrationClients: e.LOA_INTEGRATION_CLIENTS }),
      rateLimits: e.LOA_RATE_LIMITS,
      ...(e.LOA_PUBLIC_URL && { publicUrl: e.LOA_PUBLIC_URL }),
      ...(gateways?.prices && { prices: gateways.prices }),
    },
    ...(gateways && { gateways }),
    simulator: {
      smscPort: e.LOA_SMSC_PORT,
      reportDelayMs: e.LOA_SIM_REPORT_DELAY_MS,
      transientErrorRate: e.LOA_SIM_TRANSIENT_RATE,
      permanentErrorRate: e.LOA_SIM_PERMANENT_RATE,
      undeliveredRate: e.LOA_SIM_UNDELIVERED_RATE,
      ...(e.LOA_SIM_TPS !== undefined && { messagesPerSecond: e.LOA_SIM_TPS }),
      ...(e.LOA_SIM_SUBMIT_LOG !== undefined && { submitLogFile: e.LOA_SIM_SUBMIT_LOG }),
    },
  };
}
