import { Button, Card, Empty, Table, Tag, Typography } from 'antd';
import { forwardRef, useImperativeHandle } from 'react';
import type { IntegrityCheckSummary } from '../../../common/schemas/integrity';
import { formatDateTime } from '../../../common/time';
import { integrityApi } from '../../api/operations';
import { LoadMore } from '../../components/LoadMore';
import { useKeysetList } from '../../components/useKeysetList';
import { useT } from '../../i18n';

export interface IntegrityHistoryHandle {
  reload(): void;
}

/** 历次检查: the kept reports, newest first; one opens on click (R-L2). */
export const IntegrityHistory = forwardRef<
  IntegrityHistoryHandle,
  { current: string | null; onOpen: (id: string) => void }
>(function IntegrityHistory({ current, onOpen }, ref) {
  const t = useT();
  const list = useKeysetList<IntegrityCheckSummary, null>((_f, cursor) => integrityApi.history(cursor), null);
  useImperativeHandle(ref, () => ({ reload: () => list.reload() }), [list.reload]);
  const by = (c: IntegrityCheckSummary) =>
    c.trigger === 'scheduled'
      ? t('schedule.byScheduler')
      : c.trigger === 'command'
        ? t('schedule.byCommand')
        : (c.actor?.name ?? '—');
  return (
    <Card title={t('schedule.historyTitle')} data-testid="integrity-history">
      <Table<IntegrityCheckSummary>
        rowKey="id"
        size="small"
        loading={list.loading}
        pagination={false}
        dataSource={list.items}
        rowClassName={(c) => (c.id === current ? 'ant-table-row-selected' : '')}
        locale={{
          emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('schedule.noHistory')} />,
        }}
        columns={[
          {
            title: t('schedule.checkedAt'),
            dataIndex: 'checkedAt',
            width: 180,
            render: (v: string) => formatDateTime(v),
          },
          {
            title: t('schedule.by'),
            key: 'by',
            width: 140,
            render: (_, c) =>
              c.trigger === 'manual' ? by(c) : <Typography.Text type="secondary">{by(c)}</Typography.Text>,
          },
          {
            title: t('schedule.outcome'),
            key: 'ok',
            render: (_, c) =>
              c.ok ? (
                <Tag color="success">{t('schedule.checkOk')}</Tag>
              ) : (
                <>
                  <Tag color="error">{t('schedule.findings', { count: c.findings })}</Tag>
                  {c.fixityFailures > 0 && (
                    <Tag color="red">{t('schedule.fixity', { count: c.fixityFailures })}</Tag>
                  )}
                </>
              ),
          },
          {
            title: '',
            key: 'open',
            width: 90,
            render: (_, c) =>
              c.id === current ? (
                <Typography.Text type="secondary">{t('schedule.shown')}</Typography.Text>
              ) : (
                <Button type="link" size="small" onClick={() => onOpen(c.id)}>
                  {t('schedule.open')}
                </Button>
              ),
          },
        ]}
      />
      <LoadMore
        count={list.items.length}
        hasMore={!!list.nextCursor}
        loading={list.loadingMore}
        onLoadMore={list.loadMore}
      />
    </Card>
  );
});
