import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { api, type ApiError, asApiError, call } from '../../api/client';
import { formatDateTime } from '../../format';
import { ErrorSummary } from '../../ui/ErrorSummary';
import { Field } from '../../ui/Field';
import { Page } from '../../ui/Page';
import { StatusTag } from '../../ui/StatusTag';
import { TableHead } from '../../ui/TableHead';
import { TestBand } from '../../ui/TestBand';
import { useLoad } from '../../ui/useLoad';
import { downloadReceiptsCsv, getCampaign } from './campaign-api';
import { RECEIPT_STATUSES } from './campaign-progress';
import { ScrollingTable } from './ScrollingTable';
import './campaigns.css';

const PAGE_SIZE = 50;

interface Filter {
  status: string;
  runId: string;
}

/** A campaign's receipts, one per recipient and run, filtered by status and run, page by page, and as CSV. */
export function ReceiptsPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation('campaigns');
  const campaign = useLoad(() => getCampaign(id), [id]);
  const [draft, setDraft] = useState<Filter>({ status: '', runId: '' });
  const [filter, setFilter] = useState<Filter>(draft);
  /** The cursors of the pages before this one, to go back. */
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const [exporting, setExporting] = useState(false);
  const [exportError, setExportError] = useState<ApiError>();
  const exportCsv = async () => {
    setExporting(true);
    try {
      await downloadReceiptsCsv(id, { ...(filter.status && { status: filter.status }), ...(filter.runId && { runId: filter.runId }) });
      setExportError(undefined);
    } catch (caught) {
      setExportError(asApiError(caught));
    } finally {
      setExporting(false);
    }
  };
  const cursor = cursors[cursors.length - 1];
  const receipts = useLoad(
    () =>
      call(
        api.GET('/v1/campaigns/{id}/receipts', {
          params: {
            path: { id },
            query: {
              limit: PAGE_SIZE,
              ...(cursor && { cursor }),
              ...(filter.status && { status: filter.status as (typeof RECEIPT_STATUSES)[number] }),
              ...(filter.runId && { runId: filter.runId }),
            },
          },
        }),
      ),
    [id, filter, cursor],
  );

  function apply(event: FormEvent) {
    event.preventDefault();
    setFilter({ status: draft.status, runId: draft.runId.trim() });
    setCursors([undefined]);
  }

  const name = campaign.data?.name ?? id;
  return (
    <Page title={t('receipts.title', { name })}>
      {campaign.data?.test && <TestBand />}
      <p>
        <Link to={`/campaigns/${encodeURIComponent(id)}`}>{t('receipts.back', { name })}</Link>
      </p>
      <form className="filters" onSubmit={apply}>
        <Field label={t('receipts.status')}>
          {(control) => (
            <select {...control} value={draft.status} onChange={(event) => setDraft({ ...draft, status: event.target.value })}>
              <option value="">{t('receipts.anyStatus')}</option>
              {RECEIPT_STATUSES.map((status) => (
                <option key={status} value={status}>
                  {t(`receiptStatus.${status}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('receipts.run')} hint={t('receipts.runHint')} name="runId" problem={receipts.error}>
          {(control) => (
            <input {...control} type="text" value={draft.runId} onChange={(event) => setDraft({ ...draft, runId: event.target.value })} />
          )}
        </Field>
        <div className="actions">
          <button type="submit" className="button button--secondary">
            {t('receipts.apply')}
          </button>
          <button type="button" className="button button--secondary" disabled={exporting} onClick={() => void exportCsv()}>
            {t('receipts.csv')}
          </button>
        </div>
      </form>
      <ErrorSummary error={receipts.error ?? campaign.error} onRetry={receipts.reload} />
      <ErrorSummary error={exportError} onRetry={() => void exportCsv()} />
      {receipts.data && receipts.data.items.length === 0 && <p>{t('receipts.empty')}</p>}
      {receipts.data && receipts.data.items.length > 0 && (
        <ScrollingTable label={t('receipts.caption')}>
          <table>
            <caption className="visually-hidden">{t('receipts.caption')}</caption>
            <TableHead
              columns={[
                { label: t('receipts.phone') },
                { label: t('carrier') },
                { label: t('receipts.status') },
                { label: t('receipts.queuedAt') },
                { label: t('receipts.doneAt') },
                { label: t('receipts.attempts'), number: true },
                { label: t('receipts.error') },
                { label: t('receipts.run') },
              ]}
            />
            <tbody>
              {receipts.data.items.map((receipt) => (
                <tr key={`${receipt.runId}:${receipt.phone}`}>
                  <td>{receipt.phone}</td>
                  <td>{receipt.carrier ? t(`carriers.${receipt.carrier}`, { defaultValue: receipt.carrier }) : t('carriers.unknown')}</td>
                  <td>
                    <StatusTag status={receipt.status} />
                  </td>
                  <td>{formatDateTime(receipt.queuedAt)}</td>
                  <td>{formatDateTime(receipt.doneAt)}</td>
                  <td className="number">{receipt.attempts}</td>
                  <td>{receipt.error ?? ''}</td>
                  <td>
                    <code>{receipt.runId}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollingTable>
      )}
      <nav className="actions" aria-label={t('receipts.pages')}>
        {cursors.length > 1 && (
          <button type="button" className="button button--secondary" onClick={() => setCursors(cursors.slice(0, -1))}>
            {t('receipts.previous')}
          </button>
        )}
        {receipts.data?.nextCursor && (
          <button
            type="button"
            className="button button--secondary"
            onClick={() => setCursors([...cursors, receipts.data!.nextCursor ?? undefined])}
          >
            {t('receipts.next')}
          </button>
        )}
      </nav>
    </Page>
  );
}
