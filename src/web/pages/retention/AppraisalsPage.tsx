import { Card, Empty, Table, Typography } from 'antd';
import { Link } from 'react-router';
import type { AppraisalSummary } from '../../../common/schemas/retention';
import { formatDateTime } from '../../../common/time';
import { retentionApi } from '../../api/retention';
import { LoadMore } from '../../components/LoadMore';
import { PageContainer } from '../../components/PageContainer';
import { useKeysetList } from '../../components/useKeysetList';
import { useT } from '../../i18n';
import { AppraisalStatusTag } from './shared';

/** 档案鉴定 /retention/appraisals: the batches, newest first (R-X2). */
export default function AppraisalsPage() {
  const t = useT();
  const list = useKeysetList<AppraisalSummary, object>((_, cursor) => retentionApi.appraisals(cursor), {});
  return (
    <PageContainer title={t('appraisal.list.title')} subTitle={t('appraisal.list.intro')}>
      <Card>
        <Table<AppraisalSummary>
          rowKey="id"
          size="middle"
          loading={list.loading}
          dataSource={list.items}
          pagination={false}
          locale={{
            emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('appraisal.list.empty')} />,
          }}
          columns={[
            {
              title: t('appraisal.number'),
              dataIndex: 'number',
              width: 130,
              render: (v: string, a) => <Link to={`/retention/appraisals/${a.id}`}>{v}</Link>,
            },
            { title: t('appraisal.title'), dataIndex: 'title' },
            {
              title: t('appraisal.status'),
              dataIndex: 'status',
              width: 100,
              render: (s: AppraisalSummary['status']) => <AppraisalStatusTag status={s} />,
            },
            { title: t('appraisal.items'), dataIndex: 'itemCount', width: 80, align: 'right' },
            {
              title: t('appraisal.members'),
              dataIndex: 'members',
              render: (m: string[]) => <Typography.Text>{m.join('、')}</Typography.Text>,
            },
            {
              title: t('appraisal.createdAt'),
              key: 'created',
              width: 220,
              render: (_, a) => `${a.createdBy?.name ?? ''} ${formatDateTime(a.createdAt)}`,
            },
            {
              title: t('appraisal.concludedAt'),
              dataIndex: 'concludedAt',
              width: 170,
              render: (v: string | null) => (v ? formatDateTime(v) : '—'),
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
    </PageContainer>
  );
}
