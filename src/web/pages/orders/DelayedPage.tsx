import { DownloadOutlined } from '@ant-design/icons';
import { Card, Table, Tag, Typography } from 'antd';
import { Link } from 'react-router';
import { DELAY_VIA_LABELS } from '../../../common/order-deliveries';
import type { DelayedLine } from '../../../common/schemas/order-deliveries';
import { deliveriesApi } from '../../api/order-deliveries';
import { FileLink } from '../../components/FileLink';
import { LoadMore } from '../../components/LoadMore';
import { PageContainer } from '../../components/PageContainer';
import { useKeysetList } from '../../components/useKeysetList';
import { useLabel, useT } from '../../i18n';
import { DeliveryImportButton } from './DeliveryImport';

// 掉期订单跟踪表 / 每日订单评审 /orders/delayed (R-K5): open lines past their promised date or
// predicted to miss it, oldest first, with the delay recorded (reason, new date, who told the
// customer, when and how); exported as the tracking sheet.

export default function DelayedPage() {
  const t = useT();
  const label = useLabel();
  const list = useKeysetList<DelayedLine, Record<string, never>>(
    (_, cursor) => deliveriesApi.delayed({}, cursor),
    {},
  );
  return (
    <PageContainer
      title={t('delayed.title')}
      subTitle={t('delayed.intro')}
      extra={
        <>
          <DeliveryImportButton onDone={() => list.reload()} />
          <FileLink icon={<DownloadOutlined />} href={deliveriesApi.delayedUrl({}, 'xlsx')}>
            {t('delayed.export.xlsx')}
          </FileLink>
          <FileLink href={deliveriesApi.delayedUrl({}, 'csv')}>{t('delayed.export.csv')}</FileLink>
        </>
      }
    >
      <Card size="small">
        <Table<DelayedLine>
          rowKey="lineId"
          size="small"
          loading={list.loading}
          pagination={false}
          dataSource={list.items}
          locale={{ emptyText: t('delayed.empty') }}
          data-testid="delayed-table"
          columns={[
            {
              title: t('orders.field.number'),
              render: (_, x) => <Link to={`/orders/${x.orderId}`}>{x.orderNumber}</Link>,
            },
            { title: t('orders.field.customer'), render: (_, x) => x.customer.name },
            { title: t('deliveries.line'), dataIndex: 'lineNo', width: 56 },
            { title: t('deliveries.part'), render: (_, x) => `${x.partNumber} ${x.product}` },
            { title: t('deliveries.ordered'), align: 'right', render: (_, x) => `${x.quantity} ${x.unit}` },
            { title: t('deliveries.open'), dataIndex: 'open', align: 'right' },
            { title: t('deliveries.due'), dataIndex: 'dueOn' },
            {
              title: t('delayed.daysLate'),
              align: 'right',
              render: (_, x) =>
                x.daysLate > 0 ? (
                  <Typography.Text type="danger">{x.daysLate}</Typography.Text>
                ) : (
                  <Tag>{t('delays.predicted')}</Tag>
                ),
            },
            { title: t('delays.field.reason'), render: (_, x) => x.delay?.reason ?? '' },
            { title: t('delays.field.newDate'), render: (_, x) => x.delay?.newDate ?? '' },
            {
              title: t('delays.field.informedBy'),
              render: (_, x) =>
                x.delay?.informedBy
                  ? `${x.delay.informedBy} ${x.delay.informedOn ?? ''} ${
                      x.delay.informedVia ? label(DELAY_VIA_LABELS[x.delay.informedVia]) : ''
                    }`
                  : '',
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
