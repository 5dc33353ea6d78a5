import { useState } from 'react';
import { useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, type ApiError, asApiError, call } from '../../api/client';
import { useUser } from '../../auth/AuthContext';
import { hasRole } from '../../auth/user';
import { formatDateTime } from '../../format';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { ErrorSummary } from '../../ui/ErrorSummary';
import { Field } from '../../ui/Field';
import { Page } from '../../ui/Page';
import { StatusTag } from '../../ui/StatusTag';
import { useLoad } from '../../ui/useLoad';
import { FireTimes } from '../campaigns/FireTimes';
import { allAreas } from './tours-api';
import './tours.css';

type Action = 'submit' | 'approve' | 'reject' | 'cancel';

/**
 * A tour and, for the approver, the decision on it: exactly the script that will be read and the route
 * with its times, then Duyệt or Từ chối with a reason. Never by the person who planned it.
 */
export function TourPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation('tours');
  const user = useUser();
  const loaded = useLoad(async () => {
    const [tour, script, areas] = await Promise.all([
      call(api.GET('/v1/tours/{id}', { params: { path: { id } } })),
      call(api.GET('/v1/tours/{id}/script', { params: { path: { id } } })),
      allAreas(),
    ]);
    return { tour, script, areaNames: new Map(areas.map((area) => [area.code, area.name])) };
  }, [id]);
  const [reason, setReason] = useState('');
  const [confirming, setConfirming] = useState<Action>();
  const [error, setError] = useState<ApiError>();
  const [done, setDone] = useState<Action>();
  const [busy, setBusy] = useState(false);

  const data = loaded.data;
  if (!data) return <ErrorSummary error={loaded.error} onRetry={loaded.reload} />;
  const { tour, script, areaNames } = data;

  // A decision names the revision shown here: a tour changed since is refused (409), never decided unseen.
  const act = async (action: Action) => {
    setBusy(true);
    try {
      const path = { params: { path: { id } } };
      const revision = tour.revision;
      if (action === 'reject') await call(api.POST('/v1/tours/{id}/reject', { ...path, body: { reason, revision } }));
      else if (action === 'approve') await call(api.POST('/v1/tours/{id}/approve', { ...path, body: { revision } }));
      else await call(api.POST(`/v1/tours/{id}/${action}`, path));
      setError(undefined);
      setDone(action);
      loaded.reload();
    } catch (caught) {
      setError(asApiError(caught));
    } finally {
      setBusy(false);
      setConfirming(undefined);
    }
  };
  const ownWork = tour.createdBy === user.id;
  const canDecide = tour.status === 'pending_approval' && hasRole(user, 'approver') && !ownWork;

  return (
    <Page title={tour.name}>
      <p>
        <StatusTag status={tour.status} />{' '}
        {tour.priority === 'emergency' && <strong className="emergency">{t('priorities.emergency')}</strong>}
      </p>
      <ErrorSummary error={error ?? loaded.error} onRetry={loaded.error ? loaded.reload : undefined} />
      {error?.status === 409 && <p className="notice notice--warning">{t('changed')}</p>}
      {done && (
        <p className="notice notice--success" role="status">
          {t(`next.${done}`)}
        </p>
      )}
      {tour.rejectionReason && tour.status === 'draft' && (
        <p className="notice notice--warning">{t('rejectedBecause', { reason: tour.rejectionReason })}</p>
      )}
      {tour.warnings.length > 0 && (
        <div className="notice notice--warning">
          <h2>{t('warnings')}</h2>
          <ul>
            {tour.warnings.map((warning) => (
              <li key={warning}>{warning}</li>
            ))}
          </ul>
        </div>
      )}
      <h2>{t('scriptTitle', { title: script.title })}</h2>
      <p className="tour-script">{script.text}</p>
      <p>{t('readingTimes', { count: script.repetitionsPerStop, seconds: Math.round(script.readingSeconds) })}</p>
      <h2>{t('route')}</h2>
      <ol className="tour-route">
        {tour.stops.map((stop) => (
          <li key={stop.areaCode}>
            {areaNames.get(stop.areaCode) ?? stop.areaCode} · {t('minutes', { count: stop.minutes })}
          </li>
        ))}
      </ol>
      <h2>{t('when')}</h2>
      <FireTimes schedule={tour.schedule} nextFireAt={tour.nextFireAt} />
      <dl className="summary">
        <dt>{t('plannedBy')}</dt>
        <dd>
          {tour.createdBy}, {formatDateTime(tour.createdAt)}
        </dd>
        {tour.decidedBy && (
          <>
            <dt>{t('decidedBy')}</dt>
            <dd>
              {tour.decidedBy}, {formatDateTime(tour.decidedAt)}
            </dd>
          </>
        )}
      </dl>

      {tour.status === 'draft' && hasRole(user, 'author') && (
        <div className="actions">
          <button type="button" className="button" disabled={busy} onClick={() => void act('submit')}>
            {t('submit')}
          </button>
        </div>
      )}
      {tour.status === 'pending_approval' && hasRole(user, 'approver') && ownWork && <p className="notice">{t('notYourOwn')}</p>}
      {canDecide && (
        <section aria-labelledby="decide-title" className="decision">
          <h2 id="decide-title">{t('decideTitle')}</h2>
          <Field label={t('reason')} hint={t('reasonHint')} name="reason" problem={error}>
            {(control) => <textarea {...control} value={reason} onChange={(event) => setReason(event.target.value)} />}
          </Field>
          <div className="actions">
            <button type="button" className="button" disabled={busy} onClick={() => setConfirming('approve')}>
              {t('approve')}
            </button>
            <button type="button" className="button button--danger" disabled={busy} onClick={() => void act('reject')}>
              {t('reject')}
            </button>
          </div>
        </section>
      )}
      {hasRole(user, 'operator') && ['approved', 'dispatched'].includes(tour.status) && (
        <div className="actions">
          <button type="button" className="button button--danger" onClick={() => setConfirming('cancel')}>
            {t('cancelTour')}
          </button>
        </div>
      )}
      <ConfirmDialog
        open={confirming !== undefined}
        title={confirming === 'cancel' ? t('confirmCancel') : t('confirmApprove', { name: tour.name })}
        confirmLabel={confirming === 'cancel' ? t('cancelTour') : t('approve')}
        danger={confirming === 'cancel'}
        busy={busy}
        onConfirm={() => confirming && void act(confirming)}
        onCancel={() => setConfirming(undefined)}
      >
        <p>{confirming === 'cancel' ? t('cancelExplained') : t('approveExplained', { stops: tour.stops.length })}</p>
      </ConfirmDialog>
    </Page>
  );
}
