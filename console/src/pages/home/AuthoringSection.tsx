import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../format';
import { ErrorSummary } from '../../ui/ErrorSummary';
import { useLoad } from '../../ui/useLoad';
import { campaigns, templateVersions, tours } from './home-api';
import { currentVersions, splitSentBack } from './home-sections';
import { WorkList, type WorkItem } from './WorkList';

const REFRESH_MS = 15_000;

/**
 * For authors: their drafts still to finish and submit, and what an approver sent back, with the reason.
 * A rejected campaign or tour goes back to draft carrying its reason; a rejected template version stays
 * rejected until the author writes a newer one.
 */
export function AuthoringSection() {
  const { t } = useTranslation('home');
  const mine = useLoad(
    async () => {
      const [versions, draftCampaigns, draftTours] = await Promise.all([
        templateVersions({ createdBy: 'me', status: 'draft,rejected' }),
        campaigns({ createdBy: 'me', status: 'draft' }),
        tours({ createdBy: 'me', status: 'draft' }),
      ]);
      return { versions, draftCampaigns, draftTours };
    },
    [],
    REFRESH_MS,
  );
  const data = mine.data;
  if (!data) {
    return (
      <section className="home-section" aria-labelledby="authoring-title">
        <h2 id="authoring-title">{t('authoring.drafts')}</h2>
        <ErrorSummary error={mine.error} onRetry={mine.reload} />
        {!mine.error && <p>{t('common:loading')}</p>}
      </section>
    );
  }

  const current = currentVersions(data.versions.items);
  const versionItem = (version: (typeof current)[number], detail: string): WorkItem => ({
    key: `${version.templateId}/${version.version}`,
    to: `/templates/${encodeURIComponent(version.templateId)}`,
    title: t('versionTitle', { name: version.templateName, version: version.version }),
    detail,
    reason: version.rejectionReason,
  });
  const draftVersions = current
    .filter(({ status }) => status === 'draft')
    .map((version) => versionItem(version, t('writtenAt', { at: formatDateTime(version.createdAt) })));
  const rejectedVersions = current
    .filter(({ status }) => status === 'rejected')
    .map((version) => versionItem(version, t('rejectedBy', { who: version.decidedBy ?? '', at: formatDateTime(version.decidedAt) })));
  const reviewed = (
    item: {
      id: string;
      name: string;
      createdAt: string;
      rejectionReason?: string | undefined;
      decidedBy?: string | undefined;
      decidedAt?: string | undefined;
    },
    path: string,
  ): WorkItem => ({
    key: item.id,
    to: `${path}/${encodeURIComponent(item.id)}`,
    title: item.name,
    detail: item.rejectionReason
      ? t('rejectedBy', { who: item.decidedBy ?? '', at: formatDateTime(item.decidedAt) })
      : t('writtenAt', { at: formatDateTime(item.createdAt) }),
    reason: item.rejectionReason,
  });
  const campaignItems = splitSentBack(data.draftCampaigns.items);
  const tourItems = splitSentBack(data.draftTours.items);
  const campaignWork = {
    drafts: campaignItems.drafts.map((item) => reviewed(item, '/campaigns')),
    rejected: campaignItems.sentBack.map((item) => reviewed(item, '/campaigns')),
  };
  const tourWork = {
    drafts: tourItems.drafts.map((item) => reviewed(item, '/tours')),
    rejected: tourItems.sentBack.map((item) => reviewed(item, '/tours')),
  };
  const rejectedCount = rejectedVersions.length + campaignWork.rejected.length + tourWork.rejected.length;

  return (
    <>
      <section className="home-section" aria-labelledby="rejected-title">
        <h2 id="rejected-title">{t('authoring.rejected')}</h2>
        <ErrorSummary error={mine.error} onRetry={mine.reload} />
        {rejectedCount === 0 ? (
          <p>{t('authoring.noneRejected')}</p>
        ) : (
          <>
            <p>{t('authoring.rejectedHint')}</p>
            {rejectedVersions.length > 0 && (
              <WorkList title={t('kinds.templates')} items={rejectedVersions} more={false} moreLink="/templates" empty="" />
            )}
            {campaignWork.rejected.length > 0 && (
              <WorkList title={t('kinds.campaigns')} items={campaignWork.rejected} more={false} moreLink="/campaigns" empty="" />
            )}
            {tourWork.rejected.length > 0 && (
              <WorkList title={t('kinds.tours')} items={tourWork.rejected} more={false} moreLink="/vans" empty="" />
            )}
          </>
        )}
      </section>
      <section className="home-section" aria-labelledby="authoring-title">
        <h2 id="authoring-title">{t('authoring.drafts')}</h2>
        <WorkList
          title={t('kinds.templates')}
          items={draftVersions}
          more={data.versions.more}
          moreLink="/templates"
          empty={t('authoring.noTemplateDrafts')}
        />
        <WorkList
          title={t('kinds.campaigns')}
          items={campaignWork.drafts}
          more={data.draftCampaigns.more}
          moreLink="/campaigns?state=draft"
          empty={t('authoring.noCampaignDrafts')}
        />
        <WorkList
          title={t('kinds.tours')}
          items={tourWork.drafts}
          more={data.draftTours.more}
          moreLink="/vans"
          empty={t('authoring.noTourDrafts')}
        />
      </section>
    </>
  );
}
