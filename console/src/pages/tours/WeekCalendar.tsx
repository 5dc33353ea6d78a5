import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { formatDate, formatTime, getTimeZone } from '../../format';
import { StatusTag } from '../../ui/StatusTag';
import type { Van, VanSession } from './tours-api';
import { byDay, weekDays } from './week';

interface Row {
  van: Van;
  sessions: VanSession[];
}

const WEEKDAY_KEYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

/** Vans as rows, days as columns, tours as blocks in their cell; what a run came to is on its block. */
export function WeekCalendar({ monday, rows }: { monday: string; rows: readonly Row[] }) {
  const { t } = useTranslation('tours');
  const days = weekDays(monday);
  const timezone = getTimeZone();
  return (
    <div className="table-wrap">
      <table className="week">
        <caption>{t('weekCaption', { from: formatDate(`${days[0]}T12:00:00Z`), to: formatDate(`${days[6]}T12:00:00Z`) })}</caption>
        <thead>
          <tr>
            <th scope="col">{t('van')}</th>
            {days.map((day, index) => (
              <th scope="col" key={day}>
                {t(`weekdays.${WEEKDAY_KEYS[index]}`)} {formatDate(`${day}T12:00:00Z`).slice(0, 5)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map(({ van, sessions }) => {
            const cells = byDay(sessions, days, timezone);
            return (
              <tr key={van.id}>
                <th scope="row">
                  {van.plate}
                  {van.status === 'maintenance' && (
                    <>
                      {' '}
                      <StatusTag status="maintenance" />
                    </>
                  )}
                </th>
                {days.map((day) => (
                  <td key={day}>
                    {cells.get(day)!.map((session) => (
                      <Link
                        key={`${session.tourId} ${session.startsAt}`}
                        className={
                          `tour-block tour-block--${session.run?.status ?? session.tourStatus}` +
                          (session.priority === 'emergency' ? ' tour-block--emergency' : '')
                        }
                        to={`/tours/${session.tourId}`}
                      >
                        <span className="tour-block__time">
                          {formatTime(session.startsAt)}–{formatTime(session.endsAt)}
                        </span>
                        <span className="tour-block__name">{session.tourName}</span>
                        <span className="tour-block__state">{t(`common:status.${session.run?.status ?? session.tourStatus}`)}</span>
                      </Link>
                    ))}
                  </td>
                ))}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
