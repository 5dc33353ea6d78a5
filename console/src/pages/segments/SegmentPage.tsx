import { useTranslation } from 'react-i18next';
import { Link, useLocation, useParams } from 'react-router';
import { api, call } from '../../api/client';
import { useUser } from '../../auth/AuthContext';
import { hasRole } from '../../auth/user';
import { formatDateTime } from '../../format';
import { ErrorSummary } from '../../ui/ErrorSummary';
import { Page } from '../../ui/Page';
import { useLoad } from '../../ui/useLoad';
import { loadAllAreas } from '../subscribers/load-areas';
import { SegmentCountsView } from './SegmentCountsView';
import './segments.css';

async function loadSegment(id: string) {
  const [segment, areas] = await Promise.all([call(api.GET('/v1/segments/{id}', { params: { path: { id } } })), loadAllAreas()]);
  return { segment, areas };
}

/** A saved segment: its filter in words and who it reaches now. */
export function SegmentPage() {
  const { t } = useTranslation('segments');
  const { id = '' } = useParams();
  const user = useUser();
  const location = useLocation();
  const created = (location.state as { created?: boolean } | null)?.created === true;
  const loaded = useLoad(() => loadSegment(id), [id]);
  const data = loaded.data;
  if (!data) {
    return (
      <Page title={t('segment.title')}>
        <ErrorSummary error={loaded.error} onRetry={loaded.reload} />
        {!loaded.error && <p>{t('common:loading')}</p>}
      </Page>
    );
  }
  const { segment, areas } = data;
  const names = new Map(areas.map((area) => [area.code, area.name]));
  const list = (items: readonly string[], words: (item: string) => string, none: string) =>
    items.length > 0 ? items.map(words).join(', ') : none;
  return (
    <Page
      title={segment.name}
      actions={
        <>
          {hasRole(user, 'author') && (
            <Link className="button" to={`/campaigns/new?segment=${encodeURIComponent(segment.id)}`}>
              {t('segment.newCampaign')}
            </Link>
          )}
          {hasRole(user, 'author', 'operator') && (
            <Link className="button button--secondary" to="/segments/new">
              {t('list.create')}
            </Link>
          )}
        </>
      }
    >
      {created && (
        <div className="notice notice--success" role="status">
          <p>
            <strong>{t('segment.created')}</strong>
          </p>
          <p>{t('segment.next')}</p>
        </div>
      )}
      <ErrorSummary error={loaded.error} onRetry={loaded.reload} />
      <h2>{t('segment.filter')}</h2>
      <dl className="summary">
        <dt>{t('builder.areas')}</dt>
        <dd>{list(segment.filter.areas, (code) => names.get(code) ?? code, t('segment.everyArea'))}</dd>
        <dt>{t('builder.tags')}</dt>
        <dd>{list(segment.filter.tags, (tag) => tag, t('segment.anyTag'))}</dd>
        <dt>{t('builder.carriers')}</dt>
        <dd>{list(segment.filter.carriers, (carrier) => t(`carriers.${carrier}`), t('segment.everyCarrier'))}</dd>
        <dt>{t('segment.code')}</dt>
        <dd>
          <code>{segment.id}</code>
        </dd>
        <dt>{t('segment.createdBy')}</dt>
        <dd>{t('segment.createdByAt', { who: segment.createdBy, at: formatDateTime(segment.createdAt) })}</dd>
      </dl>
      <h2>{t('segment.countsHeading')}</h2>
      <p className="field__hint">{t('segment.countsHint')}</p>
      <SegmentCountsView counts={segment.counts} areas={areas} />
    </Page>
  );
}
