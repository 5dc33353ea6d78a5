/**
 * The records of an SQS event, as the handlers fed by a queue (the fan-out, the sender) go through them,
 * on Powertools' batch processing. Each record is parsed with its queue's record schema (the body JSON
 * of one message of that queue), then handled, one record after the other: the sender keeps to its share
 * of the gateway rate and the fan-out shares one time budget between the records.
 *
 * A record that fails, because its body is not a message of the queue or because handling it threw, is
 * logged with its message id and the reason and reported in batchItemFailures; the others are done. SQS
 * delivers a failed record again after its visibility timeout, and after the redrive policy's receive count
 * moves it to the dead-letter queue, whose alarm is seen: a message that retrying will not mend ends there.
 * A batch whose every record failed is answered the same way, not thrown.
 */
import { BatchProcessor, EventType, ParsingError, processPartialResponse } from '@aws-lambda-powertools/batch';
import { parser } from '@aws-lambda-powertools/batch/parser';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { z } from 'zod';
import { logger } from './powertools.js';

export interface RecordHandling<TRecordSchema extends z.ZodType> {
  /** An SQS record whose body is parsed into a message of the queue. */
  recordSchema: TRecordSchema;
  /** What one record carries, for the log lines: "Send job", "Fan-out message". */
  carries: string;
  handle(record: z.output<TRecordSchema>): Promise<void>;
}

export async function processRecordsInOrder<TRecordSchema extends z.ZodType>(
  event: SQSEvent,
  context: Context,
  handling: RecordHandling<TRecordSchema>,
): Promise<SQSBatchResponse> {
  const processor = new LoggingSqsProcessor(handling.recordSchema, handling.carries);
  return processPartialResponse(event, (record: z.output<TRecordSchema>) => handling.handle(record), processor, {
    context,
    processInParallel: false,
    throwOnFullBatchFailure: false,
  });
}

/** Logs each record that fails, as it fails, with the log keys (the campaign run) of its handling. */
class LoggingSqsProcessor extends BatchProcessor {
  constructor(
    recordSchema: z.ZodType,
    private readonly carries: string,
  ) {
    super(EventType.SQS, { parser, schema: recordSchema, logger });
  }

  override failureHandler(record: SQSRecord, error: Error): ReturnType<BatchProcessor['failureHandler']> {
    if (error instanceof ParsingError) {
      logger.error(`${this.carries} is not valid; SQS will deliver it again until the dead-letter queue takes it`, {
        messageId: record.messageId,
        reason: error.message,
      });
    } else {
      logger.error(`${this.carries} failed; SQS will deliver it again`, { messageId: record.messageId, error });
    }
    return super.failureHandler(record, error);
  }
}
