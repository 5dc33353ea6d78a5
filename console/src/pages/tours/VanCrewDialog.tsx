import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type ApiError, asApiError, call } from '../../api/client';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { ErrorSummary } from '../../ui/ErrorSummary';
import { Field } from '../../ui/Field';
import type { Van } from './tours-api';

/** The user names typed, one per line or separated by commas or spaces. */
export function crewUsersOf(text: string): string[] {
  return [...new Set(text.split(/[\s,]+/).filter(Boolean))];
}

/**
 * An operator binds the van's crew: the staff users (crew role) who see its tours on their phone and confirm
 * its stops. They see no other van.
 */
export function VanCrewDialog({ van, onClose, onSaved }: { van: Van | undefined; onClose(): void; onSaved(): void }) {
  const { t } = useTranslation('tours');
  const [text, setText] = useState('');
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    setText((van?.crewUsers ?? []).join(', '));
    setError(undefined);
  }, [van]);

  const save = async () => {
    if (!van) return;
    setBusy(true);
    try {
      await call(api.POST('/v1/vans/{id}/crew', { params: { path: { id: van.id } }, body: { users: crewUsersOf(text) } }));
      onSaved();
      onClose();
    } catch (caught) {
      setError(asApiError(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <ConfirmDialog
      open={van !== undefined}
      title={t('crewTitle', { plate: van?.plate })}
      confirmLabel={t('crewSave')}
      busy={busy}
      onConfirm={() => void save()}
      onCancel={onClose}
    >
      <ErrorSummary error={error} />
      <Field label={t('crewUsers')} hint={t('crewUsersHint')} name="users" problem={error}>
        {(control) => <input {...control} value={text} autoComplete="off" onChange={(event) => setText(event.target.value)} />}
      </Field>
    </ConfirmDialog>
  );
}
