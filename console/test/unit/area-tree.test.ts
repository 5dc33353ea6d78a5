import { describe, expect, it } from 'vitest';
import { includedThrough, parentIndex, parseTags, toggleArea } from '../../src/pages/segments/area-selection';
import { areaRows, carrierRows } from '../../src/pages/segments/segment-counts';
import { buildAreaTree, flattenAreaTree, totalCount } from '../../src/pages/subscribers/area-tree';

const AREAS = [
  { code: 'DNI', name: 'Tỉnh Đồng Nai' },
  { code: 'DNI-DXOAI', name: 'Phường Đồng Xoài', parentCode: 'DNI' },
  { code: 'DNI-DXOAI-1', name: 'Khu phố Tân Bình', parentCode: 'DNI-DXOAI' },
  { code: 'DNI-DXOAI-4', name: 'Trường THPT Đồng Xoài', parentCode: 'DNI-DXOAI', quiet: true },
  { code: 'DNI-DPHU', name: 'Xã Đồng Phú', parentCode: 'DNI' },
  { code: 'DNI-DPHU-1', name: 'Ấp Tân Hòa', parentCode: 'DNI-DPHU' },
];

describe('the area tree with subscriber counts', () => {
  it('sums the counts of the leaves up to every ancestor', () => {
    const roots = buildAreaTree(AREAS, { 'DNI-DXOAI-1': 1200, 'DNI-DPHU-1': 800, 'DNI-DXOAI-4': 0 });
    const byCode = new Map(flattenAreaTree(roots).map((node) => [node.code, node]));
    expect(byCode.get('DNI-DXOAI')?.count).toBe(1200);
    expect(byCode.get('DNI-DPHU')?.count).toBe(800);
    expect(byCode.get('DNI')?.count).toBe(2000);
    expect(totalCount(roots)).toBe(2000);
  });

  it('adds subscribers filed under a parent itself to its children', () => {
    const roots = buildAreaTree(AREAS, { 'DNI-DXOAI': 5, 'DNI-DXOAI-1': 10 });
    expect(roots[0]?.children[0]?.count).toBe(15);
    expect(roots[0]?.count).toBe(15);
  });

  it('nests areas under their parents, in order, with depth and the quiet mark', () => {
    const roots = buildAreaTree(AREAS);
    expect(roots.map((node) => node.code)).toEqual(['DNI']);
    expect(flattenAreaTree(roots).map((node) => `${node.depth}:${node.code}`)).toEqual([
      '0:DNI',
      '1:DNI-DXOAI',
      '2:DNI-DXOAI-1',
      '2:DNI-DXOAI-4',
      '1:DNI-DPHU',
      '2:DNI-DPHU-1',
    ]);
    expect(flattenAreaTree(roots).find((node) => node.code === 'DNI-DXOAI-4')?.quiet).toBe(true);
  });

  it('shows an area whose parent is missing from the list as a root', () => {
    const roots = buildAreaTree([{ code: 'DNI-DPHU-1', name: 'Ấp Tân Hòa', parentCode: 'DNI-DPHU' }], { 'DNI-DPHU-1': 3 });
    expect(roots.map((node) => [node.code, node.count])).toEqual([['DNI-DPHU-1', 3]]);
  });
});

describe('picking areas for a segment', () => {
  const parentOf = parentIndex(AREAS);

  it('drops the areas under one that is picked, since it covers them', () => {
    const picked = toggleArea(['DNI-DXOAI-1', 'DNI-DPHU-1'], 'DNI-DXOAI', parentOf);
    expect(picked).toEqual(['DNI-DPHU-1', 'DNI-DXOAI']);
    expect(toggleArea(picked, 'DNI', parentOf)).toEqual(['DNI']);
  });

  it('unpicks an area that was picked', () => {
    expect(toggleArea(['DNI-DXOAI', 'DNI-DPHU'], 'DNI-DXOAI', parentOf)).toEqual(['DNI-DPHU']);
  });

  it('says which picked ancestor already includes an area', () => {
    const picked = new Set(['DNI-DXOAI']);
    expect(includedThrough('DNI-DXOAI-4', picked, parentOf)).toBe('DNI-DXOAI');
    expect(includedThrough('DNI-DXOAI', picked, parentOf)).toBeUndefined();
    expect(includedThrough('DNI-DPHU-1', picked, parentOf)).toBeUndefined();
    expect(includedThrough('DNI-DPHU-1', new Set(['DNI']), parentOf)).toBe('DNI');
  });

  it('reads tags separated by ; or , each once', () => {
    expect(parseTags(' cong-nhan; hoc-sinh ,cong-nhan;; ')).toEqual(['cong-nhan', 'hoc-sinh']);
    expect(parseTags('')).toEqual([]);
  });
});

describe("a segment's counts tables", () => {
  it('lists carriers with anyone in them, biggest first', () => {
    expect(carrierRows({ viettel: 40, unknown: 2, mobifone: 55, itel: 0 })).toEqual([
      { carrier: 'mobifone', count: 55 },
      { carrier: 'viettel', count: 40 },
      { carrier: 'unknown', count: 2 },
    ]);
  });

  it('lists the areas reached, each parent with its subtree, and keeps an area the list lacks', () => {
    const rows = areaRows(AREAS, { 'DNI-DXOAI-1': 7, 'DNI-NEW': 1 });
    expect(rows.map((node) => [node.code, node.count])).toEqual([
      ['DNI', 7],
      ['DNI-DXOAI', 7],
      ['DNI-DXOAI-1', 7],
      ['DNI-NEW', 1],
    ]);
  });
});
