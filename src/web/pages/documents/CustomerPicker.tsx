import { Select, type SelectProps, Spin } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { customersApi } from '../../api/customers';

interface Option {
  value: string;
  label: string;
}

/** Picks a customer archive the reader may see, searching by name, code or contact. */
export function CustomerPicker({
  value,
  onChange,
  initial,
  ...props
}: Omit<SelectProps<string>, 'options' | 'onSearch' | 'showSearch'> & {
  /** The current customer, so that it shows by name before any search. */
  initial?: { id: string; archiveCode: string; name: string } | null;
}) {
  const [options, setOptions] = useState<Option[]>(
    initial ? [{ value: initial.id, label: `${initial.archiveCode} ${initial.name}` }] : [],
  );
  const [searching, setSearching] = useState(false);
  const timer = useRef<number | undefined>(undefined);

  const search = (q: string) => {
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(async () => {
      setSearching(true);
      try {
        const page = await customersApi.list({ q: q.trim() || undefined }, null, 20);
        setOptions(page.items.map((c) => ({ value: c.id, label: `${c.archiveCode} ${c.name}` })));
      } catch {
        // The form's own save reports real errors.
      } finally {
        setSearching(false);
      }
    }, 250);
  };
  useEffect(() => () => window.clearTimeout(timer.current), []);

  return (
    <Select<string>
      showSearch={{ filterOption: false, onSearch: search }}
      allowClear
      value={value}
      onChange={onChange}
      onOpenChange={(open) => open && options.length <= 1 && search('')}
      notFoundContent={searching ? <Spin size="small" /> : undefined}
      options={options}
      {...props}
    />
  );
}
