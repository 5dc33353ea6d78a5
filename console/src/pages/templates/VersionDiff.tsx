import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Field } from '../../ui/Field';
import type { TemplateVersion } from './template-api';
import { changedWords, type DiffPiece, diffVersions } from './version-diff';

/**
 * What changed between two versions the reader picks. Added words are underlined and removed ones struck
 * through, inside <ins> and <del> with their meaning spelled out for screen readers, so colour is never the
 * only sign. It starts on the two latest versions; give it a new key when a version is added.
 */
export function VersionDiff({ versions }: { versions: readonly TemplateVersion[] }) {
  const { t } = useTranslation('templates');
  const numbers = versions.map(({ version }) => version).sort((a, b) => a - b);
  const [from, setFrom] = useState(numbers.at(-2) ?? 1);
  const [to, setTo] = useState(numbers.at(-1) ?? 1);
  const older = versions.find(({ version }) => version === from);
  const newer = versions.find(({ version }) => version === to);
  if (numbers.length < 2 || !older || !newer) return <p>{t('diff.onlyOne')}</p>;
  const pieces = diffVersions(older.body, newer.body);
  const changed = changedWords(pieces);
  const picker = (label: string, value: number, set: (version: number) => void) => (
    <Field label={label}>
      {(control) => (
        <select {...control} value={value} onChange={(event) => set(Number(event.target.value))}>
          {numbers.map((version) => (
            <option key={version} value={version}>
              {t('history.versionLink', { version })}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
  return (
    <>
      <div className="diff__pickers">
        {picker(t('diff.from'), from, setFrom)}
        {picker(t('diff.to'), to, setTo)}
      </div>
      <p>{changed.added + changed.removed === 0 ? t('diff.same') : t('diff.summary', changed)}</p>
      <p className="diff__legend">
        <ins>{t('diff.addedExample')}</ins> <del>{t('diff.removedExample')}</del>
      </p>
      <div className="diff" data-testid="version-diff">
        {keyedByPosition(pieces).map(({ key, piece }) =>
          piece.kind === 'added' ? (
            <ins key={key}>
              <span className="visually-hidden">{t('diff.addedStart')}</span>
              {piece.text}
              <span className="visually-hidden">{t('diff.end')}</span>
            </ins>
          ) : piece.kind === 'removed' ? (
            <del key={key}>
              <span className="visually-hidden">{t('diff.removedStart')}</span>
              {piece.text}
              <span className="visually-hidden">{t('diff.end')}</span>
            </del>
          ) : (
            <span key={key}>{piece.text}</span>
          ),
        )}
      </div>
    </>
  );
}

/** A piece is where it starts in the older text and in the newer one. */
function keyedByPosition(pieces: readonly DiffPiece[]): { key: string; piece: DiffPiece }[] {
  let inOlder = 0;
  let inNewer = 0;
  return pieces.map((piece) => {
    const key = `${piece.kind}-${inOlder}-${inNewer}`;
    if (piece.kind !== 'added') inOlder += piece.text.length;
    if (piece.kind !== 'removed') inNewer += piece.text.length;
    return { key, piece };
  });
}
