import { useId, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiError } from '../../api/client';
import { Field } from '../../ui/Field';
import { WholeNumberInput } from '../../ui/WholeNumberInput';
import { NextFires } from './FireTimes';
import {
  defaultOnce,
  expressionFor,
  previewSchedule,
  RATE_UNITS,
  WEEK_DAYS,
  type ScheduleChoice,
  type ScheduleKind,
  type WeekDay,
} from './schedule-builder';

const KINDS: readonly ScheduleKind[] = ['none', 'once', 'every', 'weekly', 'expression'];

/**
 * When the campaign sends: on approval, once at a date and time, every N minutes/hours/days, weekly on
 * some days, or an expression typed by hand. The next five fire times (or why the expression cannot be
 * used) are worked out as the author types, by the same parser the server uses.
 */
export function ScheduleBuilder({
  choice,
  onChange,
  timezone,
  problem,
  now,
}: {
  choice: ScheduleChoice;
  onChange(choice: ScheduleChoice): void;
  timezone: string;
  /** The API's refusal, shown next to the expression when it names schedule.expression. */
  problem: ApiError | undefined;
  now: Date;
}) {
  const { t } = useTranslation('campaigns');
  const legendId = useId();
  const expression = expressionFor(choice);
  const preview = useMemo(
    () => (expression === undefined ? undefined : previewSchedule(expression, timezone, now)),
    [expression, timezone, now],
  );
  const explanation = preview && !preview.ok ? explain(t, preview.problem) : undefined;

  return (
    <fieldset className="field schedule-builder" aria-labelledby={legendId}>
      <legend id={legendId}>{t('schedule.legend')}</legend>
      <p className="field__hint">{t('schedule.hint', { timezone })}</p>
      <div className="choices">
        {KINDS.map((kind) => (
          <label key={kind} className="choice">
            <input
              type="radio"
              name="schedule-kind"
              value={kind}
              checked={choice.kind === kind}
              onChange={() => onChange(initialChoice(kind, choice, defaultOnce(now, timezone)))}
            />{' '}
            {t(`schedule.kind.${kind}`)}
          </label>
        ))}
      </div>

      <div className="schedule-builder__details">
        {choice.kind === 'none' && <p>{t('schedule.noneExplained')}</p>}
        {choice.kind === 'once' && (
          <div className="inline-fields">
            <Field label={t('schedule.date')}>
              {(control) => (
                <input
                  {...control}
                  type="date"
                  value={choice.date}
                  onChange={(event) => onChange({ ...choice, date: event.target.value })}
                />
              )}
            </Field>
            <TimeField time={choice.time} onChange={(time) => onChange({ ...choice, time })} />
          </div>
        )}
        {choice.kind === 'every' && (
          <div className="inline-fields">
            <Field label={t('schedule.every')}>
              {(control) => (
                <WholeNumberInput control={control} value={choice.value} onChange={(value) => onChange({ ...choice, value })} />
              )}
            </Field>
            <Field label={t('schedule.unit')}>
              {(control) => (
                <select
                  {...control}
                  value={choice.unit}
                  onChange={(event) => onChange({ ...choice, unit: event.target.value as (typeof RATE_UNITS)[number] })}
                >
                  {RATE_UNITS.map((unit) => (
                    <option key={unit} value={unit}>
                      {t(`schedule.units.${unit}`)}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <p className="field__hint">{t('schedule.everyHint')}</p>
          </div>
        )}
        {choice.kind === 'weekly' && (
          <>
            <fieldset className="field">
              <legend>{t('schedule.days')}</legend>
              <div className="weekdays">
                {WEEK_DAYS.map((day) => (
                  <label key={day} className="choice">
                    <input
                      type="checkbox"
                      checked={choice.days.includes(day)}
                      onChange={(event) => onChange({ ...choice, days: toggled(choice.days, day, event.target.checked) })}
                    />{' '}
                    {t(`schedule.weekDays.${day}`)}
                  </label>
                ))}
              </div>
            </fieldset>
            <TimeField time={choice.time} onChange={(time) => onChange({ ...choice, time })} />
          </>
        )}
        {choice.kind === 'expression' ? (
          <Field
            label={t('schedule.expression')}
            hint={t('schedule.expressionHint')}
            name="schedule.expression"
            problem={problem}
            error={explanation}
          >
            {(control) => (
              <input
                {...control}
                type="text"
                spellCheck={false}
                autoComplete="off"
                className="input--code"
                value={choice.expression}
                onChange={(event) => onChange({ ...choice, expression: event.target.value })}
              />
            )}
          </Field>
        ) : (
          expression !== undefined && (
            <>
              <p className="schedule-builder__expression">
                {t('schedule.generated')} <code>{expression}</code>
              </p>
              {explanation && <p className="field__error">{explanation}</p>}
              {problem?.fieldMessage('schedule.expression') && (
                <p className="field__error">{problem.fieldMessage('schedule.expression')}</p>
              )}
            </>
          )
        )}
      </div>

      <div className="schedule-builder__preview" aria-live="polite">
        {preview?.ok && <NextFires times={preview.fireTimes} />}
      </div>
    </fieldset>
  );
}

/** The time of day the schedule fires at, on the deployment's wall clock. */
function TimeField({ time, onChange }: { time: string; onChange(time: string): void }) {
  const { t } = useTranslation('campaigns');
  return (
    <Field label={t('schedule.time')}>
      {(control) => <input {...control} type="time" value={time} onChange={(event) => onChange(event.target.value)} />}
    </Field>
  );
}

function explain(
  t: (key: string, values?: Record<string, string>) => string,
  problem: { key: string; values: Record<string, string> },
): string {
  const values = problem.values.field ? { ...problem.values, field: t(`scheduleField.${problem.values.field}`) } : problem.values;
  return t(`scheduleProblem.${problem.key}`, values);
}

function toggled(days: readonly WeekDay[], day: WeekDay, on: boolean): WeekDay[] {
  return on ? [...days.filter((other) => other !== day), day] : days.filter((other) => other !== day);
}

/** Switching kind keeps what can be kept: the typed expression starts from what the builder made. */
function initialChoice(kind: ScheduleKind, from: ScheduleChoice, soon: { date: string; time: string }): ScheduleChoice {
  const time = from.kind === 'once' || from.kind === 'weekly' ? from.time : soon.time;
  switch (kind) {
    case 'none':
      return { kind };
    case 'once':
      return { kind, date: from.kind === 'once' ? from.date : soon.date, time };
    case 'every':
      return { kind, value: '1', unit: 'hours' };
    case 'weekly':
      return { kind, days: ['MON'], time };
    case 'expression':
      return { kind, expression: expressionFor(from) ?? '' };
  }
}
