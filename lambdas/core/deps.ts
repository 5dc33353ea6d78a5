import type { LoaConfig } from './config.js';
import type { Clock, Queue, Scheduler, Store } from './ports.js';

/** What every use case may use: the ports and the settings, passed in, never imported as singletons. */
export interface Deps {
  store: Store;
  queue: Queue;
  scheduler: Scheduler;
  clock: Clock;
  config: LoaConfig;
}
