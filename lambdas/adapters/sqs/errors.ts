/** Failures of the SQS send queue that retrying the same call would not mend, or that retries did not. */
export class SqsQueueError extends Error {
  constructor(
    message: string,
    /** The send jobs concerned, by job id (not SQS message id), when the failure is about jobs. */
    readonly jobIds: string[] = [],
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}
