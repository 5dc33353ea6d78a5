/**
 * The one error channel of the core: use cases throw these, and the HTTP layer maps each class to
 * its status code (problem+json). Adapters wrap infrastructure failures in plain Errors.
 */
export class LoaError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

export interface FieldProblem {
  /** Dotted path of the offending field, e.g. `placeholders.0.maxLength`. */
  field: string;
  message: string;
}

/** Input that is well-formed but wrong: 422. */
export class ValidationError extends LoaError {
  constructor(
    message: string,
    readonly problems: FieldProblem[] = [],
  ) {
    super(message);
  }

  static field(field: string, message: string): ValidationError {
    return new ValidationError(`${field}: ${message}`, [{ field, message }]);
  }
}

/** The caller may not do this, whatever the state (for example approving their own work): 403. */
export class ForbiddenError extends LoaError {}

export class NotFoundError extends LoaError {}

/** The thing exists but is in the wrong state for this action: 409. */
export class ConflictError extends LoaError {}

/** Input past a size the service keeps to stay responsive, such as an import file over its limit: 413. */
export class TooLargeError extends LoaError {}
