import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, type ApiError, asApiError, call } from '../../api/client';
import type { paths } from '../../api/schema';
import { formatDateTime } from '../../format';
import { ErrorSummary } from '../../ui/ErrorSummary';
import { Field } from '../../ui/Field';
import { Page } from '../../ui/Page';
import { AUDIT_ACTIONS, subjectPath } from './audit-entries';
import { auditQuery, daysReversed, NO_FILTER, type AuditFilterForm, type AuditQuery } from './audit-query';
import './audit.css';

type AuditEntry = paths['/v1/audit']['get']['responses'][200]['content']['application/json']['items'][number];

const PAGE_SIZE = 50;

interface Listing {
  query: AuditQuery;
  items: AuditEntry[];
  nextCursor: string | undefined;
}

export function AuditPage() {
  const { t } = useTranslation('audit');
  const [form, setForm] = useState<AuditFilterForm>(NO_FILTER);
  const [listing, setListing] = useState<Listing>();
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  const reversed = daysReversed(form);

  const load = useCallback(async (query: AuditQuery, after?: Listing) => {
    setBusy(true);
    setError(undefined);
    try {
      const page = await call(
        api.GET('/v1/audit', { params: { query: { ...query, limit: PAGE_SIZE, ...(after?.nextCursor && { cursor: after.nextCursor }) } } }),
      );
      setListing({ query, items: [...(after?.items ?? []), ...page.items], nextCursor: page.nextCursor ?? undefined });
    } catch (caught) {
      setError(asApiError(caught));
    } finally {
      setBusy(false);
    }
  }, []);
  useEffect(() => {
    void load({});
  }, [load]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!reversed) void load(auditQuery(form));
  };
  const clear = () => {
    setForm(NO_FILTER);
    void load({});
  };
  const set = (field: keyof AuditFilterForm) => (event: { target: { value: string } }) =>
    setForm((previous) => ({ ...previous, [field]: event.target.value }));
  const retry = () => void (listing?.nextCursor ? load(listing.query, listing) : load(listing?.query ?? {}));

  return (
    <Page title={t('title')}>
      <p>{t('intro')}</p>
      <ErrorSummary error={error} onRetry={retry} />
      <form noValidate onSubmit={submit} className="audit-filter" aria-labelledby="audit-filter-heading">
        <h2 id="audit-filter-heading" className="visually-hidden">
          {t('filter.heading')}
        </h2>
        <Field label={t('filter.actor')} name="actor" problem={error}>
          {(control) => <input {...control} type="text" value={form.actor} onChange={set('actor')} />}
        </Field>
        <Field label={t('filter.action')} name="action" problem={error}>
          {(control) => (
            <select {...control} value={form.action} onChange={set('action')}>
              <option value="">{t('filter.anyAction')}</option>
              {AUDIT_ACTIONS.map((action) => (
                <option key={action} value={action}>
                  {t(`actions.${action}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('filter.subject')} name="subject" problem={error}>
          {(control) => <input {...control} type="text" value={form.subject} onChange={set('subject')} />}
        </Field>
        <Field label={t('filter.from')} name="from" problem={error}>
          {(control) => <input {...control} type="date" value={form.fromDay} onChange={set('fromDay')} />}
        </Field>
        <Field label={t('filter.to')} name="to" problem={error} error={reversed ? t('filter.reversed') : undefined}>
          {(control) => <input {...control} type="date" value={form.toDay} onChange={set('toDay')} />}
        </Field>
        <div className="actions audit-filter__actions">
          <button type="submit" className="button" disabled={busy}>
            {t('filter.apply')}
          </button>
          <button type="button" className="button button--secondary" onClick={clear} disabled={busy}>
            {t('filter.clear')}
          </button>
        </div>
      </form>

      {listing && <AuditTable listing={listing} />}
      {listing?.nextCursor && (
        <div className="actions">
          <button type="button" className="button button--secondary" disabled={busy} onClick={() => void load(listing.query, listing)}>
            {t('common:actions.more')}
          </button>
        </div>
      )}
      {busy && <p role="status">{t('common:loading')}</p>}
    </Page>
  );
}

function AuditTable({ listing }: { listing: Listing }) {
  const { t } = useTranslation('audit');
  if (listing.items.length === 0) return <p className="notice">{Object.keys(listing.query).length > 0 ? t('noneMatching') : t('none')}</p>;
  return (
    <div className="table-wrap">
      <table className="audit-table">
        <caption>{t('caption', { count: listing.items.length })}</caption>
        <thead>
          <tr>
            <th scope="col">{t('column.at')}</th>
            <th scope="col">{t('column.actor')}</th>
            <th scope="col">{t('column.action')}</th>
            <th scope="col">{t('column.subject')}</th>
            <th scope="col">{t('column.details')}</th>
          </tr>
        </thead>
        <tbody>
          {listing.items.map((entry) => (
            <tr key={entry.id}>
              <td className="audit-table__at">{formatDateTime(entry.at)}</td>
              <td>{entry.actor}</td>
              <td>{t(`actions.${entry.action}`, { defaultValue: entry.action })}</td>
              <td>
                <Subject subject={entry.subject} />
              </td>
              <td>
                <Details details={entry.details} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Subject({ subject }: { subject: string }) {
  const path = subjectPath(subject);
  return path ? <Link to={path}>{subject}</Link> : subject;
}

function Details({ details }: { details: Readonly<Record<string, unknown>> | undefined }) {
  const entries = Object.entries(details ?? {});
  if (entries.length === 0) return null;
  return (
    <ul className="audit-details">
      {entries.map(([key, value]) => (
        <li key={key}>
          <span className="audit-details__key">{key}</span>: {typeof value === 'string' ? value : JSON.stringify(value)}
        </li>
      ))}
    </ul>
  );
}
