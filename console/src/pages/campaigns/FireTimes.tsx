import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../format';
import { previewSchedule } from './schedule-builder';

/** A campaign's schedule and its next five fire times, worked out by the core's own parser. */
export function FireTimes({
  schedule,
  nextFireAt,
}: {
  schedule: { expression: string; timezone: string } | undefined;
  nextFireAt?: string | undefined;
}) {
  const { t } = useTranslation('campaigns');
  const preview = useMemo(() => {
    if (!schedule) return undefined;
    const start = nextFireAt ? new Date(nextFireAt) : undefined;
    return previewSchedule(schedule.expression, schedule.timezone, start && start < new Date() ? start : new Date(), 5, start);
  }, [schedule, nextFireAt]);
  if (!schedule) return <p>{t('schedule.noneExplained')}</p>;
  return (
    <>
      <p>
        <code>{schedule.expression}</code> <span className="muted">({schedule.timezone})</span>
      </p>
      {preview?.ok ? <NextFires times={preview.fireTimes} /> : <p>{t('schedule.noMoreFires')}</p>}
    </>
  );
}

/** The next fire times of a schedule, under their heading. */
export function NextFires({ times }: { times: readonly Date[] }) {
  const { t } = useTranslation('campaigns');
  return (
    <>
      <h3>{t('schedule.nextFires')}</h3>
      <ol className="fire-times">
        {times.map((time) => (
          <li key={time.toISOString()}>{formatDateTime(time)}</li>
        ))}
      </ol>
    </>
  );
}
