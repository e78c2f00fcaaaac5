import { Table, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import {
  LENDING_MODE_LABELS,
  type LendingMode,
  PURPOSE_LABELS,
  type Purpose,
  REQUEST_STATUS_LABELS,
  type RequestStatus,
} from '../../../common/lending';
import type { RegisterRow } from '../../../common/schemas/lending';
import { formatDateTime } from '../../../common/time';
import { lendingApi } from '../../api/lending';
import { useLabel, useT } from '../../i18n';

// What the lending pages share: status and mode tags, and the lending history of one record.

const STATUS_COLORS: Record<RequestStatus, string> = {
  pending: 'processing',
  returned: 'warning',
  approved: 'success',
  rejected: 'error',
  withdrawn: 'default',
  closed: 'default',
};

export function RequestStatusTag({ status, expired }: { status: RequestStatus; expired?: boolean }) {
  const t = useT();
  const label = useLabel();
  if (expired) return <Tag>{t('lending.expired')}</Tag>;
  return <Tag color={STATUS_COLORS[status]}>{label(REQUEST_STATUS_LABELS[status])}</Tag>;
}

export function ModeTag({ mode, purpose }: { mode: LendingMode; purpose?: Purpose }) {
  const label = useLabel();
  return (
    <Tag color={mode === 'physical' ? 'gold' : 'blue'}>
      {label(LENDING_MODE_LABELS[mode])}
      {purpose ? ` · ${label(PURPOSE_LABELS[purpose])}` : ''}
    </Tag>
  );
}

/** Where a record of a request lives in the app. */
export const itemLink = (targetType: 'customer' | 'document', targetId: string) =>
  targetType === 'customer' ? `/customers/${targetId}` : `/documents/${targetId}`;

/** 借阅记录 of one customer archive or document, on its own page. */
export function LendingHistory({
  targetType,
  targetId,
}: {
  targetType: 'customer' | 'document';
  targetId: string;
}) {
  const t = useT();
  const label = useLabel();
  const [rows, setRows] = useState<RegisterRow[] | null>(null);
  useEffect(() => {
    lendingApi
      .register({ targetType, targetId }, null, 200)
      .then((p) => setRows(p.items))
      .catch(() => setRows([]));
  }, [targetType, targetId]);
  return (
    <Table<RegisterRow>
      rowKey="id"
      size="small"
      loading={rows === null}
      dataSource={rows ?? []}
      pagination={false}
      locale={{ emptyText: t('lending.history.empty') }}
      columns={[
        {
          title: t('lending.number'),
          dataIndex: 'requestNumber',
          width: 140,
          render: (v: string, r) => <Link to={`/lending/requests/${r.requestId}`}>{v}</Link>,
        },
        {
          title: t('lending.borrower'),
          key: 'borrower',
          render: (_, r) => (
            <span>
              {r.borrower}
              {r.department && <Typography.Text type="secondary"> · {r.department}</Typography.Text>}
              {r.external && <Typography.Text type="secondary"> · {r.external}</Typography.Text>}
            </span>
          ),
        },
        {
          title: t('lending.mode'),
          key: 'mode',
          width: 150,
          render: (_, r) => <ModeTag mode={r.mode} purpose={r.purpose} />,
        },
        { title: t('lending.out'), dataIndex: 'out', width: 170, render: (v: string) => formatDateTime(v) },
        { title: t('lending.due'), dataIndex: 'due', width: 110 },
        {
          title: t('lending.returned'),
          dataIndex: 'returned',
          width: 170,
          render: (v: string | null, r) =>
            v ? formatDateTime(v) : r.mode === 'physical' ? t('lending.stillOut') : '—',
        },
        { title: t('lending.approvers'), dataIndex: 'approvers', width: 140 },
        { title: t('lending.condition'), dataIndex: 'condition', render: (v: string | null) => v ?? '—' },
      ]}
      aria-label={label({ zh: '借阅记录', en: 'Lending history' })}
    />
  );
}
