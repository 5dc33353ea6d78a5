/**
 * Areas picked for a segment. An area means its whole subtree, so picking an area makes its descendants
 * redundant: they are dropped from the filter and shown as included through it, never sent twice.
 */
import type { AreaRecord } from '../subscribers/area-tree';

export type ParentOf = ReadonlyMap<string, string | undefined>;

export function parentIndex(areas: readonly AreaRecord[]): ParentOf {
  return new Map(areas.map((area) => [area.code, area.parentCode]));
}

/** The nearest picked ancestor that already covers `code`, if any. */
export function includedThrough(code: string, picked: ReadonlySet<string>, parentOf: ParentOf): string | undefined {
  for (let parent = parentOf.get(code); parent !== undefined; parent = parentOf.get(parent)) {
    if (picked.has(parent)) return parent;
  }
  return undefined;
}

/** Picks or unpicks one area; picking it drops the areas under it, which it covers. */
export function toggleArea(picked: readonly string[], code: string, parentOf: ParentOf): string[] {
  if (picked.includes(code)) return picked.filter((other) => other !== code);
  const withCode = new Set([code]);
  return [...picked.filter((other) => includedThrough(other, withCode, parentOf) === undefined), code];
}

/** Tags as typed: separated by ; or , (as in the import file), trimmed, each once. */
export function parseTags(typed: string): string[] {
  return [
    ...new Set(
      typed
        .split(/[;,]/)
        .map((tag) => tag.trim())
        .filter((tag) => tag !== ''),
    ),
  ];
}
