/** Base of the SNS adapter's errors. */
export class SnsAdapterError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The gateway was given settings SNS would refuse (a deployment error, found at start). */
export class SnsConfigError extends SnsAdapterError {}

/**
 * A CloudWatch Logs event that cannot be read at all (not base64, not gzip, not the subscription
 * envelope). Lines inside a readable event are never thrown: they are returned as rejected.
 */
export class DeliveryLogEventError extends SnsAdapterError {}
