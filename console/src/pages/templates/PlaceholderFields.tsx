import { useTranslation } from 'react-i18next';
import type { ApiError } from '../../api/client';
import { Field } from '../../ui/Field';
import { WholeNumberInput } from '../../ui/WholeNumberInput';
import { placeholderDraft, type PlaceholderDraft } from './template-draft';

/** The {{name}} placeholders of an SMS template, each with the longest value it accepts. */
export function PlaceholderFields({
  placeholders,
  onChange,
  problem,
}: {
  placeholders: PlaceholderDraft[];
  onChange(placeholders: PlaceholderDraft[]): void;
  problem: ApiError | undefined;
}) {
  const { t } = useTranslation('templates');
  const update = (key: number, change: Partial<PlaceholderDraft>) =>
    onChange(placeholders.map((placeholder) => (placeholder.key === key ? { ...placeholder, ...change } : placeholder)));
  return (
    <fieldset className="placeholders" data-field="placeholders">
      <legend>{t('placeholders.title')}</legend>
      <p className="field__hint">{t('placeholders.hint')}</p>
      {problem?.fieldMessage('placeholders') && <p className="field__error">{problem.fieldMessage('placeholders')}</p>}
      {placeholders.map((placeholder, index) => (
        <div className="placeholders__row" key={placeholder.key}>
          <Field label={t('placeholders.name', { number: index + 1 })} name={`placeholders.${index}.name`} problem={problem}>
            {(control) => (
              <input
                {...control}
                type="text"
                autoComplete="off"
                spellCheck={false}
                value={placeholder.name}
                onChange={(event) => update(placeholder.key, { name: event.target.value })}
              />
            )}
          </Field>
          <Field label={t('placeholders.maxLength', { number: index + 1 })} name={`placeholders.${index}.maxLength`} problem={problem}>
            {(control) => (
              <WholeNumberInput
                control={control}
                max={1600}
                value={placeholder.maxLength}
                onChange={(maxLength) => update(placeholder.key, { maxLength })}
              />
            )}
          </Field>
          <button
            type="button"
            className="button button--secondary placeholders__remove"
            onClick={() => onChange(placeholders.filter(({ key }) => key !== placeholder.key))}
          >
            {t('placeholders.remove', { name: placeholder.name || index + 1 })}
          </button>
        </div>
      ))}
      <button type="button" className="button button--secondary" onClick={() => onChange([...placeholders, placeholderDraft()])}>
        {t('placeholders.add')}
      </button>
    </fieldset>
  );
}
