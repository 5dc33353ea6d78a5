import { describe, expect, it } from 'vitest';
import { changedWords, diffVersions } from '../../src/pages/templates/version-diff.js';

describe('the difference between two template versions', () => {
  it('shows the words removed and added in place, the rest unchanged', () => {
    const pieces = diffVersions('Họp thôn lúc 8 giờ sáng thứ Bảy.', 'Họp thôn lúc 9 giờ sáng Chủ nhật.');
    expect(pieces.filter(({ kind }) => kind !== 'same')).toEqual([
      { kind: 'removed', text: '8' },
      { kind: 'added', text: '9' },
      { kind: 'removed', text: 'thứ Bảy' },
      { kind: 'added', text: 'Chủ nhật' },
    ]);
    expect(
      pieces
        .filter(({ kind }) => kind !== 'added')
        .map(({ text }) => text)
        .join(''),
    ).toBe('Họp thôn lúc 8 giờ sáng thứ Bảy.');
    expect(changedWords(pieces)).toEqual({ added: 3, removed: 3 });
  });

  it('finds nothing changed between identical versions', () => {
    expect(diffVersions('Loa loa', 'Loa loa')).toEqual([{ kind: 'same', text: 'Loa loa' }]);
  });
});
