/**
 * Text arrives in whatever Unicode form the sender's keyboard made: Vietnamese typed on one keyboard is
 * precomposed ("ế" one code point, NFC), on another decomposed ("e" and two combining marks, NFD), and
 * the decomposed form is longer, so it would cost more SMS parts and fail to match the same word typed
 * the other way (names, tags, variables). Every string of a request, JSON bodies (keys included) and
 * query values, is brought to NFC before it is validated; CSV imports normalize each field as they read it.
 */
export function toNfc(value: unknown): unknown {
  if (typeof value === 'string') return value.normalize('NFC');
  if (Array.isArray(value)) return value.map(toNfc);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key.normalize('NFC'), toNfc(inner)]));
  }
  return value;
}
