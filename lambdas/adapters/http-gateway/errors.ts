/** The gateway was given settings it cannot work with (a deployment error, found at start). */
export class HttpGatewayConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}
