/**
 * The difference between two versions of a template, word by word, for the version history: what the
 * newer one added and removed, in order, so a reviewer sees what changed without rereading both.
 */
import { diffWords } from 'diff';

export type DiffPiece = { kind: 'same' | 'added' | 'removed'; text: string };

export function diffVersions(older: string, newer: string): DiffPiece[] {
  return diffWords(older, newer).map((change) => ({
    kind: change.added ? 'added' : change.removed ? 'removed' : 'same',
    text: change.value,
  }));
}

export function changedWords(pieces: readonly DiffPiece[]): { added: number; removed: number } {
  const words = (kind: DiffPiece['kind']) =>
    pieces.filter((piece) => piece.kind === kind).reduce((sum, piece) => sum + piece.text.split(/\s+/).filter(Boolean).length, 0);
  return { added: words('added'), removed: words('removed') };
}
