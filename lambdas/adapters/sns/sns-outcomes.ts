/**
 * What a failed SNS Publish to a phone number means for the message: try again later (transient), slow
 * down (throttled), or give up (permanent). A data table by error name, tested row by row; what the table
 * does not name is decided by the HTTP status, then by the SDK's own marks, and last counted as transient
 * (the dispatcher bounds the attempts, so an unknown error costs retries, never a lost message).
 */
import type { SubmitResult } from '../../core/ports.js';
import { maskPhone } from '../../core/subscribers/phone-number.js';
import {
  awsErrorMessage,
  awsErrorName,
  awsHttpStatus,
  isMarkedThrottling,
  mayHaveActed,
  NETWORK_ERROR_OUTCOMES,
} from '../aws-sdk-errors.js';

export type FailureOutcome = Exclude<SubmitResult['outcome'], 'accepted'>;

/**
 * Error names (the SDK's exception names and the raw codes of the Query protocol, which SNS speaks, and
 * Node.js networking codes) and what each means for the message.
 */
export const SNS_ERROR_OUTCOMES: Readonly<Record<string, FailureOutcome>> = {
  // Slow down: SNS's own SMS rate (message parts a second) or the API's request rate.
  ThrottledException: 'throttled',
  Throttled: 'throttled',
  Throttling: 'throttled',
  ThrottlingException: 'throttled',
  TooManyRequestsException: 'throttled',
  RequestLimitExceeded: 'throttled',
  RequestThrottled: 'throttled',
  RequestThrottledException: 'throttled',
  KMSThrottlingException: 'throttled',

  // Try again later: SNS or the network failed, the request may never have arrived.
  InternalErrorException: 'transient',
  InternalError: 'transient',
  InternalFailure: 'transient',
  ServiceUnavailable: 'transient',
  ServiceUnavailableException: 'transient',
  RequestTimeout: 'transient',
  RequestTimeoutException: 'transient',
  TimeoutError: 'transient',
  NetworkingError: 'transient',
  ...NETWORK_ERROR_OUTCOMES,
  // The Lambda's temporary credentials expired between refreshes: the next attempt gets new ones.
  ExpiredToken: 'transient',
  ExpiredTokenException: 'transient',
  RequestExpired: 'transient',

  // Give up on this message: sending it again gets the same answer.
  InvalidParameterException: 'permanent',
  InvalidParameter: 'permanent',
  InvalidParameterValueException: 'permanent',
  InvalidParameterValue: 'permanent',
  ValidationException: 'permanent',
  ValidationError: 'permanent',
  // The number opted out of SMS from this account (STOP); Loa's own opt-outs are checked before sending.
  OptedOutException: 'permanent',
  OptedOut: 'permanent',
  // Not allowed: the SMS sandbox (an unverified destination), or the role lacks sns:Publish.
  AuthorizationErrorException: 'permanent',
  AuthorizationError: 'permanent',
  AccessDenied: 'permanent',
  AccessDeniedException: 'permanent',
  InvalidClientTokenId: 'permanent',
  UnrecognizedClientException: 'permanent',
  InvalidSecurityException: 'permanent',
  InvalidSecurity: 'permanent',
  EndpointDisabledException: 'permanent',
  EndpointDisabled: 'permanent',
  NotFoundException: 'permanent',
  NotFound: 'permanent',
  KMSAccessDeniedException: 'permanent',
  KMSDisabledException: 'permanent',
  KMSInvalidStateException: 'permanent',
  KMSNotFoundException: 'permanent',
  KMSOptInRequired: 'permanent',
};

/**
 * The outcome of a Publish that threw, with a reason fit for a receipt and a log (numbers masked). A
 * transient failure after which SNS may have the message (a timeout, a connection lost while waiting, a
 * 5xx) is `uncertain`: Publish has no idempotency, so it must not be sent again (the gateway's
 * `dropsRepeats` is false).
 */
export function outcomeOfSnsError(error: unknown): Exclude<SubmitResult, { outcome: 'accepted' }> {
  const name = awsErrorName(error);
  const status = awsHttpStatus(error);
  const reason = maskPhoneNumbers(`${name ?? 'Error'}${status === undefined ? '' : ` (HTTP ${status})`}: ${awsErrorMessage(error)}`);
  const outcome = classify(name, status, error);
  if (outcome === 'transient') return { outcome, reason, ...(mayHaveActed(error) && { uncertain: true }) };
  return { outcome, reason };
}

function classify(name: string | undefined, status: number | undefined, error: unknown): FailureOutcome {
  const known = name !== undefined && Object.hasOwn(SNS_ERROR_OUTCOMES, name) ? SNS_ERROR_OUTCOMES[name] : undefined;
  if (known) return known;
  if (status === 429 || isMarkedThrottling(error)) return 'throttled';
  if (status !== undefined && status >= 500) return 'transient';
  if (status !== undefined && status >= 400) return 'permanent';
  return 'transient';
}

/** Hides every phone-number-like run of digits (AWS echoes the number in some messages). */
export function maskPhoneNumbers(text: string): string {
  return text.replace(/\+?\d[\d ]{7,17}\d/g, (match) => {
    const digits = match.replace(/ /g, '');
    return maskPhone(digits.startsWith('+') ? digits : `+${digits}`);
  });
}
