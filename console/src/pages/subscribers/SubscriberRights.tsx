import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type ApiError, asApiError, call } from '../../api/client';
import type { paths } from '../../api/schema';
import { downloadFile } from '../../download-csv';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { ErrorSummary } from '../../ui/ErrorSummary';
import { Field } from '../../ui/Field';

export type Erasure = paths['/v1/subscribers/erase']['post']['responses'][200]['content']['application/json'];

/**
 * A person's rights over their number (Decree 13/2023): a copy of everything Loa holds on it, as a JSON
 * file, and its erasure, behind a question that asks why (the reason goes to the audit log).
 */
export function SubscriberRights({ phone, onErased }: { phone: string; onErased(erasure: Erasure): void }) {
  const { t } = useTranslation('subscribers');
  const [asking, setAsking] = useState(false);
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ApiError>();

  async function exportData() {
    setBusy(true);
    setProblem(undefined);
    try {
      const data = await call(api.POST('/v1/subscribers/export', { body: { phone } }));
      downloadFile(t('rights.exportFileName', { phone: phone.replace(/\D/g, '') }), [JSON.stringify(data, null, 2)], 'application/json');
    } catch (error) {
      setProblem(asApiError(error));
    } finally {
      setBusy(false);
    }
  }

  async function erase(event?: FormEvent) {
    event?.preventDefault();
    if (reason.trim() === '') {
      setReasonError(t('rights.reasonMissing'));
      return;
    }
    setReasonError(undefined);
    setBusy(true);
    setProblem(undefined);
    try {
      const erasure = await call(api.POST('/v1/subscribers/erase', { body: { phone, reason: reason.trim() } }));
      setAsking(false);
      onErased(erasure);
    } catch (error) {
      setProblem(asApiError(error));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="rights">
      {!asking && <ErrorSummary error={problem} />}
      <div className="actions">
        <button type="button" className="button button--secondary" disabled={busy} onClick={() => void exportData()}>
          {t('rights.export')}
        </button>
        <button type="button" className="button button--danger" disabled={busy} onClick={() => setAsking(true)}>
          {t('rights.erase')}
        </button>
      </div>
      <ConfirmDialog
        open={asking}
        title={t('rights.eraseTitle', { phone })}
        confirmLabel={t('rights.eraseConfirm')}
        danger
        busy={busy}
        onConfirm={() => void erase()}
        onCancel={() => setAsking(false)}
      >
        <p>{t('rights.eraseWhat')}</p>
        <p>{t('rights.eraseKept')}</p>
        {asking && <ErrorSummary error={problem} />}
        <form noValidate onSubmit={(event) => void erase(event)}>
          <Field label={t('rights.reason')} hint={t('rights.reasonHint')} name="reason" problem={problem} error={reasonError}>
            {(control) => <textarea {...control} value={reason} maxLength={500} onChange={(event) => setReason(event.target.value)} />}
          </Field>
        </form>
      </ConfirmDialog>
    </div>
  );
}
