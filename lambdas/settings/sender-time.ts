/** How long a sender Lambda may run, and how much of it is kept to finish what it started (handlers/sender.ts). */

/** The sender's timeout: Lambda's longest. */
export const SENDER_TIMEOUT_MS = 15 * 60_000;

/**
 * Time left at which a sender starts no more work: what one submit batch (DEFAULT_CONFIG.submitBatchSize,
 * 250 messages) takes at 2.5 parts a second, the slowest sensible gateway, plus recording its outcomes and
 * handing the rest of the job back. A batch started with this much left ends before the Lambda's timeout.
 */
export const STOP_MARGIN_MS = 120_000;
