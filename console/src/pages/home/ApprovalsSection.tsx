import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../format';
import { ErrorSummary } from '../../ui/ErrorSummary';
import { useLoad } from '../../ui/useLoad';
import { campaigns, templateVersions, tours } from './home-api';
import { WorkList } from './WorkList';

const REFRESH_MS = 15_000;

/** For approvers: templates, campaigns and tours waiting for their decision, never their own. */
export function ApprovalsSection() {
  const { t } = useTranslation('home');
  const waiting = useLoad(
    async () => {
      const [versions, pendingCampaigns, pendingTours] = await Promise.all([
        templateVersions({ awaiting: 'me' }),
        campaigns({ awaiting: 'me' }),
        tours({ awaiting: 'me' }),
      ]);
      return { versions, pendingCampaigns, pendingTours };
    },
    [],
    REFRESH_MS,
  );
  const data = waiting.data;
  const submitted = (who: string, at: string | undefined) => t('submittedBy', { who, at: formatDateTime(at) });
  return (
    <section className="home-section" aria-labelledby="approvals-title">
      <h2 id="approvals-title">{t('approvals.title')}</h2>
      <ErrorSummary error={waiting.error} onRetry={waiting.reload} />
      {!data && !waiting.error && <p>{t('common:loading')}</p>}
      {data && (
        <>
          <WorkList
            title={t('approvals.templates')}
            empty={t('approvals.noTemplates')}
            more={data.versions.more}
            moreLink="/templates"
            items={data.versions.items.map((version) => ({
              key: `${version.templateId}/${version.version}`,
              to: `/templates/${encodeURIComponent(version.templateId)}/versions/${version.version}`,
              title: t('versionTitle', { name: version.templateName, version: version.version }),
              detail: submitted(version.author, version.submittedAt),
            }))}
          />
          <WorkList
            title={t('approvals.campaigns')}
            empty={t('approvals.noCampaigns')}
            more={data.pendingCampaigns.more}
            moreLink="/campaigns?state=pending"
            items={data.pendingCampaigns.items.map((campaign) => ({
              key: campaign.id,
              to: `/campaigns/${encodeURIComponent(campaign.id)}`,
              title: campaign.test ? t('testTitle', { name: campaign.name }) : campaign.name,
              detail: submitted(campaign.createdBy, campaign.submittedAt),
            }))}
          />
          <WorkList
            title={t('approvals.tours')}
            empty={t('approvals.noTours')}
            more={data.pendingTours.more}
            moreLink="/vans"
            items={data.pendingTours.items.map((tour) => ({
              key: tour.id,
              to: `/tours/${encodeURIComponent(tour.id)}`,
              title: tour.name,
              detail: submitted(tour.createdBy, tour.submittedAt),
            }))}
          />
        </>
      )}
    </section>
  );
}
