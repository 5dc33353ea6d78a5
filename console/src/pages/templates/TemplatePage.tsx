import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useParams } from 'react-router';
import { type ApiError, asApiError } from '../../api/client';
import { useUser } from '../../auth/AuthContext';
import { hasRole } from '../../auth/user';
import { formatDateTime } from '../../format';
import { ErrorSummary } from '../../ui/ErrorSummary';
import { Page } from '../../ui/Page';
import { StatusTag } from '../../ui/StatusTag';
import { useLoad } from '../../ui/useLoad';
import { decisionRight } from './decision-rights';
import { useIdempotencyKey } from './idempotency-key';
import { addVersion, latestOf, loadTemplate, submitVersion, type TemplateVersion, type TemplateWithVersions } from './template-api';
import { contentOf, draftFrom, sameContent } from './template-draft';
import { TemplateEditor } from './TemplateEditor';
import { VersionDiff } from './VersionDiff';
import { VersionHistory } from './VersionHistory';
import './templates.css';

/** A template: where its latest version stands, a new version for authors, the history and a diff of two. */
export function TemplatePage() {
  const { t } = useTranslation('templates');
  const { id = '' } = useParams();
  const loaded = useLoad(() => loadTemplate(id), [id]);
  if (!loaded.data) {
    return (
      <Page title={t('template.loadingTitle')}>
        <ErrorSummary error={loaded.error} onRetry={loaded.reload} />
        {!loaded.error && <p>{t('common:loading')}</p>}
      </Page>
    );
  }
  return <TemplateView template={loaded.data} loadError={loaded.error} reload={loaded.reload} />;
}

type Outcome = { kind: 'saved' | 'submitted'; version: number };

function TemplateView({
  template,
  loadError,
  reload,
}: {
  template: TemplateWithVersions;
  loadError: ApiError | undefined;
  reload(): void;
}) {
  const { t } = useTranslation('templates');
  const user = useUser();
  const location = useLocation();
  const latest = latestOf(template);
  const [outcome, setOutcome] = useState<Outcome | undefined>(
    (location.state as { saved?: number } | null)?.saved ? { kind: 'saved', version: 1 } : undefined,
  );
  const [problem, setProblem] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  const [draft, setDraft] = useState(() => draftFrom(latest));
  const content = contentOf(draft, template.channel);
  const idempotencyKey = useIdempotencyKey({ template: template.id, after: template.latestVersion, content });
  const isAuthor = hasRole(user, 'author');

  const act = async (action: () => Promise<TemplateWithVersions>, kind: Outcome['kind']) => {
    setBusy(true);
    try {
      const updated = await action();
      setOutcome({ kind, version: updated.latestVersion });
      setProblem(undefined);
      reload();
    } catch (error) {
      setProblem(asApiError(error));
      setOutcome(undefined);
    } finally {
      setBusy(false);
      window.scrollTo(0, 0);
    }
  };
  const saveVersion = () => act(() => addVersion(template.id, content, idempotencyKey), 'saved');
  const submit = () => act(() => submitVersion(template.id, latest.version), 'submitted');

  return (
    <Page title={template.name}>
      <p>
        <Link to="/templates">{t('backToList')}</Link>
      </p>
      <ErrorSummary error={problem ?? loadError} onRetry={problem ? undefined : reload} />
      {outcome && (
        <div className="notice notice--success" role="status">
          <p>
            <strong>{t(`template.${outcome.kind}`, { version: outcome.version })}</strong>
          </p>
          <p>{t(`template.${outcome.kind}Next`)}</p>
        </div>
      )}
      <dl className="summary">
        <dt>{t('template.channel')}</dt>
        <dd>{t(`channel.${template.channel}`)}</dd>
        <dt>{t('template.latest')}</dt>
        <dd>
          {t('history.versionLink', { version: latest.version })} <StatusTag status={latest.status} />
        </dd>
        <dt>{t('template.createdBy')}</dt>
        <dd>{t('template.createdByValue', { who: template.createdBy, at: formatDateTime(template.createdAt) })}</dd>
      </dl>
      <LatestVersionNotice template={template} latest={latest} isAuthor={isAuthor} busy={busy} onSubmit={() => void submit()} />

      {isAuthor && (
        <section aria-labelledby="edit-title">
          <h2 id="edit-title">{t('template.editTitle', { version: template.latestVersion + 1 })}</h2>
          <p>{t('template.editHint')}</p>
          <form
            noValidate
            onSubmit={(event) => {
              event.preventDefault();
              void saveVersion();
            }}
          >
            <TemplateEditor channel={template.channel} draft={draft} onChange={setDraft} problem={problem} />
            <div className="actions">
              <button type="submit" className="button button--secondary" disabled={busy || sameContent(draft, draftFrom(latest))}>
                {t('template.saveVersion', { version: template.latestVersion + 1 })}
              </button>
            </div>
          </form>
        </section>
      )}

      <section aria-labelledby="history-title">
        <h2 id="history-title">{t('history.title')}</h2>
        <VersionHistory templateId={template.id} versions={template.versions} />
      </section>
      <section aria-labelledby="diff-title">
        <h2 id="diff-title">{t('diff.title')}</h2>
        <VersionDiff key={template.latestVersion} versions={template.versions} />
      </section>
    </Page>
  );
}

/** Where the latest version stands, and the one next step it asks of this reader. */
function LatestVersionNotice({
  template,
  latest,
  isAuthor,
  busy,
  onSubmit,
}: {
  template: TemplateWithVersions;
  latest: TemplateVersion;
  isAuthor: boolean;
  busy: boolean;
  onSubmit(): void;
}) {
  const { t } = useTranslation('templates');
  const user = useUser();
  const versionPage = `/templates/${encodeURIComponent(template.id)}/versions/${latest.version}`;
  const values = { version: latest.version };
  switch (latest.status) {
    case 'draft':
      return (
        <div className="notice">
          <p>{t('state.draft', values)}</p>
          {isAuthor && (
            <button type="button" className="button" disabled={busy} onClick={onSubmit}>
              {t('state.submit', values)}
            </button>
          )}
        </div>
      );
    case 'pending_approval': {
      const right = decisionRight(user, latest);
      return (
        <div className="notice notice--warning">
          <p>{t('state.pending', values)}</p>
          {right === 'may-decide' && (
            <p>
              <Link className="button" to={versionPage}>
                {t('state.decide', values)}
              </Link>
            </p>
          )}
          {right === 'own-version' && <p>{t('state.ownVersion')}</p>}
        </div>
      );
    }
    case 'rejected':
      return (
        <div className="notice notice--warning">
          <p>{t('state.rejected', { ...values, who: latest.decidedBy ?? '' })}</p>
          <p>
            <strong>{t('state.reason')}</strong> {latest.rejectionReason}
          </p>
          {isAuthor && <p>{t('state.rejectedNext')}</p>}
        </div>
      );
    case 'superseded':
      return (
        <div className="notice notice--warning">
          <p>{t('state.superseded', values)}</p>
          {isAuthor && <p>{t('state.supersededNext')}</p>}
        </div>
      );
    default:
      return (
        <div className="notice notice--success">
          <p>{t('state.approved', { ...values, who: latest.decidedBy ?? '' })}</p>
        </div>
      );
  }
}
