/** Count key of the subscribers and receipts whose carrier is not known, in the audience's and the receipts' tallies. */
export const UNKNOWN_CARRIER = 'unknown';
