import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { useUser } from '../../auth/AuthContext';
import { formatDateTime } from '../../format';
import { ErrorSummary } from '../../ui/ErrorSummary';
import { Page } from '../../ui/Page';
import { StatusTag } from '../../ui/StatusTag';
import { TableHead } from '../../ui/TableHead';
import { useLoad } from '../../ui/useLoad';
import { CounterPanel } from './CounterPanel';
import { DecisionForm, type Decision } from './DecisionForm';
import { decisionRight } from './decision-rights';
import { loadTemplate } from './template-api';
import './templates.css';

/**
 * Exactly one version of a template: its text, what it costs, its placeholders and its review. This is where
 * an approver decides, on the version shown and no other (the decision names it).
 */
export function TemplateVersionPage() {
  const { t } = useTranslation('templates');
  const user = useUser();
  const { id = '', version: versionParam = '' } = useParams();
  const number = Number(versionParam);
  const loaded = useLoad(() => loadTemplate(id), [id]);
  const [decision, setDecision] = useState<Decision>();
  const template = loaded.data;
  const version = template?.versions.find((candidate) => candidate.version === number);
  const title = template ? t('version.title', { name: template.name, version: number }) : t('template.loadingTitle');

  if (!template || !version) {
    return (
      <Page title={title}>
        <ErrorSummary error={loaded.error} onRetry={loaded.reload} />
        {!loaded.error && <p>{template ? t('version.missing', { version: versionParam }) : t('common:loading')}</p>}
      </Page>
    );
  }
  const templatePage = `/templates/${encodeURIComponent(template.id)}`;
  const right = decisionRight(user, version);
  return (
    <Page title={title}>
      <p>
        <Link to={templatePage}>{t('version.backToTemplate', { name: template.name })}</Link>
      </p>
      <ErrorSummary error={loaded.error} onRetry={loaded.reload} />
      {decision && (
        <div className="notice notice--success" role="status">
          <p>
            <strong>{t(`decision.${decision}`, { version: version.version })}</strong>
          </p>
          <p>{t(`decision.${decision}Next`)}</p>
        </div>
      )}
      {version.status === 'superseded' && (
        <div className="notice notice--warning">
          <p>{t('state.superseded', { version: version.version })}</p>
        </div>
      )}
      {template.latestVersion !== version.version && (
        <div className="notice notice--warning">
          <p>{t('version.notLatest', { latest: template.latestVersion })}</p>
        </div>
      )}
      <dl className="summary">
        <dt>{t('version.status')}</dt>
        <dd>
          <StatusTag status={version.status} />
        </dd>
        <dt>{t('template.channel')}</dt>
        <dd>{t(`channel.${template.channel}`)}</dd>
        <dt>{t('version.author')}</dt>
        <dd>{t('template.createdByValue', { who: version.author, at: formatDateTime(version.createdAt) })}</dd>
        {version.submittedAt && (
          <>
            <dt>{t('version.submittedAt')}</dt>
            <dd>{formatDateTime(version.submittedAt)}</dd>
          </>
        )}
        {version.decidedBy && (
          <>
            <dt>{t('version.decidedBy')}</dt>
            <dd>{t('history.decided', { who: version.decidedBy, at: formatDateTime(version.decidedAt) })}</dd>
          </>
        )}
        {version.rejectionReason && (
          <>
            <dt>{t('state.reason')}</dt>
            <dd>{version.rejectionReason}</dd>
          </>
        )}
      </dl>

      <div className="editor">
        <section className="editor__text" aria-labelledby="text-title">
          <h2 id="text-title">{template.channel === 'sms' ? t('version.smsText') : t('version.scriptText')}</h2>
          <p className="version__body" data-testid="version-body">
            {version.body}
          </p>
          {template.channel === 'sms' && (
            <>
              <h3>{t('placeholders.title')}</h3>
              {version.placeholders.length === 0 ? (
                <p>{t('version.noPlaceholders')}</p>
              ) : (
                <table>
                  <TableHead columns={[{ label: t('version.placeholder') }, { label: t('version.maxLength'), number: true }]} />
                  <tbody>
                    {version.placeholders.map(({ name, maxLength }) => (
                      <tr key={name}>
                        <td>
                          <code>{`{{${name}}}`}</code>
                        </td>
                        <td className="number">{maxLength}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </>
          )}
          {version.repetitionsPerStop !== undefined && <p>{t('version.repetitions', { count: version.repetitionsPerStop })}</p>}
        </section>
        <div className="editor__counter">
          <CounterPanel
            channel={template.channel}
            body={version.body}
            placeholders={version.placeholders}
            repetitionsPerStop={version.repetitionsPerStop}
          />
        </div>
      </div>

      {right === 'may-decide' && !decision && (
        <DecisionForm
          templateId={template.id}
          version={version.version}
          onDecided={(made) => {
            setDecision(made);
            loaded.reload();
            window.scrollTo(0, 0);
          }}
        />
      )}
      {right === 'own-version' && (
        <div className="notice notice--warning">
          <p>{t('state.ownVersion')}</p>
        </div>
      )}
    </Page>
  );
}
