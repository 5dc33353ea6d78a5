/**
 * What a failed SendTextMessage means for the message. The service's documented exceptions carry a
 * `Reason`; the table is by name, refined by name and reason. Two kinds of refusal matter:
 *
 * - about this message (the number opted out, is not a valid number, the text is too long, the price
 *   is over MaxPrice): `permanent`, sending it again gets the same answer;
 * - about the gateway (the identity or the configuration set is missing or inactive, the sender ID is not
 *   registered for the country, the account is disabled or out of its monthly spend): `transient`, so the
 *   dispatcher fails over to the route's next gateway and the gateway's health trips.
 *
 * A failure after which End User Messaging may have the message (a timeout, a connection lost while
 * waiting, a 5xx) is `transient` and `uncertain`: it is never sent again (the gateway `dropsRepeats` false).
 */
import type { SubmitResult } from '../../core/ports.js';
import {
  awsErrorMessage,
  awsErrorName,
  awsHttpStatus,
  isMarkedThrottling,
  mayHaveActed,
  NETWORK_ERROR_OUTCOMES,
} from '../aws-sdk-errors.js';
import { maskPhoneNumbers } from '../sns/sns-outcomes.js';

type FailureOutcome = Exclude<SubmitResult['outcome'], 'accepted'>;
type Failure = Exclude<SubmitResult, { outcome: 'accepted' }>;

/** By exception name; `Name:Reason` rows take precedence over the name's own. */
export const EUM_ERROR_OUTCOMES: Readonly<Record<string, FailureOutcome>> = {
  // Slow down: the account's parts-per-second quota for the country, or the API's request rate.
  ThrottlingException: 'throttled',
  TooManyRequestsException: 'throttled',

  // End User Messaging failed, or the network: try again (uncertain when it may have the message).
  InternalServerException: 'transient',
  ServiceUnavailableException: 'transient',
  TimeoutError: 'transient',
  RequestTimeout: 'transient',
  ...NETWORK_ERROR_OUTCOMES,
  ExpiredTokenException: 'transient',

  // The gateway cannot send now, whatever the message: another gateway of the route may.
  AccessDeniedException: 'transient',
  'AccessDeniedException:ACCOUNT_DISABLED': 'transient',
  'AccessDeniedException:INSUFFICIENT_ACCOUNT_REPUTATION': 'transient',
  ResourceNotFoundException: 'transient',
  ServiceQuotaExceededException: 'transient',
  'ServiceQuotaExceededException:MONTHLY_SPEND_LIMIT_REACHED_FOR_TEXT': 'transient',
  ConflictException: 'transient',
  'ConflictException:RESOURCE_NOT_ACTIVE': 'transient',
  'ConflictException:NO_ORIGINATION_IDENTITIES_FOUND': 'transient',
  'ConflictException:MESSAGE_TYPE_MISMATCH': 'transient',
  'ValidationException:SENDER_ID_NOT_REGISTERED': 'transient',
  'ValidationException:SENDER_ID_REQUIRES_REGISTRATION': 'transient',
  'ValidationException:SENDER_ID_NOT_SUPPORTED': 'transient',
  'ValidationException:INVALID_IDENTITY_FOR_DESTINATION_COUNTRY': 'transient',
  'ValidationException:COUNTRY_NOT_ENABLED': 'transient',
  'ValidationException:DESTINATION_COUNTRY_BLOCKED': 'transient',
  'ValidationException:INTERNATIONAL_SENDING_NOT_SUPPORTED': 'transient',
  'ValidationException:INVALID_ARN': 'transient',
  'ValidationException:RESOURCE_NOT_ACCESSIBLE': 'transient',

  // This message: sending it again through this gateway gets the same answer.
  ValidationException: 'permanent',
  'ValidationException:PRICE_OVER_THRESHOLD': 'permanent',
  'ValidationException:MAXIMUM_SIZE_EXCEEDED': 'permanent',
  'ConflictException:DESTINATION_PHONE_NUMBER_OPTED_OUT': 'permanent',
  // The SMS sandbox: only verified destination numbers receive.
  'ConflictException:DESTINATION_PHONE_NUMBER_NOT_VERIFIED': 'permanent',
  'ConflictException:DESTINATION_PHONE_NUMBER_BLOCKED_BY_PROTECT_NUMBER_OVERRIDE': 'permanent',
  'ConflictException:DESTINATION_COUNTRY_BLOCKED_BY_PROTECT_CONFIGURATION': 'permanent',
};

/** The outcome of a SendTextMessage that threw, with a reason fit for a receipt and a log (numbers masked). */
export function outcomeOfEumError(error: unknown): Failure {
  const name = awsErrorName(error);
  const status = awsHttpStatus(error);
  const serviceReason = (error as { Reason?: unknown } | null)?.Reason;
  const reasonCode = typeof serviceReason === 'string' ? serviceReason : undefined;
  const label = `${name ?? 'Error'}${reasonCode ? ` ${reasonCode}` : ''}${status === undefined ? '' : ` (HTTP ${status})`}`;
  const reason = maskPhoneNumbers(`${label}: ${awsErrorMessage(error)}`);
  const outcome = classify(name, reasonCode, status, error);
  if (outcome === 'transient') return { outcome, reason, ...(mayHaveActed(error) && { uncertain: true }) };
  return { outcome, reason };
}

function classify(name: string | undefined, reason: string | undefined, status: number | undefined, error: unknown): FailureOutcome {
  const row = (key: string) => (Object.hasOwn(EUM_ERROR_OUTCOMES, key) ? EUM_ERROR_OUTCOMES[key] : undefined);
  const known = (name !== undefined && reason !== undefined ? row(`${name}:${reason}`) : undefined) ?? (name ? row(name) : undefined);
  if (known) return known;
  if (status === 429 || isMarkedThrottling(error)) return 'throttled';
  if (status !== undefined && status >= 400 && status < 500) return 'permanent';
  return 'transient';
}
