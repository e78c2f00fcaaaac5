import { Empty, Table, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { Link } from 'react-router';
import {
  CASE_KIND_LABELS,
  CASE_STATUS_LABELS,
  CASE_TYPE_LISTS,
  type CaseKind,
  type CaseStatus,
  OUTCOME_LABELS,
  type Outcome,
  SEVERITY_LABELS,
  type Severity,
} from '../../../common/cases';
import type { CaseSummary } from '../../../common/schemas/cases';
import { formatDateTime } from '../../../common/time';
import { type CaseType, casesApi } from '../../api/cases';
import { ClockTags } from '../../components/ClockTag';
import { SecrecyTag } from '../../components/labels';
import { useLabel, useT } from '../../i18n';

// What the case pages share: tags, the type lists, and the table of cases.

const STATUS_COLORS: Record<CaseStatus, string> = {
  new: 'gold',
  in_progress: 'processing',
  to_reply: 'cyan',
  to_revisit: 'purple',
  closed: 'default',
};

export function CaseStatusTag({ status, outcome }: { status: CaseStatus; outcome?: Outcome | null }) {
  const label = useLabel();
  return (
    <Tag color={STATUS_COLORS[status]} style={{ marginInlineEnd: 4 }}>
      {label(CASE_STATUS_LABELS[status])}
      {status === 'closed' && outcome === 'unjustified' ? ` · ${label(OUTCOME_LABELS.unjustified)}` : ''}
    </Tag>
  );
}

const SEVERITY_COLORS: Record<Severity, string | undefined> = {
  normal: undefined,
  serious: 'orange',
  major: 'red',
};

export function SeverityTag({ severity }: { severity: Severity }) {
  const label = useLabel();
  return (
    <Tag color={SEVERITY_COLORS[severity]} style={{ marginInlineEnd: 4 }}>
      {label(SEVERITY_LABELS[severity])}
    </Tag>
  );
}

export function KindTag({ kind }: { kind: CaseKind }) {
  const label = useLabel();
  return (
    <Tag color={kind === 'complaint' ? 'magenta' : 'geekblue'} style={{ marginInlineEnd: 4 }}>
      {label(CASE_KIND_LABELS[kind])}
    </Tag>
  );
}

let cached: Promise<CaseType[]> | null = null;

/** The type lists (投诉类型, 服务类型), loaded once per page load; `reload` after a change. */
export function useCaseTypes() {
  const [types, setTypes] = useState<CaseType[]>([]);
  const load = useCallback((fresh = false) => {
    if (!cached || fresh) {
      cached = casesApi.types().catch((e) => {
        cached = null;
        throw e;
      });
    }
    return cached.then(setTypes);
  }, []);
  useEffect(() => {
    load().catch(() => {});
  }, [load]);
  const of = (kind: CaseKind | undefined, activeOnly = true) =>
    types.filter((x) => (!kind || x.list === CASE_TYPE_LISTS[kind]) && (!activeOnly || x.active));
  const options = (kind: CaseKind | undefined, activeOnly = true) =>
    of(kind, activeOnly).map((x) => ({ value: x.code, label: x.label }));
  const set = (next: CaseType[]) => {
    cached = Promise.resolve(next);
    setTypes(next);
  };
  return { types, of, options, set, reload: () => load(true) };
}

export const orDash = (v: string | number | null | undefined) =>
  v === null || v === undefined || v === '' ? '—' : v;

/** The table of cases: the list page and a customer's 投诉 tab. */
export function CaseTable({
  items,
  loading,
  empty,
  showCustomer = true,
}: {
  items: CaseSummary[];
  loading: boolean;
  empty: string;
  showCustomer?: boolean;
}) {
  const t = useT();
  return (
    <Table<CaseSummary>
      rowKey="id"
      size="middle"
      loading={loading}
      dataSource={items}
      pagination={false}
      scroll={{ x: 1380 }}
      locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={empty} /> }}
      columns={[
        {
          title: t('cases.field.number'),
          dataIndex: 'number',
          width: 150,
          fixed: 'left',
          render: (v: string, r) => (
            <span>
              <Link to={`/cases/${r.id}`}>{v}</Link>
              {r.secrecy !== 'normal' && (
                <span style={{ marginInlineStart: 4 }}>
                  <SecrecyTag level={r.secrecy} />
                </span>
              )}
            </span>
          ),
        },
        {
          title: t('cases.field.type'),
          key: 'type',
          width: 130,
          render: (_, r) => (
            <span style={{ whiteSpace: 'nowrap' }}>
              <KindTag kind={r.kind} />
              {r.typeLabel}
            </span>
          ),
        },
        ...(showCustomer
          ? [
              {
                title: t('cases.field.customer'),
                key: 'customer',
                width: 180,
                render: (_: unknown, r: CaseSummary) => (
                  <Link to={`/customers/${r.customer.id}?tab=complaints`}>{r.customer.name}</Link>
                ),
              },
            ]
          : []),
        {
          title: t('cases.field.content'),
          dataIndex: 'content',
          width: 260,
          render: (v: string, r) => (
            <Typography.Paragraph ellipsis={{ rows: 2, tooltip: v }} style={{ margin: 0 }}>
              {r.product && <Typography.Text type="secondary">[{r.product}] </Typography.Text>}
              {v}
            </Typography.Paragraph>
          ),
        },
        {
          title: t('cases.field.clocks'),
          key: 'clocks',
          width: 220,
          render: (_, r) => <ClockTags clocks={r.clocks} />,
        },
        {
          title: t('cases.field.status'),
          key: 'status',
          width: 110,
          render: (_, r) => <CaseStatusTag status={r.status} outcome={r.outcome} />,
        },
        {
          title: t('cases.field.severity'),
          dataIndex: 'severity',
          width: 80,
          render: (v: Severity) => <SeverityTag severity={v} />,
        },
        {
          title: t('cases.field.handler'),
          key: 'handler',
          width: 100,
          render: (_, r) => orDash(r.handler?.name),
        },
        {
          title: t('cases.field.receivedAt'),
          dataIndex: 'receivedAt',
          width: 160,
          render: (v: string) => formatDateTime(v),
        },
      ]}
    />
  );
}
