import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatNumber } from '../../format';
import { countScript, countSms, type Placeholder } from './template-counter';
import type { Channel } from './template-draft';

/** Screen readers hear the figures once the author pauses, not at every key. */
const ANNOUNCE_AFTER_MS = 800;

/**
 * What the text costs, updated as the author types: for an SMS the characters, encoding, parts and parts
 * without diacritics, and the text without diacritics; for a loudspeaker script how long one reading takes.
 */
export function CounterPanel({
  channel,
  body,
  placeholders,
  repetitionsPerStop,
}: {
  channel: Channel;
  body: string;
  placeholders: readonly Placeholder[];
  repetitionsPerStop?: number;
}) {
  const { t } = useTranslation('templates');
  return (
    <section className="counter" aria-labelledby="counter-title">
      <h2 id="counter-title">{t('counter.title')}</h2>
      {channel === 'sms' ? (
        <SmsCounter body={body} placeholders={placeholders} />
      ) : (
        <ScriptCounter body={body} repetitionsPerStop={repetitionsPerStop} />
      )}
    </section>
  );
}

function SmsCounter({ body, placeholders }: { body: string; placeholders: readonly Placeholder[] }) {
  const { t, i18n } = useTranslation('templates');
  const count = countSms(body, placeholders);
  const number = (value: number) => formatNumber(value, i18n.language);
  return (
    <>
      <Figures
        rows={[
          ['characters', t('counter.characters'), number(count.characters)],
          ['encoding', t('counter.encoding'), count.encoding],
          ['parts', t('counter.parts'), number(count.parts)],
          ['partsWithoutDiacritics', t('counter.partsWithoutDiacritics'), number(count.partsWithoutDiacritics)],
        ]}
        summary={t('counter.smsSummary', { ...count, characters: number(count.characters) })}
      />
      <p className="counter__hint">{placeholders.length > 0 ? t('counter.atMaximum') : t('counter.smsHint')}</p>
      {count.problems.length > 0 && (
        <div className="notice notice--warning">
          <p>{t('counter.problems')}</p>
          <ul>
            {count.problems.map(({ field, message }) => (
              <li key={field + message}>{message}</li>
            ))}
          </ul>
        </div>
      )}
      <h3>{t('counter.withoutDiacritics')}</h3>
      <p className="counter__preview" data-testid="without-diacritics">
        {count.withoutDiacritics || <span className="counter__empty">{t('counter.empty')}</span>}
      </p>
    </>
  );
}

function ScriptCounter({ body, repetitionsPerStop }: { body: string; repetitionsPerStop: number | undefined }) {
  const { t, i18n } = useTranslation('templates');
  const count = countScript(body);
  const repetitions = repetitionsPerStop !== undefined && repetitionsPerStop >= 1 ? repetitionsPerStop : 1;
  return (
    <>
      <Figures
        rows={[
          ['characters', t('counter.characters'), formatNumber(count.characters, i18n.language)],
          ['reading', t('counter.reading'), t('counter.seconds', { count: count.readingSeconds })],
          ['perStop', t('counter.perStop', { count: repetitions }), t('counter.seconds', { count: count.readingSeconds * repetitions })],
        ]}
        summary={t('counter.scriptSummary', { characters: count.characters, seconds: count.readingSeconds })}
      />
      <p className="counter__hint">{t('counter.scriptHint', { wordsPerMinute: count.wordsPerMinute })}</p>
    </>
  );
}

function Figures({ rows, summary }: { rows: [key: string, label: string, value: string][]; summary: string }) {
  const announced = useSettled(summary);
  return (
    <>
      <dl className="counter__figures">
        {rows.map(([key, label, value]) => (
          <div key={key} className="counter__figure" data-figure={key}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      <p className="visually-hidden" aria-live="polite">
        {announced}
      </p>
    </>
  );
}

function useSettled(value: string): string {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ANNOUNCE_AFTER_MS);
    return () => clearTimeout(timer);
  }, [value]);
  return settled;
}
