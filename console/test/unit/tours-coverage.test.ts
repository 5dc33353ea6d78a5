import { describe, expect, it } from 'vitest';
import { byCommune, coverageLevel } from '../../src/pages/tours/coverage-view';

describe('coverage by commune', () => {
  it('colours an area by what happened to its broadcasts', () => {
    expect(coverageLevel({ planned: 0, confirmed: 0, missed: 0 })).toBe('uncovered');
    expect(coverageLevel({ planned: 2, confirmed: 1, missed: 1 })).toBe('missed');
    expect(coverageLevel({ planned: 2, confirmed: 1, missed: 0 })).toBe('planned');
    expect(coverageLevel({ planned: 2, confirmed: 2, missed: 0 })).toBe('covered');
  });

  it('groups residential areas under their commune, in Vietnamese name order, with counts', () => {
    const area = (code: string, name: string, commune: string, planned: number, confirmed = 0) => ({
      code,
      name,
      path: `DNI/${commune}/${code}`,
      planned,
      confirmed,
      missed: 0,
    });
    const names = new Map([
      ['DNI-DXOAI', 'Phường Đồng Xoài'],
      ['DNI-BPHUOC', 'Phường Bình Phước'],
    ]);
    const communes = byCommune(
      [
        area('DNI-DXOAI-2', 'Khu phố Phú Thanh', 'DNI-DXOAI', 1, 1),
        area('DNI-BPHUOC-1', 'Khu phố Phú Lạc', 'DNI-BPHUOC', 0),
        area('DNI-DXOAI-1', 'Khu phố Tân Bình', 'DNI-DXOAI', 2),
      ],
      names,
    );
    expect(communes.map((commune) => commune.name)).toEqual(['Phường Bình Phước', 'Phường Đồng Xoài']);
    expect(communes[1]!.areas.map((entry) => entry.name)).toEqual(['Khu phố Phú Thanh', 'Khu phố Tân Bình']);
    expect(communes[1]!.counts).toEqual({ uncovered: 0, missed: 0, planned: 1, covered: 1 });
    expect(communes[0]!.counts.uncovered).toBe(1);
  });
});
