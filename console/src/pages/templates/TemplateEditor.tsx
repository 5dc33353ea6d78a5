import { useTranslation } from 'react-i18next';
import type { ApiError } from '../../api/client';
import { Field } from '../../ui/Field';
import { WholeNumberInput } from '../../ui/WholeNumberInput';
import { CounterPanel } from './CounterPanel';
import { PlaceholderFields } from './PlaceholderFields';
import { undeclaredPlaceholders } from './template-counter';
import { declaredPlaceholders, placeholderDraft, type Channel, type TemplateDraft } from './template-draft';

/**
 * The text of a template and what it costs, side by side: the body, its placeholders (SMS) or readings at
 * each stop (loudspeaker), and the live counter. The draft lives in the page, so an API error loses nothing.
 */
export function TemplateEditor({
  channel,
  draft,
  onChange,
  problem,
}: {
  channel: Channel;
  draft: TemplateDraft;
  onChange(draft: TemplateDraft): void;
  problem: ApiError | undefined;
}) {
  const { t } = useTranslation('templates');
  const placeholders = declaredPlaceholders(draft);
  const undeclared = channel === 'sms' ? undeclaredPlaceholders(draft.body, placeholders) : [];
  return (
    <div className="editor">
      <div className="editor__text">
        <Field
          label={channel === 'sms' ? t('editor.smsBody') : t('editor.scriptBody')}
          hint={channel === 'sms' ? t('editor.smsBodyHint', { sample: `{{${t('editor.sampleName')}}}` }) : t('editor.scriptBodyHint')}
          name="body"
          problem={problem}
        >
          {(control) => (
            <textarea
              {...control}
              className="editor__body"
              rows={8}
              value={draft.body}
              onChange={(event) => onChange({ ...draft, body: event.target.value })}
            />
          )}
        </Field>
        {undeclared.length > 0 && (
          <div className="notice notice--warning">
            <p>{t('editor.undeclared', { names: undeclared.map((name) => `{{${name}}}`).join(', ') })}</p>
            <button
              type="button"
              className="button button--secondary"
              onClick={() =>
                onChange({ ...draft, placeholders: [...draft.placeholders, ...undeclared.map((name) => placeholderDraft(name))] })
              }
            >
              {t('editor.declare', { count: undeclared.length })}
            </button>
          </div>
        )}
        {channel === 'sms' ? (
          <PlaceholderFields
            placeholders={draft.placeholders}
            onChange={(next) => onChange({ ...draft, placeholders: next })}
            problem={problem}
          />
        ) : (
          <Field label={t('editor.repetitions')} hint={t('editor.repetitionsHint')} name="repetitionsPerStop" problem={problem}>
            {(control) => (
              <WholeNumberInput
                control={control}
                max={10}
                value={draft.repetitionsPerStop}
                onChange={(repetitionsPerStop) => onChange({ ...draft, repetitionsPerStop })}
              />
            )}
          </Field>
        )}
      </div>
      <div className="editor__counter">
        <CounterPanel
          channel={channel}
          body={draft.body}
          placeholders={placeholders}
          repetitionsPerStop={Number(draft.repetitionsPerStop)}
        />
      </div>
    </div>
  );
}
