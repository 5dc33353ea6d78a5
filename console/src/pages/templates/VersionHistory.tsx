import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { formatDateTime } from '../../format';
import { StatusTag } from '../../ui/StatusTag';
import type { TemplateVersion } from './template-api';

/** Every version of a template, newest first: its state, who wrote it and who decided. */
export function VersionHistory({ templateId, versions }: { templateId: string; versions: readonly TemplateVersion[] }) {
  const { t } = useTranslation('templates');
  const newestFirst = [...versions].sort((a, b) => b.version - a.version);
  return (
    <div className="table-wrap">
      <table>
        <caption className="visually-hidden">{t('history.title')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('history.version')}</th>
            <th scope="col">{t('history.status')}</th>
            <th scope="col">{t('history.author')}</th>
            <th scope="col">{t('history.createdAt')}</th>
            <th scope="col">{t('history.decidedBy')}</th>
            <th scope="col">{t('history.reason')}</th>
          </tr>
        </thead>
        <tbody>
          {newestFirst.map((version) => (
            <tr key={version.version}>
              <td>
                <Link to={`/templates/${encodeURIComponent(templateId)}/versions/${version.version}`}>
                  {t('history.versionLink', { version: version.version })}
                </Link>
              </td>
              <td>
                <StatusTag status={version.status} />
              </td>
              <td>{version.author}</td>
              <td>{formatDateTime(version.createdAt)}</td>
              <td>{version.decidedBy ? t('history.decided', { who: version.decidedBy, at: formatDateTime(version.decidedAt) }) : ''}</td>
              <td>{version.rejectionReason ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
