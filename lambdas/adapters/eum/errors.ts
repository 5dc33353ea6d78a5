/** The gateway was given settings End User Messaging would refuse (a deployment error, found at start). */
export class EumConfigError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** An SNS notification that does not carry End User Messaging events at all (not JSON, no Message). */
export class EumEventError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}
