import type { Caller } from '../auth/caller.js';
import { audit } from '../audit/audit.js';
import type { Deps } from '../deps.js';
import { ConflictError, ValidationError } from '../errors.js';
import type { Area, Page, PageRequest } from '../model.js';

export interface AreaInput {
  code: string;
  name: string;
  parentCode?: string;
  quiet?: boolean;
}

type AreaDeps = Pick<Deps, 'audience' | 'audit' | 'clock'>;

/**
 * Registers areas in bulk, parents before or alongside children. An existing area may be renamed but
 * never moved: its path is part of every subscriber filed under it.
 */
export async function registerAreas(deps: AreaDeps, caller: Caller, inputs: AreaInput[]): Promise<Area[]> {
  const byCode = new Map<string, AreaInput>();
  inputs.forEach((input, index) => {
    if (byCode.has(input.code)) throw ValidationError.field(`areas.${index}.code`, `${input.code} appears twice`);
    byCode.set(input.code, input);
  });
  const parentCodes = inputs.flatMap((input) => (input.parentCode ? [input.parentCode] : []));
  const known = new Map((await deps.audience.getAreas([...new Set([...byCode.keys(), ...parentCodes])])).map((area) => [area.code, area]));

  const resolved = new Map<string, Area>();
  const pathOf = (code: string, seen: string[]): string => {
    const done = resolved.get(code);
    if (done) return done.path;
    const input = byCode.get(code);
    if (!input) {
      const stored = known.get(code);
      if (stored) return stored.path;
      const index = inputs.findIndex((candidate) => candidate.parentCode === code);
      throw ValidationError.field(`areas.${index}.parentCode`, `unknown parent area ${code}`);
    }
    if (seen.includes(code)) {
      throw ValidationError.field(`areas.${inputs.indexOf(input)}.parentCode`, `cycle: ${[...seen, code].join(' > ')}`);
    }
    const path = input.parentCode ? `${pathOf(input.parentCode, [...seen, code])}/${code}` : code;
    const existing = known.get(code);
    if (existing && existing.path !== path) {
      throw new ConflictError(`Area ${code} is registered at ${existing.path}; areas can be renamed, not moved`);
    }
    resolved.set(code, {
      code,
      name: input.name,
      path,
      ...(input.parentCode && { parentCode: input.parentCode }),
      ...(input.quiet && { quiet: true }),
    });
    return path;
  };
  for (const code of byCode.keys()) pathOf(code, []);

  const areas = [...resolved.values()];
  await deps.audience.putAreas(areas);
  await audit(deps, caller.id, 'areas.registered', 'areas', { count: areas.length });
  return areas;
}

export async function listAreas(deps: AreaDeps, page: PageRequest): Promise<Page<Area>> {
  return deps.audience.listAreas(page);
}
