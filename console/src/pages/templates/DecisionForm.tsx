import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type ApiError, asApiError } from '../../api/client';
import { ErrorSummary } from '../../ui/ErrorSummary';
import { Field } from '../../ui/Field';
import { approveVersion, rejectVersion } from './template-api';

export type Decision = 'approved' | 'rejected';

/**
 * Duyệt or Từ chối, for the one version on the page: both calls name it, so a newer version can never be
 * approved unseen. A rejection needs a reason, which the author reads on their home page.
 */
export function DecisionForm({
  templateId,
  version,
  onDecided,
}: {
  templateId: string;
  version: number;
  onDecided(decision: Decision): void;
}) {
  const { t } = useTranslation('templates');
  const [reason, setReason] = useState('');
  const [reasonMissing, setReasonMissing] = useState(false);
  const [problem, setProblem] = useState<ApiError>();
  const [busy, setBusy] = useState(false);

  const decide = async (decision: Decision) => {
    if (decision === 'rejected' && reason.trim() === '') {
      setReasonMissing(true);
      return;
    }
    setBusy(true);
    try {
      await (decision === 'approved' ? approveVersion(templateId, version) : rejectVersion(templateId, version, reason.trim()));
      onDecided(decision);
    } catch (error) {
      setProblem(asApiError(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="decision" aria-labelledby="decision-title">
      <h2 id="decision-title">{t('decision.title', { version })}</h2>
      {problem?.status === 403 || problem?.status === 409 ? (
        <div className="error-summary" role="alert">
          <h2>{t('common:errors.refusedTitle')}</h2>
          <p>{problem.status === 403 ? t('decision.forbidden') : t('decision.conflict')}</p>
          <p>{problem.detail}</p>
        </div>
      ) : (
        <ErrorSummary error={problem} />
      )}
      <p>{t('decision.hint', { version })}</p>
      <div className="actions">
        <button type="button" className="button" disabled={busy} onClick={() => void decide('approved')}>
          {t('decision.approve')}
        </button>
      </div>
      <Field
        label={t('decision.reason')}
        hint={t('decision.reasonHint')}
        name="reason"
        problem={problem}
        error={reasonMissing ? t('decision.reasonMissing') : undefined}
      >
        {(control) => (
          <textarea
            {...control}
            rows={3}
            value={reason}
            onChange={(event) => {
              setReason(event.target.value);
              setReasonMissing(false);
            }}
          />
        )}
      </Field>
      <div className="actions">
        <button type="button" className="button button--danger" disabled={busy} onClick={() => void decide('rejected')}>
          {t('decision.reject')}
        </button>
      </div>
    </section>
  );
}
