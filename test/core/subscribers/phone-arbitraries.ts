import fc from 'fast-check';
import { carrierFromPrefix } from '../../../lambdas/core/subscribers/carriers.js';

/** The two-digit mobile prefixes the carrier table knows, found by asking it rather than copying it. */
const MOBILE_PREFIXES = Array.from({ length: 90 }, (_, n) => String(n + 10)).filter(
  (prefix) => carrierFromPrefix(`+84${prefix}0000000`) !== undefined,
);

/** A Vietnamese mobile number without its leading 0 or +84: a known prefix and seven digits. */
export const nationalMobile = fc
  .tuple(fc.constantFrom(...MOBILE_PREFIXES), fc.stringMatching(/^\d{7}$/))
  .map(([prefix, rest]) => `${prefix}${rest}`);
