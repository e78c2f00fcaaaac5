import {
  ApartmentOutlined,
  CheckCircleOutlined,
  EditOutlined,
  KeyOutlined,
  LockOutlined,
  MergeCellsOutlined,
  MessageOutlined,
  PlusCircleOutlined,
  SwapOutlined,
  UserOutlined,
} from '@ant-design/icons';
import { Empty, Flex, Skeleton, Tag, Timeline, Tooltip, Typography } from 'antd';
import { type ReactNode, useEffect, useMemo, useState } from 'react';
import {
  CREDIT_CLASS_LABELS,
  type CreditClass,
  CUSTOMER_STATUS_LABELS,
  type CustomerStatus,
  INTERACTION_KIND_LABELS,
} from '../../../common/customers';
import { SECRECY_LABELS, type SecrecyLevel } from '../../../common/enums';
import type { Customer, CustomerConfig, HistoryEntry, TimelineItem } from '../../../common/schemas/customers';
import { formatDateTime } from '../../../common/time';
import { customersApi, directoryApi } from '../../api/customers';
import { useDepartments } from '../../components/departments';
import { LoadMore } from '../../components/LoadMore';
import { useKeysetList } from '../../components/useKeysetList';
import { useLabel, useT } from '../../i18n';
import { customValueText } from './CustomFieldInput';
import { INTERACTION_COLORS } from './InteractionsTab';
import { useFieldLabel, useLookups } from './shared';

const CONTACT_LABELS = {
  name: 'contacts.name',
  title: 'contacts.title',
  mobile: 'contacts.mobile',
  phone: 'contacts.phone',
  email: 'contacts.email',
} as const;

type Group =
  | { type: 'history'; key: string; at: string; entries: HistoryEntry[] }
  | { type: 'interaction'; key: string; at: string; item: Extract<TimelineItem, { type: 'interaction' }> };

/** One saved edit writes one entry per field: shown together, as the person made them. */
function groupItems(items: TimelineItem[]): Group[] {
  const out: Group[] = [];
  for (const item of items) {
    if (item.type === 'interaction') {
      out.push({ type: 'interaction', key: item.interaction.id, at: item.at, item });
      continue;
    }
    const e = item.entry;
    const prev = out.at(-1);
    const first = prev?.type === 'history' ? prev.entries[0] : undefined;
    if (
      prev?.type === 'history' &&
      first &&
      first.at === e.at &&
      first.kind === e.kind &&
      first.actorName === e.actorName &&
      (e.kind === 'update' || e.kind === 'handover') &&
      first.originArchiveCode === e.originArchiveCode
    ) {
      prev.entries.push(e);
    } else {
      out.push({ type: 'history', key: e.id, at: e.at, entries: [e] });
    }
  }
  return out;
}

const KIND_LOOK: Record<string, { color: string; icon: ReactNode }> = {
  create: { color: 'green', icon: <PlusCircleOutlined /> },
  update: { color: 'blue', icon: <EditOutlined /> },
  status: { color: 'orange', icon: <CheckCircleOutlined /> },
  contact: { color: 'cyan', icon: <UserOutlined /> },
  merge: { color: 'purple', icon: <MergeCellsOutlined /> },
  grant: { color: 'gold', icon: <KeyOutlined /> },
  handover: { color: 'magenta', icon: <SwapOutlined /> },
  hold: { color: 'volcano', icon: <LockOutlined /> },
};

/** 变更历史 (R-C6): every change with who, when, old → new, and the interactions between. */
export function HistoryTab({
  customer,
  config,
  version,
}: {
  customer: Customer;
  config: CustomerConfig | null;
  version: number;
}) {
  const t = useT();
  const list = useKeysetList<TimelineItem, string>(
    (id, cursor) => customersApi.timeline(id, cursor),
    customer.id,
  );
  const groups = useMemo(() => groupItems(list.items), [list.items]);
  const format = useValueFormatter(config, list.items);

  // biome-ignore lint/correctness/useExhaustiveDependencies: reload when the archive changed
  useEffect(() => {
    if (version > 0) list.reload(customer.id);
  }, [version]);

  if (list.loading && list.items.length === 0) return <Skeleton active paragraph={{ rows: 6 }} />;
  if (list.items.length === 0) {
    return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('history.empty')} />;
  }

  return (
    <div style={{ paddingTop: 16 }}>
      <Timeline
        items={groups.map((g) =>
          g.type === 'interaction'
            ? interactionItem(g, t)
            : {
                key: g.key,
                color: KIND_LOOK[g.entries[0]?.kind ?? '']?.color ?? 'gray',
                icon: KIND_LOOK[g.entries[0]?.kind ?? '']?.icon,
                content: <HistoryGroup entries={g.entries} format={format} />,
              },
        )}
      />
      <LoadMore
        count={list.items.length}
        hasMore={!!list.nextCursor}
        loading={list.loadingMore}
        onLoadMore={list.loadMore}
      />
    </div>
  );
}

function interactionItem(g: Extract<Group, { type: 'interaction' }>, t: ReturnType<typeof useT>) {
  const i = g.item.interaction;
  return {
    key: g.key,
    color: 'gray',
    icon: <MessageOutlined />,
    content: <InteractionLine interaction={i} t={t} />,
  };
}

function InteractionLine({
  interaction: i,
  t,
}: {
  interaction: Extract<TimelineItem, { type: 'interaction' }>['interaction'];
  t: ReturnType<typeof useT>;
}) {
  const label = useLabel();
  return (
    <Flex vertical gap={4}>
      <Header
        tag={
          <Tag color={INTERACTION_COLORS[i.kind]} style={{ marginInlineEnd: 0 }}>
            {label(INTERACTION_KIND_LABELS[i.kind], i.kind)}
          </Tag>
        }
        title={t('history.interaction', { date: i.occurredOn })}
        actor={i.createdBy}
        at={i.createdAt}
      />
      <Typography.Paragraph
        style={{ margin: 0, whiteSpace: 'pre-wrap' }}
        ellipsis={{ rows: 3, expandable: true }}
      >
        {i.summary}
      </Typography.Paragraph>
      {i.nextStep && (
        <Typography.Text type="secondary">
          {t('interactions.nextStep')}
          {t('common.colon')}
          {i.nextStep}
          {i.nextStepDue ? `（${i.nextStepDue}）` : ''}
        </Typography.Text>
      )}
    </Flex>
  );
}

function Header({
  tag,
  title,
  actor,
  at,
}: {
  tag?: ReactNode;
  title: ReactNode;
  actor: string | null;
  at: string;
}) {
  const t = useT();
  return (
    <Flex gap={8} align="center" wrap>
      {tag}
      <Typography.Text strong>{title}</Typography.Text>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {actor ?? t('audit.system')} · {formatDateTime(at)}
      </Typography.Text>
    </Flex>
  );
}

type Formatter = ReturnType<typeof useValueFormatter>;

function HistoryGroup({ entries, format }: { entries: HistoryEntry[]; format: Formatter }) {
  const t = useT();
  const first = entries[0] as HistoryEntry;
  const kindLabel = {
    create: t('history.kind.create'),
    update: t('history.kind.update'),
    status: t('history.kind.status'),
    contact: t('history.kind.contact'),
    merge: t('history.kind.merge'),
    grant: t('history.kind.grant'),
    handover: t('history.kind.handover'),
    hold: t('history.kind.hold'),
    filing: t('history.kind.filing'),
  }[first.kind];
  return (
    <Flex vertical gap={4}>
      <Header
        tag={
          first.originArchiveCode && (
            <Tooltip title={t('history.originHelp')}>
              <Tag color="purple" style={{ marginInlineEnd: 0 }}>
                {t('history.origin', { code: first.originArchiveCode })}
              </Tag>
            </Tooltip>
          )
        }
        title={kindLabel ?? first.kind}
        actor={first.actorName}
        at={first.at}
      />
      <Flex vertical gap={2}>
        {entries.map((e) => (
          <div key={e.id}>{format.describe(e)}</div>
        ))}
      </Flex>
      {(first.changeDate || first.late || first.note) && (
        <Flex gap={8} wrap align="center">
          {first.changeDate && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('history.changeDate', { date: first.changeDate })}
            </Typography.Text>
          )}
          {first.late && (
            <Tooltip title={t('history.lateHelp')}>
              <Tag color="red" style={{ marginInlineEnd: 0 }}>
                {t('history.late')}
              </Tag>
            </Tooltip>
          )}
          {first.note && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('history.note')}
              {t('common.colon')}
              {first.note}
            </Typography.Text>
          )}
        </Flex>
      )}
    </Flex>
  );
}

/** Turns stored values into what people read: labels for codes, names for ids. */
function useValueFormatter(config: CustomerConfig | null, items: TimelineItem[]) {
  const t = useT();
  const label = useLabel();
  const lookups = useLookups(config);
  const fieldLabel = useFieldLabel(config);
  const departments = useDepartments();
  const [people, setPeople] = useState<Record<string, string>>({});

  // Grants store ids: look the people up once.
  const grantUserIds = [
    ...new Set(
      items.flatMap((i) =>
        i.type === 'history' && i.entry.kind === 'grant'
          ? [(i.entry.newValue as { userId?: string | null } | null)?.userId].filter((x): x is string => !!x)
          : [],
      ),
    ),
  ]
    .filter((id) => !(id in people))
    .join(',');
  useEffect(() => {
    if (!grantUserIds) return;
    directoryApi
      .users({ ids: grantUserIds, limit: 100 })
      .then((r) =>
        setPeople((prev) => ({ ...prev, ...Object.fromEntries(r.items.map((u) => [u.id, u.name])) })),
      )
      .catch(() => {});
  }, [grantUserIds]);

  const empty = <Typography.Text type="secondary">{t('history.empty_value')}</Typography.Text>;

  const value = (field: string, v: unknown): ReactNode => {
    if (v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0)) return empty;
    if (field.startsWith('customFields.')) return customValueText(v);
    switch (field) {
      case 'category':
      case 'kind':
      case 'nature':
      case 'source':
        return lookups.label(field, String(v));
      case 'creditClass':
        return label(CREDIT_CLASS_LABELS[v as CreditClass], String(v));
      case 'secrecy':
        return label(SECRECY_LABELS[v as SecrecyLevel], String(v));
      case 'status':
        return label(CUSTOMER_STATUS_LABELS[v as CustomerStatus], String(v));
      case 'departmentId':
        return departments.items.find((d) => d.id === v)?.name ?? String(v);
    }
    if (Array.isArray(v)) return v.join('、');
    if (typeof v === 'boolean') return v ? t('common.yes') : t('common.no');
    if (typeof v === 'object') return JSON.stringify(v);
    return String(v);
  };

  const change = (field: string, from: unknown, to: unknown) => (
    <span>
      <Typography.Text type="secondary">
        {fieldLabel(field)}
        {t('common.colon')}
      </Typography.Text>
      <Typography.Text delete type="secondary">
        {value(field, from)}
      </Typography.Text>
      <span style={{ margin: '0 6px' }}>→</span>
      <Typography.Text>{value(field, to)}</Typography.Text>
    </span>
  );

  type ContactSummary = {
    name?: string;
    title?: string | null;
    phone?: string | null;
    mobile?: string | null;
    email?: string | null;
    active?: boolean;
    isPrimary?: boolean;
  };
  const contactText = (c: ContactSummary) =>
    [c.name, c.title, c.mobile, c.phone, c.email].filter((x) => x).join(' · ');

  const describe = (e: HistoryEntry): ReactNode => {
    switch (e.kind) {
      case 'create': {
        const v = (e.newValue ?? {}) as { archiveCode?: string; name?: string; status?: string };
        return t('history.created', {
          code: v.archiveCode ?? '',
          name: v.name ?? '',
          status: v.status ? label(CUSTOMER_STATUS_LABELS[v.status as CustomerStatus], v.status) : '',
        });
      }
      case 'contact': {
        const before = e.oldValue as ContactSummary | null;
        const after = (e.newValue ?? {}) as ContactSummary;
        if (!before) return t('history.contactAdded', { contact: contactText(after) });
        if (e.field === 'contact_removed')
          return t('history.contactRemoved', { name: after.name ?? before.name ?? '' });
        if (before.active === false && after.active)
          return t('history.contactRestored', { name: after.name ?? '' });
        const keys = ['name', 'title', 'mobile', 'phone', 'email'] as const;
        const diffs = keys.filter((k) => (before[k] ?? null) !== (after[k] ?? null));
        const parts: ReactNode[] = diffs.map((k) => (
          <span key={k} style={{ marginInlineEnd: 12 }}>
            <Typography.Text type="secondary">
              {t(CONTACT_LABELS[k])}
              {t('common.colon')}
            </Typography.Text>
            <Typography.Text delete type="secondary">
              {before[k] || t('history.empty_value')}
            </Typography.Text>
            <span style={{ margin: '0 6px' }}>→</span>
            {after[k] || t('history.empty_value')}
          </span>
        ));
        if (!before.isPrimary && after.isPrimary)
          parts.push(<span key="p">{t('history.contactPrimary')}</span>);
        return (
          <span>
            {t('history.contactChanged', { name: after.name ?? '' })}
            {parts.length > 0 && <span style={{ marginInlineStart: 8 }}>{parts}</span>}
          </span>
        );
      }
      case 'merge': {
        const v = (e.newValue ?? {}) as {
          from?: string;
          into?: string;
          name?: string;
          contacts?: number;
          interactions?: number;
          history?: number;
        };
        if (v.into) return t('history.mergedInto', { code: v.into, name: v.name ?? '' });
        return t('history.mergedFrom', {
          code: v.from ?? '',
          name: v.name ?? '',
          contacts: v.contacts ?? 0,
          interactions: v.interactions ?? 0,
          history: v.history ?? 0,
        });
      }
      case 'grant': {
        if (e.field === 'grant_revoked') return t('history.grantRevoked');
        const v = (e.newValue ?? {}) as {
          userId?: string | null;
          departmentId?: string | null;
          expiresAt?: string | null;
        };
        const who = v.userId
          ? (people[v.userId] ?? v.userId)
          : (departments.items.find((d) => d.id === v.departmentId)?.name ?? v.departmentId ?? '');
        return (
          <span>
            {v.departmentId ? <ApartmentOutlined style={{ marginInlineEnd: 4 }} /> : null}
            {v.expiresAt
              ? t('history.grantedUntil', { who, date: formatDateTime(v.expiresAt).slice(0, 10) })
              : t('history.granted', { who })}
          </span>
        );
      }
      case 'hold': {
        const v = (e.newValue ?? {}) as { kind?: string; reason?: string };
        return e.field === 'hold_lifted'
          ? t('history.holdLifted', { reason: v.reason ?? '' })
          : t('history.holdPlaced', { kind: v.kind ?? '', reason: v.reason ?? '' });
      }
      case 'project': {
        // 项目档案: created, changed, closed, reopened.
        const v = (e.newValue ?? {}) as { code?: string; name?: string };
        const params = { project: `${v.code ?? ''} ${v.name ?? ''}`.trim() };
        if (e.field === 'project_update') return t('history.projectChanged', params);
        if (e.field === 'project_closed') return t('history.projectClosed', params);
        if (e.field === 'project_reopened') return t('history.projectReopened', params);
        return t('history.projectCreated', params);
      }
      case 'filing':
        return e.field === 'filing_returned' ? t('history.filingReturned') : t('history.filingSubmitted');
      default:
        if (e.field) return change(e.field, e.oldValue, e.newValue);
        return JSON.stringify(e.newValue);
    }
  };

  return { describe, value };
}
