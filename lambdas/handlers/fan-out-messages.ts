/**
 * The messages of the fan-out queue: `launch` a campaign that has no schedule (sent when it is approved or
 * resumed), and `continue` a run's fan-out from its persisted cursor. A continue names the cursor the run
 * had when it was sent (`from`, null at the start), so the fan-out can tell a stale duplicate (the run
 * has moved on since) from the live hand-on. The fan-out Lambda parses each record it is given with
 * FanOutRecord, so a body that is neither is refused before any work (lambdas/handlers/sqs-batch.ts).
 */
import { JSONStringified } from '@aws-lambda-powertools/parser/helpers';
import { SqsRecordSchema } from '@aws-lambda-powertools/parser/schemas/sqs';
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { z } from 'zod';
import type { CampaignRun } from '../core/model.js';

export const FanOutMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('launch'), campaignId: z.string().min(1) }),
  z.object({
    type: z.literal('continue'),
    campaignId: z.string().min(1),
    runId: z.string().min(1),
    from: z.string().nullable().optional(),
  }),
]);
export type FanOutMessage = z.infer<typeof FanOutMessage>;

/** A record of the fan-out queue as its event source mapping hands it to the fan-out, its body parsed. */
export const FanOutRecord = SqsRecordSchema.extend({ body: JSONStringified(FanOutMessage) });
export type FanOutRecord = z.infer<typeof FanOutRecord>;

/** SQS's longest message delay. */
export const MAX_DELAY_SECONDS = 900;

export class FanOutQueue {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  /** Asks the fan-out to launch a campaign that is due now (one without a schedule). */
  async launch(campaignId: string): Promise<void> {
    await this.send({ type: 'launch', campaignId }, 0);
  }

  /** Hands the rest of a run's fan-out on, after `delaySeconds` (0: at once). */
  async continueRun(run: Pick<CampaignRun, 'campaignId' | 'runId' | 'cursor'>, delaySeconds = 0): Promise<void> {
    await this.send({ type: 'continue', campaignId: run.campaignId, runId: run.runId, from: run.cursor ?? null }, delaySeconds);
  }

  private async send(message: FanOutMessage, delaySeconds: number): Promise<void> {
    await this.sqs.send(
      new SendMessageCommand({
        QueueUrl: this.queueUrl,
        MessageBody: JSON.stringify(message),
        ...(delaySeconds > 0 && { DelaySeconds: Math.min(Math.ceil(delaySeconds), MAX_DELAY_SECONDS) }),
      }),
    );
  }
}
