import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

export interface WorkItem {
  key: string;
  to: string;
  title: string;
  /** Who, when, which version: one line under the title. */
  detail: ReactNode;
  /** The reason of a rejection, quoted. */
  reason?: string | undefined;
}

/** One kind of work (templates, campaigns, tours) as a short list of links, or a plain "nothing". */
export function WorkList({
  title,
  items,
  more,
  moreLink,
  empty,
}: {
  title: string;
  items: readonly WorkItem[];
  more: boolean;
  moreLink: string;
  empty: string;
}) {
  const { t } = useTranslation('home');
  return (
    <div className="work">
      <h3>{title}</h3>
      {items.length === 0 ? (
        <p className="work__empty">{empty}</p>
      ) : (
        <ul className="work__list">
          {items.map((item) => (
            <li key={item.key} className="work__item">
              <Link to={item.to} className="work__title">
                {item.title}
              </Link>
              <span className="work__detail">{item.detail}</span>
              {item.reason && (
                <span className="work__reason">
                  <strong>{t('reason')}</strong> {item.reason}
                </span>
              )}
            </li>
          ))}
        </ul>
      )}
      {more && (
        <p>
          <Link to={moreLink}>{t('seeAll')}</Link>
        </p>
      )}
    </div>
  );
}
