import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type ApiError, asApiError } from '../../api/client';
import { formatDateTime, formatNumber } from '../../format';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { ErrorSummary } from '../../ui/ErrorSummary';
import { act, CANCELLABLE_STATUSES, PAUSABLE_STATUSES, type CampaignDetail } from './campaign-api';

type OperatorAction = 'pause' | 'resume' | 'cancel';

/** Pause, resume and cancel, each behind a question that names the messages it affects. */
export function OperatorActions({ campaign, onChanged }: { campaign: CampaignDetail; onChanged(campaign: CampaignDetail): void }) {
  const { t, i18n } = useTranslation('campaigns');
  const [asking, setAsking] = useState<OperatorAction>();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ApiError>();
  const [done, setDone] = useState<OperatorAction>();
  const values = {
    queued: formatNumber(campaign.counts.queued, i18n.language),
    submitted: formatNumber(campaign.counts.submitted, i18n.language),
    next: formatDateTime(campaign.nextFireAt),
  };
  const available: OperatorAction[] = [
    ...(PAUSABLE_STATUSES.includes(campaign.status) ? (['pause'] as const) : []),
    ...(campaign.status === 'paused' ? (['resume'] as const) : []),
    ...(CANCELLABLE_STATUSES.includes(campaign.status) ? (['cancel'] as const) : []),
  ];
  if (available.length === 0) return done ? <p className="notice notice--success">{t(`operate.${done}.done`)}</p> : null;

  async function confirm(action: OperatorAction) {
    setBusy(true);
    setProblem(undefined);
    try {
      onChanged(await act(campaign.id, action));
      setDone(action);
      setAsking(undefined);
    } catch (error) {
      setProblem(asApiError(error));
      setAsking(undefined);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="operator-actions" aria-labelledby="operate-title">
      <h2 id="operate-title">{t('operate.title')}</h2>
      <ErrorSummary error={problem} />
      {done && <p className="notice notice--success">{t(`operate.${done}.done`)}</p>}
      <div className="actions">
        {available.map((action) => (
          <button
            key={action}
            type="button"
            className={action === 'cancel' ? 'button button--danger' : action === 'pause' ? 'button button--secondary' : 'button'}
            onClick={() => setAsking(action)}
          >
            {t(`operate.${action}.button`)}
          </button>
        ))}
      </div>
      {/* One dialog for whichever action is asked: the dialog's title is found by a fixed id. */}
      <ConfirmDialog
        open={asking !== undefined}
        title={asking ? t(`operate.${asking}.title`, { name: campaign.name }) : ''}
        confirmLabel={asking ? t(`operate.${asking}.confirm`) : ''}
        danger={asking === 'cancel'}
        busy={busy}
        onConfirm={() => asking && void confirm(asking)}
        onCancel={() => setAsking(undefined)}
      >
        {asking && (
          <>
            <p>{t(`operate.${asking}.affected`, values)}</p>
            {campaign.nextFireAt && asking !== 'resume' && <p>{t(`operate.${asking}.schedule`, values)}</p>}
            <p>{t(`operate.${asking}.next`)}</p>
          </>
        )}
      </ConfirmDialog>
    </section>
  );
}
