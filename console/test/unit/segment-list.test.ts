import { describe, expect, it } from 'vitest';
import { firstNames, withPreselected, type SegmentSummary } from '../../src/pages/segments/segment-list';

const segment = (id: string): SegmentSummary => ({
  id,
  name: `Nhóm ${id}`,
  filter: { areas: [], tags: [], carriers: [] },
  createdBy: 'lan',
  createdAt: '2026-12-05T01:00:00.000Z',
});

describe('the list of segments', () => {
  it('names the first areas and counts the rest', () => {
    const names = new Map([
      ['DNI-DXOAI', 'Phường Đồng Xoài'],
      ['DNI-DPHU', 'Xã Đồng Phú'],
    ]);
    const name = (code: string) => names.get(code) ?? code;

    expect(firstNames(['DNI-DXOAI', 'DNI-DPHU'], name)).toEqual({ names: ['Phường Đồng Xoài', 'Xã Đồng Phú'], more: 0 });
    expect(firstNames(['DNI-DXOAI', 'DNI-DPHU', 'A', 'B', 'C'], name)).toEqual({
      names: ['Phường Đồng Xoài', 'Xã Đồng Phú', 'A'],
      more: 2,
    });
  });

  it('puts the segment named in the address first when the list does not hold it yet', async () => {
    const listed = [segment('seg_2'), segment('seg_1')];
    const read: string[] = [];
    const load = async (id: string) => {
      read.push(id);
      return segment(id);
    };

    expect(await withPreselected(listed, 'seg_3', load)).toEqual([segment('seg_3'), ...listed]);
    expect(await withPreselected(listed, 'seg_1', load)).toEqual(listed);
    expect(await withPreselected(listed, undefined, load)).toEqual(listed);
    expect(read).toEqual(['seg_3']);
  });

  it('leaves out a segment named in the address that cannot be read', async () => {
    const listed = [segment('seg_1')];

    expect(await withPreselected(listed, 'seg_gone', () => Promise.reject(new Error('404')))).toEqual(listed);
  });
});
