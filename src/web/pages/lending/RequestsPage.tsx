import { PlusOutlined } from '@ant-design/icons';
import { Button, Card, Empty, Table, Tabs, Typography } from 'antd';
import { Link, useNavigate, useSearchParams } from 'react-router';
import type { RequestSummary } from '../../../common/schemas/lending';
import { formatDateTime } from '../../../common/time';
import { lendingApi } from '../../api/lending';
import { useAuth } from '../../auth/AuthContext';
import { LoadMore } from '../../components/LoadMore';
import { PageContainer } from '../../components/PageContainer';
import { useKeysetList } from '../../components/useKeysetList';
import { useT } from '../../i18n';
import { ModeTag, RequestStatusTag } from './shared';

type View = 'mine' | 'approvals' | 'all';

/** 借阅申请 /lending: my requests, those waiting for my approval (待我审批), and all of them for
 * the archivist and overseers. */
export default function RequestsPage() {
  const t = useT();
  const { can } = useAuth();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const views: View[] = ['mine', 'approvals', ...(can('lending.oversee') ? (['all'] as View[]) : [])];
  const asked = params.get('view') as View | null;
  const view: View = asked && views.includes(asked) ? asked : 'mine';
  return (
    <PageContainer
      title={t('lending.requests.title')}
      subTitle={t('lending.requests.intro')}
      extra={
        can('lending.request') && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate('/lending/new')}>
            {t('lending.new.title')}
          </Button>
        )
      }
    >
      <Card styles={{ body: { paddingTop: 4 } }}>
        <Tabs
          activeKey={view}
          onChange={(key) => setParams({ view: key }, { replace: true })}
          destroyOnHidden
          items={views.map((v) => ({
            key: v,
            label: t(`lending.view.${v}`),
            children: <RequestList view={v} />,
          }))}
        />
      </Card>
    </PageContainer>
  );
}

function RequestList({ view }: { view: View }) {
  const t = useT();
  const list = useKeysetList<RequestSummary, View>((v, cursor) => lendingApi.list(v, cursor), view);
  return (
    <>
      <Table<RequestSummary>
        rowKey="id"
        size="middle"
        loading={list.loading}
        dataSource={list.items}
        pagination={false}
        scroll={{ x: 1000 }}
        locale={{
          emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t(`lending.empty.${view}`)} />,
        }}
        columns={[
          {
            title: t('lending.number'),
            dataIndex: 'number',
            width: 140,
            render: (v: string, r) => <Link to={`/lending/requests/${r.id}`}>{v}</Link>,
          },
          {
            title: t('lending.item'),
            key: 'items',
            render: (_, r) => (
              <span>
                {r.firstItem}
                {r.itemCount > 1 && (
                  <Typography.Text type="secondary">
                    {' '}
                    {t('lending.moreItems', { count: r.itemCount })}
                  </Typography.Text>
                )}
              </span>
            ),
          },
          {
            title: t('lending.mode'),
            key: 'mode',
            width: 150,
            render: (_, r) => <ModeTag mode={r.mode} purpose={r.purpose} />,
          },
          {
            title: t('lending.requester'),
            key: 'requester',
            width: 160,
            render: (_, r) =>
              `${r.requester.name}${r.requester.departmentName ? ` · ${r.requester.departmentName}` : ''}`,
          },
          {
            title: t('lending.status'),
            key: 'status',
            width: 170,
            render: (_, r) => (
              <span>
                <RequestStatusTag status={r.status} expired={r.expired} />
                {r.waitingFor && <Typography.Text type="secondary">{r.waitingFor}</Typography.Text>}
              </span>
            ),
          },
          {
            title: t('lending.period'),
            key: 'period',
            width: 200,
            render: (_, r) =>
              r.startDate ? `${r.startDate} — ${r.endDate ?? ''}` : t('lending.daysCount', { days: r.days }),
          },
          {
            title: t('lending.createdAt'),
            dataIndex: 'createdAt',
            width: 170,
            render: (v: string) => formatDateTime(v),
          },
        ]}
      />
      <LoadMore
        count={list.items.length}
        hasMore={!!list.nextCursor}
        loading={list.loadingMore}
        onLoadMore={list.loadMore}
      />
    </>
  );
}
