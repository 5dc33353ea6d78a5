import { useTranslation } from 'react-i18next';
import { formatNumber } from '../../format';
import { ErrorSummary } from '../../ui/ErrorSummary';
import { useLoad } from '../../ui/useLoad';
import { EVERYONE, previewSegment } from '../segments/segment-preview';
import { buildAreaTree, totalCount, type AreaNode, type AreaRecord } from './area-tree';

/** The area tree with how many subscribers can be reached in each area and below it; counted again when `countedAfter` changes. */
export function AreaCountsSection({ areas, countedAfter }: { areas: readonly AreaRecord[]; countedAfter: number }) {
  const { t, i18n } = useTranslation('subscribers');
  const counts = useLoad(() => previewSegment(EVERYONE), [countedAfter]);
  const roots = buildAreaTree(areas, counts.data?.byArea ?? {});
  return (
    <section aria-labelledby="areas-heading" className="subscribers__section">
      <h2 id="areas-heading">{t('areas.heading')}</h2>
      <p>{t('areas.hint')}</p>
      <ErrorSummary error={counts.error} onRetry={counts.reload} />
      {roots.length === 0 ? (
        <p>{t('areas.empty')}</p>
      ) : (
        <>
          {counts.data && (
            <p>{t('areas.total', { count: totalCount(roots), formatted: formatNumber(totalCount(roots), i18n.language) })}</p>
          )}
          <ul className="area-tree">
            {roots.map((node) => (
              <AreaItem key={node.code} node={node} counted={counts.data !== undefined} />
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

function AreaItem({ node, counted }: { node: AreaNode; counted: boolean }) {
  const { t, i18n } = useTranslation('subscribers');
  const label = (
    <>
      <span className="area-tree__name">{node.name}</span> <span className="muted">{node.code}</span>
      {node.quiet && <span className="tag">{t('areas.quiet')}</span>}
      {counted && (
        <span className="area-tree__count">
          {t('areas.people', { count: node.count, formatted: formatNumber(node.count, i18n.language) })}
        </span>
      )}
    </>
  );
  if (node.children.length === 0) return <li className="area-tree__leaf">{label}</li>;
  return (
    <li>
      <details open={node.depth === 0}>
        <summary>{label}</summary>
        <ul>
          {node.children.map((child) => (
            <AreaItem key={child.code} node={child} counted={counted} />
          ))}
        </ul>
      </details>
    </li>
  );
}
