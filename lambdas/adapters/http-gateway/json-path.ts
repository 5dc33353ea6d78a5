/**
 * The value at a dotted path ("data.SMSID", "results.0.id") in parsed JSON, or undefined. A key that
 * itself holds the dots is found first, because form-encoded reports are flat ("status.code=5").
 * Only own properties are followed, so a path such as "__proto__" reads nothing.
 */
export function valueAtPath(root: unknown, path: string): unknown {
  if (isRecord(root) && Object.hasOwn(root, path)) return root[path];
  let value = root;
  for (const key of path.split('.')) {
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/** A string, number or boolean at the path as text; undefined for anything else, empty text included. */
export function textAtPath(root: unknown, path: string): string | undefined {
  const value = valueAtPath(root, path);
  if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') return undefined;
  const text = String(value).trim();
  return text === '' ? undefined : text;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
