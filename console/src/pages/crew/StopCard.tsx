import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type ApiError, asApiError, call } from '../../api/client';
import { formatTime } from '../../format';
import { ErrorSummary } from '../../ui/ErrorSummary';
import { Field } from '../../ui/Field';
import type { VanSession } from '../tours/tours-api';

type Stop = VanSession['stops'][number];

/** One stop of the route: its time and place, and once it has started one large tap to say it was broadcast, with a note. */
export function StopCard({
  tourId,
  runId,
  stop,
  onConfirmed,
}: {
  tourId: string;
  runId: string | undefined;
  stop: Stop;
  onConfirmed(): void;
}) {
  const { t } = useTranslation('crew');
  const [note, setNote] = useState('');
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  // A stop is confirmed once it has started (the API refuses earlier); the page reloads every 30 seconds.
  const started = Date.parse(stop.startsAt) <= Date.now();

  const confirm = async () => {
    if (!runId) return;
    setBusy(true);
    try {
      await call(
        api.POST('/v1/tours/{id}/confirm', {
          params: { path: { id: tourId } },
          body: { runId, areas: [stop.areaCode], ...(note.trim() && { note: note.trim() }) },
        }),
      );
      setError(undefined);
      onConfirmed();
    } catch (caught) {
      setError(asApiError(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <li className={stop.confirmedAt ? 'crew__stop crew__stop--done' : 'crew__stop'}>
      <p className="crew__stop-title">
        <span className="crew__time">{formatTime(stop.startsAt)}</span> {stop.areaName}{' '}
        <span className="crew__minutes">{t('minutes', { count: stop.minutes })}</span>
      </p>
      {stop.confirmedAt ? (
        <p className="crew__done">{t('doneAt', { time: formatTime(stop.confirmedAt) })}</p>
      ) : runId && !started ? (
        <p className="crew__minutes">{t('notStarted')}</p>
      ) : runId ? (
        <>
          <ErrorSummary error={error} onRetry={() => void confirm()} />
          <Field label={t('note')} name="note" problem={error}>
            {(control) => <input {...control} value={note} onChange={(event) => setNote(event.target.value)} />}
          </Field>
          <button type="button" className="button button--large" disabled={busy} onClick={() => void confirm()}>
            {t('confirm', { area: stop.areaName })}
          </button>
        </>
      ) : null}
    </li>
  );
}
