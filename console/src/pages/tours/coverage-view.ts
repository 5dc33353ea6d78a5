/**
 * Coverage of residential areas as the operators read it: grouped by commune (the area's parent), each
 * area coloured by what happened to its broadcasts in the period.
 */
import type { components } from '../../api/schema';

export type AreaCoverage = components['schemas']['AreaCoverage'];

/** uncovered: nothing planned; missed: a run missed; partial: planned but not all confirmed yet; covered. */
export type CoverageLevel = 'uncovered' | 'missed' | 'planned' | 'covered';

export function coverageLevel(area: Pick<AreaCoverage, 'planned' | 'confirmed' | 'missed'>): CoverageLevel {
  if (area.planned === 0) return 'uncovered';
  if (area.missed > 0) return 'missed';
  if (area.confirmed >= area.planned) return 'covered';
  return 'planned';
}

export interface CommuneCoverage {
  code: string;
  name: string;
  areas: AreaCoverage[];
  counts: Record<CoverageLevel, number>;
}

/**
 * Groups areas under their parent (the second-to-last code of the path), naming the commune from
 * `names`, communes and areas in name order.
 */
export function byCommune(areas: readonly AreaCoverage[], names: ReadonlyMap<string, string>): CommuneCoverage[] {
  const communes = new Map<string, CommuneCoverage>();
  for (const area of areas) {
    const codes = area.path.split('/');
    const parent = codes.at(-2) ?? area.code;
    let commune = communes.get(parent);
    if (!commune) {
      commune = { code: parent, name: names.get(parent) ?? parent, areas: [], counts: { uncovered: 0, missed: 0, planned: 0, covered: 0 } };
      communes.set(parent, commune);
    }
    commune.areas.push(area);
    commune.counts[coverageLevel(area)] += 1;
  }
  const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name, 'vi');
  return [...communes.values()].sort(byName).map((commune) => ({ ...commune, areas: [...commune.areas].sort(byName) }));
}
