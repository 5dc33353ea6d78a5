/** The rows of a segment's counts tables, biggest first, in the order staff read them. */
import { buildAreaTree, flattenAreaTree, type AreaNode, type AreaRecord } from '../subscribers/area-tree';

export interface CarrierRow {
  carrier: string;
  count: number;
}

export function carrierRows(byCarrier: Readonly<Record<string, number>>): CarrierRow[] {
  return Object.entries(byCarrier)
    .filter(([, count]) => count > 0)
    .map(([carrier, count]) => ({ carrier, count }))
    .sort((a, b) => b.count - a.count || a.carrier.localeCompare(b.carrier));
}

/** Every area the segment reaches someone in, parents (with their subtree's sum) before children. */
export function areaRows(areas: readonly AreaRecord[], byArea: Readonly<Record<string, number>>): AreaNode[] {
  const known = new Set(areas.map((area) => area.code));
  // An area the list does not have yet (registered since it was loaded) is still counted, under its code.
  const unknown = Object.keys(byArea)
    .filter((code) => !known.has(code))
    .map((code) => ({ code, name: code }));
  return flattenAreaTree(buildAreaTree([...areas, ...unknown], byArea)).filter((node) => node.count > 0);
}
