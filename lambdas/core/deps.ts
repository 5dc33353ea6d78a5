import type { LoaConfig } from './config.js';
import type { GatewayStatus } from './gateways/gateway-router.js';
import type { ImportUploads } from './imports/import-files.js';
import type { Clock, DeliveryReportWebhook, Queue, Scheduler, Stores } from './ports.js';
import type { Pseudonymizer } from './privacy/pseudonym.js';

/**
 * What every use case may use: the ports and the settings, passed in, never imported as singletons. A use
 * case names the stores it needs (`Pick<Deps, 'campaigns' | 'clock'>`).
 */
export interface Deps extends Stores {
  queue: Queue;
  scheduler: Scheduler;
  clock: Clock;
  config: LoaConfig;
  /** What erased and retained-past-their-time numbers become in the records (a keyed HMAC). */
  pseudonymizer: Pseudonymizer;
  /** The gateways' state: of this process's senders (embedded), or as the sender Lambdas report it (AWS). */
  gatewayStatus?: () => Promise<GatewayStatus[]>;
  /** Readers of the delivery-report webhooks of HTTP gateways, by gateway id. */
  deliveryReportWebhooks?: ReadonlyMap<string, DeliveryReportWebhook>;
  /** Where the files of imports in slices are sent (S3, or the embedded server); without it, POST /v1/imports answers 404. */
  importUploads?: ImportUploads;
}
