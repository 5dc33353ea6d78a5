/**
 * Segments pick subscribers by area subtree (an area and every area under it). As SQL: a few subtrees
 * are index ranges on the area path; many are one look-up a row in a set of paths, through a function
 * of the connection.
 */
import type { Database } from 'better-sqlite3';

/**
 * A subtree is its own path and everything under path + '/'. As one index range: [path, path + '0')
 * ('0' follows '/'), minus what sorts strictly between path and path + '/' (e.g. "A1-2" or "A1.3"), so
 * "A1" never matches its sibling "A10". Parameters: see `subtreeParams`.
 */
export function subtreeTerm(column: string): string {
  return `(${column} >= ? AND ${column} < ? AND NOT (${column} > ? AND ${column} < ?))`;
}

export function subtreeParams(path: string): string[] {
  return [path, `${path}0`, path, `${path}/`];
}

/** Above this many subtrees, a walk tests each row's path against a set instead of inline ranges. */
export const MAX_INLINE_SUBTREES = 8;

/** Subtree sets of the walks in progress, by the handle a query passes to `loa_in_subtrees`. */
const SUBTREE_SETS = new Map<number, SubtreeSet>();
let subtreeSetHandles = 0;

/** Whether a path lies in any of a set of subtrees: the path or one of its ancestors is in the set. */
class SubtreeSet {
  private readonly roots: Set<string>;
  private readonly seen = new Map<string, boolean>();

  constructor(paths: string[]) {
    this.roots = new Set(paths);
  }

  has(path: string): boolean {
    let inside = this.seen.get(path);
    if (inside === undefined) {
      inside = this.roots.has(path);
      for (let cut = path.lastIndexOf('/'); !inside && cut > 0; cut = path.lastIndexOf('/', cut - 1)) {
        inside = this.roots.has(path.slice(0, cut));
      }
      this.seen.set(path, inside);
    }
    return inside;
  }
}

/** Gives the connection `loa_in_subtrees(path, handle)`: 1 when `path` lies in the set `handle` names. */
export function registerSubtreeFunction(db: Database): void {
  db.function('loa_in_subtrees', { directOnly: true }, (path, handle) => (SUBTREE_SETS.get(Number(handle))?.has(String(path)) ? 1 : 0));
}

/** Runs `query` with a handle that names the set of `paths` to `loa_in_subtrees`, for the query's duration. */
export function withSubtreeSet<T>(paths: string[], query: (handle: number) => T): T {
  const handle = ++subtreeSetHandles;
  SUBTREE_SETS.set(handle, new SubtreeSet(paths));
  try {
    return query(handle);
  } finally {
    SUBTREE_SETS.delete(handle);
  }
}

/** The paths without duplicates or paths inside another one, so each subscriber is matched once. */
export function disjointSubtrees(paths: string[]): string[] {
  const unique = new Set(paths);
  return [...unique].filter((path) => {
    for (let cut = path.lastIndexOf('/'); cut > 0; cut = path.lastIndexOf('/', cut - 1)) {
      if (unique.has(path.slice(0, cut))) return false;
    }
    return true;
  });
}
