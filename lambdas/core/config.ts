import type { IntegrationClients } from './auth/client-limits.js';
import type { Carrier } from './subscribers/carriers.js';
import type { RateLimits } from './rate-limits/rate-limits.js';
import { DEFAULT_TIMEZONE } from './time/local-time.js';
import { DEFAULT_TOUR_RULES, type TourRulesConfig } from './tours/tour-rules.js';

/** Where the messages of some carriers go first, and how fast that gateway takes them. */
export interface SendingRoute {
  /** '*' for any carrier no other route names, and for numbers of an unknown carrier. */
  carriers: (Carrier | '*')[];
  /** The first gateway of the route: the one its messages go through while it is healthy. */
  gatewayId: string;
  /** The gateway's configured rate in message parts a second; absent when it has none (unlimited or unknown). */
  partsPerSecond?: number;
}

/** Settings of a Loa deployment; the runtime reads them from the environment, tests set them directly. */
export interface LoaConfig {
  /** Local time zone of the province: quiet hours, daily caps and schedules default to it. */
  timezone: string;
  /** Normal-priority SMS wait outside this window (local hh:mm, end exclusive; may cross midnight). */
  quietHours: { start: string; end: string };
  /** Messages a subscriber may get a local day across normal-priority campaigns. */
  dailyCap: number;
  /** The only numbers a test campaign sends to (E.164). */
  testNumbers: string[];
  /** Attempts per message before a transient failure becomes final. */
  maxAttempts: number;
  /** First retry delay; doubled each attempt, with full jitter. */
  retryBaseMs: number;
  /** Recipients per fan-out slice: one queue job and one store batch each. */
  sliceSize: number;
  /**
   * Messages a sender submits before recording their outcomes: the most a crash can make it send
   * twice, per sender.
   */
  submitBatchSize: number;
  /**
   * How soon a send job of a paused campaign looks again: cheap in one process, an SQS message and a
   * Lambda invocation a job each time on AWS.
   */
  pausedRecheckMs: number;
  /** A submitted message with no delivery report after this long is expired. */
  receiptTimeoutHours: number;
  /** Receipts of runs fired longer ago than this keep a pseudonym instead of the phone number (Decree 13). */
  retentionDays: number;
  /** Price of one message part by carrier ('*' for the others), for cost estimates before approval. */
  prices?: { currency: string; perPart: Record<string, number> };
  /**
   * The routes of the gateways the runtime sends through, for estimating how long a campaign takes to
   * send; filled by each runtime from its gateways (absent: the estimate says nothing of time).
   */
  sendingRoutes?: SendingRoute[];
  /** Loudspeaker tours: their rules, and how long after a run's planned end its crew may still confirm it. */
  tours: { rules: TourRulesConfig; confirmWithinMinutes: number };
  /** Integration clients limited to some actions and areas (LOA_INTEGRATION_CLIENTS); a client not named is unlimited. */
  integrationClients?: IntegrationClients;
  /**
   * Requests per caller and class of route; both runtimes set it (LOA_RATE_LIMITS, else the defaults).
   * Absent, as in tests that set the config directly: no per-caller limit.
   */
  rateLimits?: RateLimits;
  /** Where people reach the API from outside (LOA_PUBLIC_URL), for links it hands out; never the Host header. */
  publicUrl?: string;
}

export const DEFAULT_CONFIG: LoaConfig = {
  timezone: DEFAULT_TIMEZONE,
  quietHours: { start: '22:00', end: '07:00' },
  dailyCap: 3,
  testNumbers: [],
  maxAttempts: 5,
  retryBaseMs: 1_000,
  sliceSize: 1_000,
  submitBatchSize: 250,
  pausedRecheckMs: 1_000,
  receiptTimeoutHours: 72,
  retentionDays: 365,
  tours: { rules: DEFAULT_TOUR_RULES, confirmWithinMinutes: 120 },
};
