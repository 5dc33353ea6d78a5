import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, call } from '../../api/client';
import { useUser } from '../../auth/AuthContext';
import { hasRole } from '../../auth/user';
import { formatDateTime } from '../../format';
import { ErrorSummary } from '../../ui/ErrorSummary';
import { Page } from '../../ui/Page';
import { StatusTag } from '../../ui/StatusTag';
import { useLoad } from '../../ui/useLoad';
import { latestOf, loadTemplate, type TemplateWithVersions } from './template-api';
import './templates.css';

const PAGE_SIZE = 25;

/** Every template with the state of its latest version, a page at a time. */
export function TemplateListPage() {
  const { t } = useTranslation('templates');
  const user = useUser();
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const cursor = cursors.at(-1);
  const list = useLoad(async () => {
    const page = await call(api.GET('/v1/templates', { params: { query: { limit: PAGE_SIZE, ...(cursor && { cursor }) } } }));
    // The list carries no state: each template's versions say where it stands.
    const templates = await Promise.all(page.items.map(({ id }) => loadTemplate(id)));
    return { templates, nextCursor: page.nextCursor ?? undefined };
  }, [cursor]);

  return (
    <Page
      title={t('list.title')}
      actions={
        hasRole(user, 'author') && (
          <Link className="button" to="/templates/new">
            {t('list.new')}
          </Link>
        )
      }
    >
      <p>{t('list.intro')}</p>
      <ErrorSummary error={list.error} onRetry={list.reload} />
      {!list.data && !list.error && <p>{t('common:loading')}</p>}
      {list.data && list.data.templates.length === 0 && <p>{t('list.empty')}</p>}
      {list.data && list.data.templates.length > 0 && <TemplateTable templates={list.data.templates} />}
      <div className="actions">
        {cursors.length > 1 && (
          <button type="button" className="button button--secondary" onClick={() => setCursors(cursors.slice(0, -1))}>
            {t('list.previous')}
          </button>
        )}
        {list.data?.nextCursor && (
          <button type="button" className="button button--secondary" onClick={() => setCursors([...cursors, list.data?.nextCursor])}>
            {t('list.next')}
          </button>
        )}
      </div>
    </Page>
  );
}

function TemplateTable({ templates }: { templates: readonly TemplateWithVersions[] }) {
  const { t } = useTranslation('templates');
  return (
    <div className="table-wrap">
      <table>
        <caption className="visually-hidden">{t('list.title')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('list.name')}</th>
            <th scope="col">{t('list.channel')}</th>
            <th scope="col">{t('list.latest')}</th>
            <th scope="col">{t('list.status')}</th>
            <th scope="col">{t('list.createdBy')}</th>
          </tr>
        </thead>
        <tbody>
          {templates.map((template) => {
            const latest = latestOf(template);
            return (
              <tr key={template.id}>
                <td>
                  <Link to={`/templates/${encodeURIComponent(template.id)}`}>{template.name}</Link>
                </td>
                <td>{t(`channel.${template.channel}`)}</td>
                <td>{t('history.versionLink', { version: latest.version })}</td>
                <td>
                  <StatusTag status={latest.status} />
                </td>
                <td>{t('template.createdByValue', { who: template.createdBy, at: formatDateTime(template.createdAt) })}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
