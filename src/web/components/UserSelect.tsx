import { Flex, Select, type SelectProps, Spin, Typography } from 'antd';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { DirectoryUser } from '../../common/schemas/platform';
import { directoryApi } from '../api/customers';
import { useT } from '../i18n';

/** Someone already known by id and name (a customer's owners, the signed-in user). */
export interface KnownUser {
  id: string;
  name: string;
  login?: string;
  departmentName?: string | null;
}

type Value = string | string[];

/**
 * Picks colleagues from the directory (GET /directory/users: active users, any signed-in
 * reader), or from `source`. Typing searches by name or login; current values are shown by name,
 * from `known` or looked up once by id.
 */
export function UserSelect({
  value,
  onChange,
  multiple = false,
  known = [],
  exclude = [],
  departmentId,
  source,
  noMatchText,
  onPick,
  ...props
}: Omit<SelectProps<Value>, 'options' | 'mode' | 'onSearch' | 'value' | 'onChange'> & {
  value?: Value | null;
  onChange?: (value: Value | undefined) => void;
  /** The picked people with their names, whenever the value changes. */
  onPick?: (users: KnownUser[]) => void;
  multiple?: boolean;
  known?: KnownUser[];
  /** Ids that cannot be picked (e.g. the person handing over). */
  exclude?: string[];
  /** Only people of this department and those below it. */
  departmentId?: string;
  /** Whom to offer instead of the directory (people a rule allows, e.g. witnesses). */
  source?: (q: string | undefined, signal: AbortSignal) => Promise<{ items: DirectoryUser[] }>;
  /** What to say when nobody matches (default: no active colleague found). */
  noMatchText?: string;
}) {
  const t = useT();
  const [found, setFound] = useState<KnownUser[]>([]);
  const [resolved, setResolved] = useState<KnownUser[]>([]);
  const [searching, setSearching] = useState(false);
  const [query, setQuery] = useState('');
  const timer = useRef<number | undefined>(undefined);
  const abort = useRef<AbortController | null>(null);

  const selected = useMemo(() => (value == null ? [] : Array.isArray(value) ? value : [value]), [value]);

  const search = (q: string) => {
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(async () => {
      abort.current?.abort();
      const ctrl = new AbortController();
      abort.current = ctrl;
      setSearching(true);
      try {
        const res = source
          ? await source(q.trim() || undefined, ctrl.signal)
          : await directoryApi.users({ q: q.trim() || undefined, departmentId, limit: 30 }, ctrl.signal);
        setFound(res.items.map(fromDirectory));
      } catch {
        // Aborted or failed: keep what is shown; the form's own save reports real errors.
      } finally {
        if (abort.current === ctrl) setSearching(false);
      }
    }, 250);
  };

  useEffect(() => () => window.clearTimeout(timer.current), []);

  // Names for values that neither `known` nor a search has supplied.
  const knownIds = new Set([...known, ...found, ...resolved].map((u) => u.id));
  const unknown = selected.filter((id) => !knownIds.has(id));
  const unknownKey = unknown.join(',');
  useEffect(() => {
    if (!unknownKey) return;
    let live = true;
    directoryApi
      .users({ ids: unknownKey, limit: 100 })
      .then((res) => {
        if (live) setResolved((prev) => [...prev, ...res.items.map(fromDirectory)]);
      })
      .catch(() => {});
    return () => {
      live = false;
    };
  }, [unknownKey]);

  const options = useMemo(() => {
    const byId = new Map<string, KnownUser>();
    for (const u of [...resolved, ...known, ...found]) byId.set(u.id, { ...byId.get(u.id), ...u });
    const excluded = new Set(exclude);
    // Current values first, then search results.
    const ordered = [
      ...selected.map((id) => byId.get(id) ?? { id, name: id }),
      ...found.filter((u) => !selected.includes(u.id)),
    ];
    return ordered.map((u) => ({
      value: u.id,
      label: u.name,
      disabled: excluded.has(u.id) && !selected.includes(u.id),
      user: u,
    }));
  }, [resolved, known, found, selected, exclude]);

  return (
    <Select<Value>
      showSearch={{
        filterOption: false,
        onSearch: (q) => {
          setQuery(q);
          search(q);
        },
      }}
      mode={multiple ? 'multiple' : undefined}
      allowClear
      placeholder={t('userSelect.placeholder')}
      notFoundContent={
        searching ? (
          <Spin size="small" />
        ) : query || source ? (
          (noMatchText ?? t('userSelect.noMatch'))
        ) : (
          t('userSelect.typeToSearch')
        )
      }
      onOpenChange={(open) => {
        if (open && found.length === 0) search(query);
      }}
      optionRender={(option) => {
        const u = (option.data as { user: KnownUser }).user;
        return (
          <Flex justify="space-between" gap={12}>
            <span>
              {u.name}
              {u.login && (
                <Typography.Text type="secondary" style={{ marginInlineStart: 6, fontSize: 12 }}>
                  {u.login}
                </Typography.Text>
              )}
            </span>
            {u.departmentName && (
              <Typography.Text type="secondary" style={{ fontSize: 12 }} ellipsis>
                {u.departmentName}
              </Typography.Text>
            )}
          </Flex>
        );
      }}
      {...props}
      value={value ?? undefined}
      onChange={(v) => {
        onChange?.(v);
        if (onPick) {
          const ids = v == null ? [] : Array.isArray(v) ? v : [v];
          onPick(ids.map((id) => options.find((o) => o.value === id)?.user ?? { id, name: id }));
        }
      }}
      options={options}
    />
  );
}

function fromDirectory(u: DirectoryUser): KnownUser {
  return { id: u.id, name: u.name, login: u.login, departmentName: u.departmentName };
}
