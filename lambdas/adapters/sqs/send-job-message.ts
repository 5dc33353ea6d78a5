/**
 * The message of the send queue: one SendJob as JSON, written by SqsQueue's `enqueue` and `reschedule`,
 * read by SqsQueue's `take` and by the sender Lambda (as the records its event source mapping delivers).
 * Both readers check a body against the one schema here, and refuse what is not a send job with the
 * fields at fault: the sender reports such a record as a batch item failure, so that it ends in the
 * dead-letter queue after the redrive policy's receive count.
 *
 * The schema lives beside the SQS adapter rather than in the core: only a message that crossed a queue
 * needs checking. Fields it does not know are kept, as the job is handed on as it was written.
 */
import { JSONStringified } from '@aws-lambda-powertools/parser/helpers';
import { SqsRecordSchema } from '@aws-lambda-powertools/parser/schemas/sqs';
import { z } from 'zod';
import type { LeasedJob, SendJob } from '../../core/ports.js';
import { CARRIERS } from '../../core/subscribers/carriers.js';
import { SqsQueueError } from './errors.js';

const RecipientMessage = z.looseObject({
  phone: z.string(),
  carrier: z.enum(CARRIERS).optional(),
  areaCode: z.string().optional(),
  gatewayId: z.string().optional(),
});

export const SendJobMessage = z.looseObject({
  id: z.string().min(1),
  campaignId: z.string().min(1),
  runId: z.string().min(1),
  recipients: z.array(RecipientMessage),
  attempt: z.int().nonnegative(),
}) satisfies z.ZodType<SendJob>;

/** A message body: JSON of a send job. */
const SendJobBody = JSONStringified(SendJobMessage);

/** A record of the send queue as its event source mapping hands it to the sender, its body parsed. */
export const SendJobRecord = SqsRecordSchema.extend({ body: SendJobBody });
export type SendJobRecord = z.infer<typeof SendJobRecord>;

/** The job of a parsed record, leased by the record's receipt handle, ready for the dispatcher's sendJob. */
export function leasedFromSqsRecord(record: SendJobRecord): LeasedJob {
  return { job: record.body, lease: record.receiptHandle };
}

/** Parses and checks a message body; an SqsQueueError names the message and what is wrong with it. */
export function sendJobFromBody(body: string, messageId?: string): SendJob {
  const parsed = SendJobBody.safeParse(body);
  if (!parsed.success) {
    throw new SqsQueueError(`SQS message ${messageId ?? '(no id)'} is not a send job: ${describeIssues(parsed.error.issues)}`);
  }
  return parsed.data;
}

/** `path: message` for each issue, as Powertools' batch parser words the records it refuses. */
function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues.map((issue) => (issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message)).join('; ');
}
