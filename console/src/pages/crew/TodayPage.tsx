import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, call } from '../../api/client';
import { formatDate, formatTime } from '../../format';
import { ErrorSummary } from '../../ui/ErrorSummary';
import { Page } from '../../ui/Page';
import { StatusTag } from '../../ui/StatusTag';
import { useLoad } from '../../ui/useLoad';
import { rememberedVan, rememberVan } from './crew-van';
import type { Van } from '../tours/tours-api';
import { StopCard } from './StopCard';
import './crew.css';

const REFRESH_MS = 30_000;

/**
 * The crew lead's phone: today's tours of their van, the script in large type, a tap per stop done. The
 * vans are those an operator bound the caller to (an operator sees them all): one is shown at once, among
 * several the phone remembers the choice.
 */
export function TodayPage() {
  const { t } = useTranslation('crew');
  const vans = useLoad(() => call(api.GET('/v1/vans', { params: { query: { limit: 1000 } } })), []);
  const [chosen, setChosen] = useState(rememberedVan);
  const choose = (id: string | undefined) => {
    rememberVan(id);
    setChosen(id);
  };
  const items = vans.data?.items;
  const vanId = items?.length === 1 ? items[0]!.id : items?.find((van) => van.id === chosen)?.id;
  return (
    <Page title={t('title')}>
      <div className="crew">
        <ErrorSummary error={vans.error} onRetry={vans.reload} />
        {items?.length === 0 && <p className="crew__none">{t('noVan')}</p>}
        {items && vanId && <VanDay vanId={vanId} {...(items.length > 1 && { onChangeVan: () => choose(undefined) })} />}
        {items && items.length > 1 && !vanId && <VanPicker vans={items} onChoose={choose} />}
      </div>
    </Page>
  );
}

function VanPicker({ vans, onChoose }: { vans: readonly Van[]; onChoose(vanId: string): void }) {
  const { t } = useTranslation('crew');
  return (
    <>
      <h2>{t('chooseVan')}</h2>
      <ul className="crew__vans">
        {vans.map((van) => (
          <li key={van.id}>
            <button type="button" className="button button--large button--secondary" onClick={() => onChoose(van.id)}>
              {van.plate} · {van.crewLead.name}
            </button>
          </li>
        ))}
      </ul>
    </>
  );
}

function VanDay({ vanId, onChangeVan }: { vanId: string; onChangeVan?: () => void }) {
  const { t } = useTranslation('crew');
  const day = useLoad(
    () => call(api.GET('/v1/vans/{id}/sessions', { params: { path: { id: vanId }, query: { days: 1 } } })),
    [vanId],
    REFRESH_MS,
  );
  const data = day.data;
  return (
    <>
      <ErrorSummary error={day.error} onRetry={day.reload} />
      {data && (
        <>
          <p className="crew__van">
            <span className="crew__plate">{data.plate}</span> {formatDate(`${data.from}T12:00:00Z`)}
            {onChangeVan && (
              <button type="button" className="link-button" onClick={onChangeVan}>
                {t('otherVan')}
              </button>
            )}
          </p>
          {data.sessions.length === 0 && <p className="crew__none">{t('noTours')}</p>}
          {data.sessions.map((session) => (
            <section key={`${session.tourId} ${session.startsAt}`} className="crew__session" aria-labelledby={`tour-${session.tourId}`}>
              <h2 id={`tour-${session.tourId}`}>
                {formatTime(session.startsAt)}–{formatTime(session.endsAt)} · {session.tourName}
              </h2>
              <p>
                {session.run ? <StatusTag status={session.run.status} /> : <span className="tag">{t('notStarted')}</span>}
                {session.priority === 'emergency' && <strong className="crew__emergency"> {t('emergency')}</strong>}
              </p>
              <h3>{t('script', { title: session.script.title })}</h3>
              <p className="crew__script">{session.script.text}</p>
              <p className="crew__reading">
                {t('reading', { count: session.script.repetitionsPerStop, seconds: Math.round(session.script.readingSeconds) })}
              </p>
              <h3>{t('stops')}</h3>
              <ol className="crew__stops">
                {session.stops.map((stop) => (
                  <StopCard
                    key={stop.areaCode}
                    tourId={session.tourId}
                    runId={session.run?.status === 'dispatched' ? session.run.runId : undefined}
                    stop={stop}
                    onConfirmed={day.reload}
                  />
                ))}
              </ol>
              {session.run && session.run.notes.length > 0 && (
                <>
                  <h3>{t('notes')}</h3>
                  <ul>
                    {session.run.notes.map((note) => (
                      <li key={note.at}>
                        {formatTime(note.at)}: {note.text}
                      </li>
                    ))}
                  </ul>
                </>
              )}
            </section>
          ))}
        </>
      )}
    </>
  );
}
