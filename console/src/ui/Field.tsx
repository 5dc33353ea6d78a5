import { useId, type ReactNode } from 'react';
import type { ApiError } from '../api/client';

export interface FieldControlProps {
  id: string;
  'aria-describedby'?: string;
  'aria-invalid'?: boolean;
}

/**
 * A labelled control with its hint and its error: the API's problem naming this field (`name`, a dotted
 * path) is shown right here, and the control is marked invalid.
 */
export function Field({
  label,
  hint,
  name,
  problem,
  error,
  children,
}: {
  label: ReactNode;
  hint?: ReactNode;
  /** The field as the API names it in problem errors. */
  name?: string;
  problem?: ApiError | undefined;
  /** An error found by the console itself. */
  error?: string | undefined;
  children: (control: FieldControlProps) => ReactNode;
}) {
  const id = useId();
  const message = error ?? (name ? problem?.fieldMessage(name) : undefined);
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = message ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  return (
    <div className={message ? 'field field--error' : 'field'} data-field={name}>
      <label htmlFor={id}>{label}</label>
      {hint && (
        <p className="field__hint" id={hintId}>
          {hint}
        </p>
      )}
      {message && (
        <p className="field__error" id={errorId}>
          {message}
        </p>
      )}
      {children({ id, ...(describedBy && { 'aria-describedby': describedBy }), ...(message && { 'aria-invalid': true }) })}
    </div>
  );
}
