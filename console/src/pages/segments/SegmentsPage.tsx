import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useUser } from '../../auth/AuthContext';
import { hasRole } from '../../auth/user';
import { formatDateTime } from '../../format';
import { ErrorSummary } from '../../ui/ErrorSummary';
import { Page } from '../../ui/Page';
import { useLoad } from '../../ui/useLoad';
import { loadAllAreas } from '../subscribers/load-areas';
import { firstNames, loadSegments } from './segment-list';
import './segments.css';

async function loadPage() {
  const [segments, areas] = await Promise.all([loadSegments(), loadAllAreas()]);
  return { segments, areaNames: new Map(areas.map((area) => [area.code, area.name])) };
}

/** The saved segments, newest first, each with who it reaches in words; and the way to make a new one. */
export function SegmentsPage() {
  const { t } = useTranslation('segments');
  const user = useUser();
  const loaded = useLoad(loadPage, []);
  const data = loaded.data;

  // A province-wide segment may name hundreds of areas: the cell shows the first few and how many more.
  const areas = (codes: readonly string[], areaNames: Map<string, string>) => {
    const { names, more } = firstNames(codes, (code) => areaNames.get(code) ?? code);
    return more > 0 ? t('list.moreAreas', { names: names.join(', '), count: more }) : names.join(', ');
  };
  const summary = (items: readonly string[], words: (item: string) => string, none: string) =>
    items.length === 0 ? <span className="segments__any">{none}</span> : items.map(words).join(', ');

  return (
    <Page
      title={t('list.title')}
      actions={
        hasRole(user, 'author', 'operator') && (
          <Link to="/segments/new" className="button">
            {t('list.create')}
          </Link>
        )
      }
    >
      <p className="segments__lead">{t('list.intro')}</p>
      <ErrorSummary error={loaded.error} onRetry={loaded.reload} />
      {!data && !loaded.error && <p>{t('common:loading')}</p>}
      {data && data.segments.length === 0 && <p>{t('list.empty')}</p>}
      {data && data.segments.length > 0 && (
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a region that scrolls must take focus, or the keyboard cannot scroll it
        <section className="table-wrap" tabIndex={0} aria-label={t('list.tableLabel')}>
          <table className="segments__table">
            <caption className="visually-hidden">{t('list.tableLabel')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('list.name')}</th>
                <th scope="col">{t('builder.areas')}</th>
                <th scope="col">{t('builder.tags')}</th>
                <th scope="col">{t('builder.carriers')}</th>
                <th scope="col">{t('segment.createdBy')}</th>
              </tr>
            </thead>
            <tbody>
              {data.segments.map((segment) => (
                <tr key={segment.id}>
                  <th scope="row">
                    <Link to={`/segments/${encodeURIComponent(segment.id)}`}>{segment.name}</Link>
                  </th>
                  <td>
                    {segment.filter.areas.length === 0 ? (
                      <span className="segments__any">{t('segment.everyArea')}</span>
                    ) : (
                      areas(segment.filter.areas, data.areaNames)
                    )}
                  </td>
                  <td>{summary(segment.filter.tags, (tag) => tag, t('segment.anyTag'))}</td>
                  <td>{summary(segment.filter.carriers, (carrier) => t(`carriers.${carrier}`), t('segment.everyCarrier'))}</td>
                  <td>{t('segment.createdByAt', { who: segment.createdBy, at: formatDateTime(segment.createdAt) })}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </Page>
  );
}
