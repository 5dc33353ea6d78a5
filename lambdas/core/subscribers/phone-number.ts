import { type NumberType, parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { ValidationError } from '../errors.js';
import { type Carrier, carrierFromPrefix } from './carriers.js';

export type PhoneProblem = 'invalid_number' | 'not_mobile' | 'not_vietnamese';

export type NormalizedPhone =
  | { ok: true; e164: string; carrier: Carrier | undefined }
  | { ok: false; problem: PhoneProblem; message: string };

const VIETNAM_CALLING_CODE = '84';

/** Once spaces, dots, dashes and brackets are gone, what is left must be digits with at most a leading +. */
const SEPARATORS = /[\s.()-]/g;
const DIGITS_WITH_OPTIONAL_PLUS = /^\+?\d+$/;

/** How to name, in an error message, the kinds of Vietnamese number that cannot receive our SMS. */
const NON_MOBILE_KINDS: Partial<Record<NonNullable<NumberType>, string>> = {
  FIXED_LINE: 'a landline',
  TOLL_FREE: 'a toll-free 1800 number',
  PREMIUM_RATE: 'a premium-rate 1900 number',
  VOIP: 'an internet telephony (VoIP) number',
  UAN: 'a shared service number',
};

/**
 * Turns a phone number as people type it into E.164, and says in plain words why not when it cannot
 * be an SMS recipient. Numbers without a country code are read as Vietnamese.
 *
 * libphonenumber's metadata is the authority on validity, with one exception: its mobile ranges for
 * 052, 055 and 089 (and parts of 099) cover only some of the blocks the carriers have opened, so it
 * rejects, for example, 0551 234 567. Our 2018 prefix table decides for those, so a number that is
 * +84 and nine digits in a known mobile prefix is accepted as mobile whatever the metadata says.
 */
export function normalizePhone(input: string): NormalizedPhone {
  const typed = input.trim();
  if (typed === '') return invalid('no phone number given');
  const compact = typed.replace(SEPARATORS, '');
  if (!DIGITS_WITH_OPTIONAL_PLUS.test(compact)) {
    return invalid(`invalid phone number "${input}": only digits, spaces, dots, dashes, brackets and a leading + are allowed`);
  }

  const parsed = parsePhoneNumberFromString(typed, 'VN');
  if (parsed === undefined) return invalid(`invalid phone number "${input}"`);

  const countryCode = parsed.countryCallingCode;
  if (countryCode !== VIETNAM_CALLING_CODE) {
    return parsed.isValid()
      ? {
          ok: false,
          problem: 'not_vietnamese',
          message: `not a Vietnamese number: "${input}" has country code +${countryCode}, not +84`,
        }
      : invalid(`invalid phone number "${input}": it is not a valid number for country code +${countryCode}`);
  }

  const carrier = carrierFromPrefix(parsed.number);
  if (carrier !== undefined) return { ok: true, e164: parsed.number, carrier };
  if (!parsed.isValid()) {
    return invalid(`invalid phone number "${input}": a Vietnamese mobile number is 0 followed by 9 digits`);
  }
  const kind = parsed.getType();
  if (kind === 'MOBILE') return { ok: true, e164: parsed.number, carrier: undefined };
  const kindInWords = (kind && NON_MOBILE_KINDS[kind]) ?? 'a Vietnamese number that cannot receive SMS';
  return { ok: false, problem: 'not_mobile', message: `not a mobile number: "${input}" is ${kindInWords}` };
}

function invalid(message: string): NormalizedPhone {
  return { ok: false, problem: 'invalid_number', message };
}

const VISIBLE_LEADING_DIGITS = 2;
const VISIBLE_TRAILING_DIGITS = 3;

/**
 * Hides the middle of a number for logs, keeping enough to tell numbers apart when debugging:
 * +84912345678 becomes +8491****678. Anything that is not a parsable E.164 number keeps only its
 * last three characters, so a malformed value never leaks into a log whole.
 */
export function maskPhone(e164: string): string {
  const parsed = parsePhoneNumberFromString(e164);
  if (parsed === undefined || parsed.nationalNumber.length <= VISIBLE_LEADING_DIGITS + VISIBLE_TRAILING_DIGITS) {
    return '*'.repeat(Math.max(e164.length - VISIBLE_TRAILING_DIGITS, 0)) + e164.slice(-VISIBLE_TRAILING_DIGITS);
  }
  const national = parsed.nationalNumber;
  const leading = national.slice(0, VISIBLE_LEADING_DIGITS);
  const hidden = '*'.repeat(national.length - VISIBLE_LEADING_DIGITS - VISIBLE_TRAILING_DIGITS);
  return `+${parsed.countryCallingCode}${leading}${hidden}${national.slice(-VISIBLE_TRAILING_DIGITS)}`;
}

/** The number in E.164, or a ValidationError naming `field` when it is not a Vietnamese mobile number. */
export function requirePhone(input: string, field = 'phone'): string {
  const phone = normalizePhone(input);
  if (!phone.ok) throw ValidationError.field(field, phone.message);
  return phone.e164;
}
