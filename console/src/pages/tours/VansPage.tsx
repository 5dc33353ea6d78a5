import { useState } from 'react';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useUser } from '../../auth/AuthContext';
import { hasRole } from '../../auth/user';
import { getTimeZone } from '../../format';
import { ErrorSummary } from '../../ui/ErrorSummary';
import { Page } from '../../ui/Page';
import { useLoad } from '../../ui/useLoad';
import { VanList } from './VanList';
import { WeekCalendar } from './WeekCalendar';
import { addDays, localDay, mondayOf } from './week';
import { weekOfVans } from './tours-api';
import './tours.css';

/** Vans and the week of their tours; authors plan a tour from here, operators register vans. */
export function VansPage() {
  const { t } = useTranslation('tours');
  const user = useUser();
  const [monday, setMonday] = useState(() => mondayOf(localDay(new Date(), getTimeZone())));
  const week = useLoad(() => weekOfVans(monday), [monday], 30_000);
  return (
    <Page
      title={t('vansTitle')}
      actions={
        <>
          {hasRole(user, 'author') && (
            <Link className="button" to="/tours/new">
              {t('planTour')}
            </Link>
          )}
          {hasRole(user, 'operator') && (
            <Link className="button button--secondary" to="/vans/new">
              {t('registerVan')}
            </Link>
          )}
        </>
      }
    >
      <ErrorSummary error={week.error} onRetry={week.reload} />
      <h2>{t('weekTitle')}</h2>
      <div className="actions">
        <button type="button" className="button button--secondary" onClick={() => setMonday(addDays(monday, -7))}>
          {t('previousWeek')}
        </button>
        <button type="button" className="button button--secondary" onClick={() => setMonday(mondayOf(localDay(new Date(), getTimeZone())))}>
          {t('thisWeek')}
        </button>
        <button type="button" className="button button--secondary" onClick={() => setMonday(addDays(monday, 7))}>
          {t('nextWeek')}
        </button>
      </div>
      {week.data && <WeekCalendar monday={monday} rows={week.data} />}
      <h2>{t('vansList')}</h2>
      {week.data && <VanList vans={week.data.map((row) => row.van)} onChanged={week.reload} />}
    </Page>
  );
}
