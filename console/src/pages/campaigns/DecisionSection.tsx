import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { type ApiError, asApiError } from '../../api/client';
import { formatDateTime, formatNumber } from '../../format';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { ErrorSummary } from '../../ui/ErrorSummary';
import { Field } from '../../ui/Field';
import { previewSchedule } from './schedule-builder';
import { approve, reject, type CampaignDetail, type CampaignEstimate } from './campaign-api';

/**
 * The approver's decision: Duyệt (after a question naming who it reaches, since it goes to the public)
 * or Từ chối with a reason for the author. Never shown to the campaign's own creator.
 */
export function DecisionSection({
  campaign,
  estimate,
  onDecided,
}: {
  campaign: CampaignDetail;
  estimate: CampaignEstimate | undefined;
  onDecided(campaign: CampaignDetail, decision: 'approved' | 'rejected'): void;
}) {
  const { t, i18n } = useTranslation('campaigns');
  const [confirming, setConfirming] = useState(false);
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ApiError>();
  const recipients = estimate ? formatNumber(estimate.recipients, i18n.language) : '…';

  async function run(decide: () => Promise<CampaignDetail>, decision: 'approved' | 'rejected') {
    setBusy(true);
    setProblem(undefined);
    try {
      onDecided(await decide(), decision);
    } catch (error) {
      setProblem(asApiError(error));
    } finally {
      setBusy(false);
      setConfirming(false);
    }
  }

  function submitRejection(event: FormEvent) {
    event.preventDefault();
    if (reason.trim() === '') {
      setReasonError(t('decide.reasonMissing'));
      return;
    }
    setReasonError(undefined);
    void run(() => reject(campaign, reason.trim()), 'rejected');
  }

  const when = campaign.schedule ? 'scheduled' : 'now';
  const preview = campaign.schedule && previewSchedule(campaign.schedule.expression, campaign.schedule.timezone, new Date(), 1);
  const first = preview?.ok ? formatDateTime(preview.fireTimes[0]) : '';
  return (
    <section className="decision" aria-labelledby="decision-title">
      <h2 id="decision-title">{t('decide.title')}</h2>
      <ErrorSummary error={problem} />
      {problem?.status === 409 && <p className="notice notice--warning">{t('decide.changed')}</p>}
      <p>{t('decide.intro')}</p>
      <div className="actions">
        <button type="button" className="button" onClick={() => setConfirming(true)} disabled={busy || !estimate}>
          {t('decide.approve')}
        </button>
        <button type="button" className="button button--secondary" onClick={() => setRejecting(true)} aria-expanded={rejecting}>
          {t('decide.reject')}
        </button>
      </div>
      {rejecting && (
        <form onSubmit={submitRejection} noValidate>
          <Field label={t('decide.reason')} hint={t('decide.reasonHint')} name="reason" problem={problem} error={reasonError}>
            {(control) => <textarea {...control} value={reason} maxLength={1000} onChange={(event) => setReason(event.target.value)} />}
          </Field>
          <div className="actions">
            <button type="submit" className="button button--danger" disabled={busy}>
              {t('decide.sendBack')}
            </button>
          </div>
        </form>
      )}
      <ConfirmDialog
        open={confirming}
        title={t('decide.confirmTitle', { recipients })}
        confirmLabel={t('decide.confirmApprove')}
        danger={campaign.priority === 'emergency'}
        busy={busy}
        onConfirm={() => void run(() => approve(campaign), 'approved')}
        onCancel={() => setConfirming(false)}
      >
        <p>{t('decide.confirmReach', { recipients })}</p>
        {campaign.test && <p className="notice">{t('decide.confirmTest')}</p>}
        {campaign.priority === 'emergency' && <p className="notice notice--warning">{t('decide.confirmEmergency')}</p>}
        <p>{t(`decide.whatNext.${when}`, { first })}</p>
      </ConfirmDialog>
    </section>
  );
}
