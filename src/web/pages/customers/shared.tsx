import { Button, Result, Tag, Tooltip, Typography } from 'antd';
import { type ReactNode, useCallback, useEffect, useMemo, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import {
  CREDIT_CLASS_LABELS,
  type CreditClass,
  CUSTOMER_STATUS_LABELS,
  type CustomerStatus,
  type LookupList,
} from '../../../common/customers';
import type { CustomerConfig, CustomField, Lookup } from '../../../common/schemas/customers';
import { isApiError } from '../../api/client';
import { customerConfigApi } from '../../api/customers';
import { type MessageKey, useLabel, useLang, useT } from '../../i18n';

// What the customer pages share: the configuration (lists, custom fields, settings), labels of
// codes and field keys, the status tag and the "not found" result.

// Configuration ---------------------------------------------------------------------------------

let cached: Promise<CustomerConfig> | null = null;
/** The loaded configuration, so that a component mounting later has it on its first render. */
let current: CustomerConfig | null = null;
const listeners = new Set<(c: CustomerConfig) => void>();

function loadConfig(): Promise<CustomerConfig> {
  if (!cached) {
    cached = customerConfigApi.get().then(
      (c) => {
        current = c;
        return c;
      },
      (e) => {
        cached = null;
        throw e;
      },
    );
  }
  return cached;
}

/** After a configuration change: every mounted page gets the new configuration. */
export function publishCustomerConfig(config: CustomerConfig): void {
  current = config;
  cached = Promise.resolve(config);
  for (const l of listeners) l(config);
}

/** GET /customer-config, loaded once per page load and shared by all customer pages. */
export function useCustomerConfig() {
  const [config, setConfig] = useState<CustomerConfig | null>(() => current);
  const [error, setError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` retries the load
  useEffect(() => {
    let live = true;
    loadConfig()
      .then((c) => live && setConfig(c))
      .catch((e) => live && setError(e));
    listeners.add(setConfig);
    return () => {
      live = false;
      listeners.delete(setConfig);
    };
  }, [attempt]);
  const retry = useCallback(() => {
    setError(null);
    setAttempt((a) => a + 1);
  }, []);
  return { config, error, retry };
}

export function lookupName(l: Lookup, lang: 'zh' | 'en'): string {
  return lang === 'en' ? (l.labelEn ?? l.label) : l.label;
}

/** Labels and select options of the configured lists (category 'key' → 重点客户). */
export function useLookups(config: CustomerConfig | null) {
  const { lang } = useLang();
  const t = useT();
  return useMemo(() => {
    const lookups = config?.lookups ?? [];
    const find = (list: LookupList, code: string) => lookups.find((l) => l.list === list && l.code === code);
    const label = (list: LookupList, code: string | null | undefined): string => {
      if (!code) return '';
      const l = find(list, code);
      return l ? lookupName(l, lang) : code;
    };
    /** Active entries, plus `keep` (the current value) even when it has been deactivated. */
    const options = (list: LookupList, keep?: string | null) =>
      lookups
        .filter((l) => l.list === list && (l.active || l.code === keep))
        .map((l) => ({
          value: l.code,
          label: l.active ? lookupName(l, lang) : `${lookupName(l, lang)}${t('customers.inactiveSuffix')}`,
        }));
    return { label, options, find };
  }, [config, lang, t]);
}

export type Lookups = ReturnType<typeof useLookups>;

/** Active custom fields of a kind (a field without kinds applies to every kind). */
export function fieldsForKind(config: CustomerConfig | null, kind: string | undefined): CustomField[] {
  if (!config || !kind) return [];
  return config.customFields.filter((f) => f.active && (!f.kinds || f.kinds.includes(kind)));
}

// Field keys -----------------------------------------------------------------------------------

/** Labels of master-record fields, as history entries and filing checks name them. */
export const FIELD_LABELS: Record<string, MessageKey> = {
  archiveCode: 'customers.field.archiveCode',
  name: 'customers.field.name',
  creditCode: 'customers.field.creditCode',
  category: 'customers.field.category',
  kind: 'customers.field.kind',
  nature: 'customers.field.nature',
  legalRepresentative: 'customers.field.legalRepresentative',
  registeredAddress: 'customers.field.registeredAddress',
  phone: 'customers.field.phone',
  email: 'customers.field.email',
  website: 'customers.field.website',
  industry: 'customers.field.industry',
  region: 'customers.field.region',
  businessScope: 'customers.field.businessScope',
  registeredCapital: 'customers.field.registeredCapital',
  staffCount: 'customers.field.staffCount',
  source: 'customers.field.source',
  grade: 'customers.field.grade',
  creditClass: 'customers.field.creditClass',
  departmentId: 'customers.field.department',
  department: 'customers.field.department',
  owners: 'customers.field.owners',
  ownerIds: 'customers.field.owners',
  secrecy: 'customers.field.secrecy',
  firstContactDate: 'customers.field.firstContactDate',
  firstPurchaseDate: 'customers.field.firstPurchaseDate',
  status: 'customers.field.status',
  contacts: 'customers.field.contacts',
  contact: 'customers.field.contact',
  contact_removed: 'customers.field.contact',
  merge: 'customers.field.merge',
  grant: 'customers.field.grant',
  grant_revoked: 'customers.field.grant',
  filingDueDate: 'customers.field.filingDueDate',
  updatedAt: 'customers.field.updatedAt',
};

/** `registeredAddress` → 注册地址; `customFields.plant` → the custom field's label. */
export function useFieldLabel(config: CustomerConfig | null) {
  const t = useT();
  return useCallback(
    (key: string | null | undefined): string => {
      if (!key) return '';
      if (key.startsWith('customFields.')) {
        const k = key.slice('customFields.'.length);
        return config?.customFields.find((f) => f.key === k)?.label ?? k;
      }
      const m = FIELD_LABELS[key];
      return m ? t(m) : key;
    },
    [config, t],
  );
}

// Tags and small displays ----------------------------------------------------------------------

const STATUS_COLORS: Record<CustomerStatus, string> = {
  draft: 'gold',
  filed: 'green',
  inactive: 'default',
  merged: 'purple',
};

export function CustomerStatusTag({
  status,
  overdue,
  pending,
}: {
  status: CustomerStatus;
  overdue?: boolean;
  /** 备案审批: submitted, waiting for the sales director. */
  pending?: boolean;
}) {
  const label = useLabel();
  const t = useT();
  return (
    <>
      <Tag color={STATUS_COLORS[status]} style={{ marginInlineEnd: overdue || pending ? 4 : 0 }}>
        {label(CUSTOMER_STATUS_LABELS[status], status)}
      </Tag>
      {pending && (
        <Tag color="processing" style={{ marginInlineEnd: overdue ? 4 : 0 }} data-testid="filing-pending-tag">
          {t('customers.filingPending')}
        </Tag>
      )}
      {overdue && (
        <Tag color="red" style={{ marginInlineEnd: 0 }}>
          {t('customers.overdue')}
        </Tag>
      )}
    </>
  );
}

export function useCreditClassLabel() {
  const label = useLabel();
  return useCallback(
    (c: CreditClass | null | undefined) => (c ? label(CREDIT_CLASS_LABELS[c], c) : ''),
    [label],
  );
}

/** A muted dash for an empty cell or description. */
export function Dash() {
  return <Typography.Text type="secondary">—</Typography.Text>;
}

export function orDash(v: ReactNode): ReactNode {
  return v === null || v === undefined || v === '' ? <Dash /> : v;
}

export function CustomerLink({ id, children }: { id: string; children: ReactNode }) {
  return <Link to={`/customers/${encodeURIComponent(id)}`}>{children}</Link>;
}

/** Archive code in a monospace font, the way people read it off paper files. */
export function ArchiveCode({ code }: { code: string }) {
  return (
    <span style={{ fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace' }}>{code}</span>
  );
}

/** 404 from a customer route: absent, or above the reader's clearance — the same to them. */
export function CustomerNotFound() {
  const t = useT();
  const navigate = useNavigate();
  return (
    <Result
      status="404"
      title={t('customers.notFoundTitle')}
      subTitle={t('customers.notFoundSub')}
      extra={
        <Button type="primary" onClick={() => navigate('/customers')}>
          {t('customers.backToList')}
        </Button>
      }
    />
  );
}

export const isNotFound = (e: unknown) => isApiError(e) && e.status === 404;

export function OwnerNames({ names }: { names: string[] }) {
  const t = useT();
  if (names.length === 0) return <Dash />;
  const text = names.join('、');
  return names.length > 2 ? (
    <Tooltip title={text}>
      <span>{t('customers.ownersMore', { names: names.slice(0, 2).join('、'), count: names.length })}</span>
    </Tooltip>
  ) : (
    <span>{text}</span>
  );
}
