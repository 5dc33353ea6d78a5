import type { FieldControlProps } from './Field';

/**
 * The control of a Field for a whole number from 1 (to `max`, if given), in a short box with the numeric
 * keypad on a phone; the text is handed on as typed, for the form to check.
 */
export function WholeNumberInput({
  control,
  value,
  max,
  onChange,
}: {
  control: FieldControlProps;
  value: string;
  max?: number;
  onChange(value: string): void;
}) {
  return (
    <input
      {...control}
      type="number"
      inputMode="numeric"
      min={1}
      max={max}
      className="input--short"
      value={value}
      onChange={(event) => onChange(event.target.value)}
    />
  );
}
