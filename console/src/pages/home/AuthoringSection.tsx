import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../format';
import { ErrorSummary } from '../../ui/ErrorSummary';
import { useLoad } from '../../ui/useLoad';
import { campaigns, templateVersions, tours } from './home-api';
import { currentVersions, splitSentBack } from './home-sections';
import { WorkList, type WorkItem } from './WorkList';

const REFRESH_MS = 15_000;

/** A draft campaign or tour: sent back by an approver when it carries a reason. */
interface Reviewable {
  id: string;
  name: string;
  createdAt: string;
  rejectionReason?: string | undefined;
  decidedBy?: string | undefined;
  decidedAt?: string | undefined;
}

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
  const reviewed = (item: Reviewable, path: string): WorkItem => ({
    key: item.id,
    to: `${path}/${encodeURIComponent(item.id)}`,
    title: item.name,
    detail: item.rejectionReason
      ? t('rejectedBy', { who: item.decidedBy ?? '', at: formatDateTime(item.decidedAt) })
      : t('writtenAt', { at: formatDateTime(item.createdAt) }),
    reason: item.rejectionReason,
  });
  const work = (items: readonly Reviewable[], path: string) => {
    const { drafts, sentBack } = splitSentBack(items);
    return { drafts: drafts.map((item) => reviewed(item, path)), rejected: sentBack.map((item) => reviewed(item, path)) };
  };
  const kinds = [
    {
      kind: 'templates',
      drafts: draftVersions,
      rejected: rejectedVersions,
      more: data.versions.more,
      listLink: '/templates',
      draftsLink: '/templates',
      noDrafts: t('authoring.noTemplateDrafts'),
    },
    {
      kind: 'campaigns',
      ...work(data.draftCampaigns.items, '/campaigns'),
      more: data.draftCampaigns.more,
      listLink: '/campaigns',
      draftsLink: '/campaigns?state=draft',
      noDrafts: t('authoring.noCampaignDrafts'),
    },
    {
      kind: 'tours',
      ...work(data.draftTours.items, '/tours'),
      more: data.draftTours.more,
      listLink: '/vans',
      draftsLink: '/vans',
      noDrafts: t('authoring.noTourDrafts'),
    },
  ];
  const rejectedCount = kinds.reduce((sum, { rejected }) => sum + rejected.length, 0);

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
            {kinds
              .filter(({ rejected }) => rejected.length > 0)
              .map(({ kind, rejected, listLink }) => (
                <WorkList key={kind} title={t(`kinds.${kind}`)} items={rejected} more={false} moreLink={listLink} empty="" />
              ))}
          </>
        )}
      </section>
      <section className="home-section" aria-labelledby="authoring-title">
        <h2 id="authoring-title">{t('authoring.drafts')}</h2>
        {kinds.map(({ kind, drafts, more, draftsLink, noDrafts }) => (
          <WorkList key={kind} title={t(`kinds.${kind}`)} items={drafts} more={more} moreLink={draftsLink} empty={noDrafts} />
        ))}
      </section>
    </>
  );
}
