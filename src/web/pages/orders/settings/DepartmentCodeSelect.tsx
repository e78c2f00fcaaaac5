import { Select } from 'antd';
import { departmentWithCode } from '../../../../common/departments';
import type { Department } from '../../../../common/schemas/platform';
import { useT } from '../../../i18n';

// Settings name departments by code (so that a deployment maps them to its own tree) but people
// know them by name: this picker shows names and stores codes. A stored code compares without case
// (`pmc` is the department coded PMC); a code no active department carries stays visible, marked,
// because a submission needing it is refused until it is fixed.

type Props = {
  departments: Department[];
  loading?: boolean;
  disabled?: boolean;
  id?: string;
  'data-testid'?: string;
} & (
  | { multiple: true; value?: string[]; onChange?: (v: string[]) => void }
  | { multiple?: false; value?: string; onChange?: (v: string) => void }
);

export function DepartmentCodeSelect(props: Props) {
  const t = useT();
  const active = props.departments.filter((d): d is Department & { code: string } => d.active && !!d.code);
  const stored = (props.multiple ? (props.value ?? []) : props.value ? [props.value] : []).map(
    (code) => departmentWithCode(active, code)?.code ?? code,
  );
  const missing = props.loading ? [] : stored.filter((c) => !active.some((d) => d.code === c));
  const options = [
    ...active.map((d) => ({ value: d.code, label: `${d.name}（${d.code}）` })),
    ...missing.map((c) => ({ value: c, label: t('orders.settings.noDepartment', { code: c }) })),
  ];
  const common = {
    id: props.id,
    'data-testid': props['data-testid'],
    loading: props.loading,
    disabled: props.disabled,
    options,
    showSearch: { optionFilterProp: 'label' },
    style: { width: '100%' },
  };
  return props.multiple ? (
    <Select<string[]> {...common} mode="multiple" value={stored} onChange={(v) => props.onChange?.(v)} />
  ) : (
    <Select<string> {...common} value={stored[0]} onChange={(v) => props.onChange?.(v)} />
  );
}
