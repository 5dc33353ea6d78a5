import { useTranslation } from 'react-i18next';
import type { ApiError } from '../../api/client';
import { Field } from '../../ui/Field';
import type { Area } from './tours-api';

/** A commune picked from the area tree: the areas that have a parent and children of their own. */
export function communesOf(areas: readonly Area[]): Area[] {
  const parents = new Set(areas.map((area) => area.parentCode).filter(Boolean));
  return areas.filter((area) => area.parentCode && parents.has(area.code));
}

export function CommuneField({
  label,
  areas,
  value,
  onChange,
  name,
  problem,
}: {
  label: string;
  areas: readonly Area[];
  value: string;
  onChange(code: string): void;
  name?: string;
  problem?: ApiError | undefined;
}) {
  const { t } = useTranslation('tours');
  return (
    <Field label={label} {...(name && { name })} problem={problem}>
      {(control) => (
        <select {...control} value={value} onChange={(event) => onChange(event.target.value)}>
          <option value="">{t('choose')}</option>
          {communesOf(areas).map((area) => (
            <option key={area.code} value={area.code}>
              {area.name}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}
