/** The pseudonyms of every test: a fixed key, so a test can compute what a number becomes. */
import { hmacPseudonymizer } from '../lambdas/core/privacy/pseudonym.js';

export const TEST_PSEUDONYM_KEY = new Uint8Array(32).fill(7);
export const TEST_PSEUDONYMIZER = hmacPseudonymizer(TEST_PSEUDONYM_KEY);
