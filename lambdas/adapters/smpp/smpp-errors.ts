/** Why an SMPP gateway could not start: the SMSC refused the bind, or could not be reached. */
export class SmppGatewayError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The SMSC answered the bind with an error status: wrong credentials, or a bind it does not allow. */
export class SmppBindRefusedError extends SmppGatewayError {
  constructor(
    message: string,
    readonly commandStatus: number,
  ) {
    super(message);
  }
}

/** The SMSC could not be reached, or closed the connection or stayed silent before answering the bind. */
export class SmppConnectionError extends SmppGatewayError {}
