import { PrinterOutlined } from '@ant-design/icons';
import { Card, Space, Table, Typography } from 'antd';
import { Link } from 'react-router';
import type { RegisterRow } from '../../../common/schemas/lending';
import { formatDateTime } from '../../../common/time';
import { lendingApi } from '../../api/lending';
import { ExportMenu } from '../../components/ExportMenu';
import { FileLink } from '../../components/FileLink';
import { LoadMore } from '../../components/LoadMore';
import { PageContainer } from '../../components/PageContainer';
import { useKeysetList } from '../../components/useKeysetList';
import { useT } from '../../i18n';
import { itemLink, ModeTag } from './shared';

/** 借阅登记簿 /lending/register: every loan and electronic access, newest first, and its export. */
export default function RegisterPage() {
  const t = useT();
  const list = useKeysetList<RegisterRow, object>((_, cursor) => lendingApi.register({}, cursor), {});
  return (
    <PageContainer
      title={t('lending.register.title')}
      subTitle={t('lending.register.intro')}
      extra={
        <Space>
          <FileLink inline icon={<PrinterOutlined />} href={lendingApi.registerPdfUrl()}>
            {t('lending.register.print')}
          </FileLink>
          <ExportMenu
            label={t('lending.register.export')}
            url={(format) => lendingApi.registerExportUrl(format)}
          />
        </Space>
      }
    >
      <Card>
        <Table<RegisterRow>
          rowKey="id"
          size="middle"
          loading={list.loading}
          dataSource={list.items}
          pagination={false}
          scroll={{ x: 1300 }}
          locale={{ emptyText: t('lending.register.empty') }}
          columns={[
            {
              title: t('lending.number'),
              dataIndex: 'requestNumber',
              width: 140,
              render: (v: string, r) => <Link to={`/lending/requests/${r.requestId}`}>{v}</Link>,
            },
            {
              title: t('lending.borrower'),
              key: 'who',
              width: 180,
              render: (_, r) => (
                <span>
                  {r.borrower}
                  {r.department && <Typography.Text type="secondary"> · {r.department}</Typography.Text>}
                  {r.external && <div>{r.external}</div>}
                </span>
              ),
            },
            {
              title: t('lending.item'),
              key: 'item',
              render: (_, r) => <Link to={itemLink(r.targetType, r.targetId)}>{r.label}</Link>,
            },
            { title: t('lending.code'), dataIndex: 'code', width: 200, render: (v) => v ?? '—' },
            {
              title: t('lending.mode'),
              key: 'mode',
              width: 150,
              render: (_, r) => <ModeTag mode={r.mode} purpose={r.purpose} />,
            },
            {
              title: t('lending.out'),
              dataIndex: 'out',
              width: 150,
              render: (v: string) => formatDateTime(v).slice(0, 16),
            },
            { title: t('lending.due'), dataIndex: 'due', width: 110 },
            {
              title: t('lending.returned'),
              dataIndex: 'returned',
              width: 150,
              render: (v: string | null) => (v ? formatDateTime(v).slice(0, 16) : '—'),
            },
            { title: t('lending.approvers'), dataIndex: 'approvers', width: 140 },
            { title: t('lending.condition'), dataIndex: 'condition', width: 180, render: (v) => v ?? '—' },
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
