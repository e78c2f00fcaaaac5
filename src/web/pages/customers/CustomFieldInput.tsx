import { DatePicker, Input, InputNumber, Select } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import type { ReactNode } from 'react';
import type { CustomField } from '../../../common/schemas/customers';
import { useT } from '../../i18n';

// Custom fields (自定义字段, R-C3): the input for each type, and the conversions between the
// API's values (text, number, YYYY-MM-DD, option or options) and what antd inputs hold.

export type CustomValue = string | number | string[] | null;
type FormValue = string | number | string[] | Dayjs | null | undefined;

/** The input of one custom field, rendered by its type. */
export function CustomFieldInput({
  field,
  ...props
}: {
  field: CustomField;
  value?: FormValue;
  onChange?: (v: FormValue) => void;
}) {
  const t = useT();
  const options = field.options.map((o) => ({ value: o, label: o }));
  switch (field.type) {
    case 'number':
      return <InputNumber style={{ width: '100%' }} {...(props as object)} />;
    case 'date':
      return <DatePicker style={{ width: '100%' }} {...(props as object)} />;
    case 'select':
      return (
        <Select allowClear options={options} placeholder={t('common.pleaseSelect')} {...(props as object)} />
      );
    case 'multiselect':
      return (
        <Select
          mode="multiple"
          allowClear
          options={options}
          placeholder={t('common.pleaseSelect')}
          {...(props as object)}
        />
      );
    default:
      return <Input maxLength={2000} {...(props as object)} />;
  }
}

/** API value → form value. */
export function toFormValue(field: CustomField, v: CustomValue | undefined): FormValue {
  if (v === null || v === undefined) return undefined;
  if (field.type === 'date' && typeof v === 'string') return dayjs(v);
  return v;
}

/** Form value → API value (empty becomes null). */
export function toApiValue(field: CustomField, v: FormValue): CustomValue {
  if (v === undefined || v === null || v === '') return null;
  if (dayjs.isDayjs(v)) return v.format('YYYY-MM-DD');
  if (Array.isArray(v)) return v.length ? v : null;
  if (field.type === 'text' && typeof v === 'string') return v.trim() || null;
  return v;
}

/** A stored value as text, for descriptions and history. */
export function customValueText(v: unknown): ReactNode {
  if (v === null || v === undefined || v === '') return null;
  if (Array.isArray(v)) return v.join('、');
  return String(v);
}
