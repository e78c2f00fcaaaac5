import { DownloadOutlined } from '@ant-design/icons';
import { Alert, Card, Empty, Flex, Table, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import type { SecrecyReviewItem, SecrecyReviews } from '../../../common/schemas/documents';
import { errorText } from '../../api/client';
import { documentsApi } from '../../api/documents';
import { FileLink } from '../../components/FileLink';
import { SecrecyTag } from '../../components/labels';
import { PageContainer } from '../../components/PageContainer';
import { useT } from '../../i18n';

/**
 * 解密/降密审查 /documents/secrecy-reviews (R-P10): classified records whose secrecy term has
 * ended — and those ending within the notice period — wait here for a decision on their level.
 * Nothing changes by itself; the list only shows what the reader may see.
 */
export default function SecrecyReviewsPage() {
  const t = useT();
  const [data, setData] = useState<SecrecyReviews | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    documentsApi
      .secrecyReviews()
      .then(setData)
      .catch((e) => setError(errorText(e)));
  }, []);
  const columns = [
    {
      title: t('documents.field.title'),
      dataIndex: 'title',
      key: 'title',
      render: (v: string, row: SecrecyReviewItem) => <Link to={`/documents/${row.id}`}>{v}</Link>,
    },
    { title: t('documents.field.docNumber'), dataIndex: 'docNumber', key: 'docNumber', width: 150 },
    { title: t('documents.field.category'), dataIndex: 'categoryName', key: 'categoryName', width: 140 },
    {
      title: t('documents.field.department'),
      dataIndex: 'departmentName',
      key: 'departmentName',
      width: 110,
    },
    {
      title: t('documents.field.secrecy'),
      key: 'secrecy',
      width: 90,
      render: (_: unknown, row: SecrecyReviewItem) => <SecrecyTag level={row.effectiveSecrecy} />,
    },
    {
      title: t('documents.term.mark'),
      dataIndex: 'secrecyMark',
      key: 'mark',
      width: 170,
      render: (v: string | null) => <Typography.Text type="danger">{v}</Typography.Text>,
    },
    { title: t('documents.term.from'), dataIndex: 'termFrom', key: 'from', width: 110 },
    { title: t('documents.term.ends'), dataIndex: 'termUntil', key: 'until', width: 110 },
    {
      title: t('documents.reviews.state'),
      key: 'state',
      width: 110,
      render: (_: unknown, row: SecrecyReviewItem) =>
        row.state === 'ended' ? (
          <Tag color="red">{t('documents.reviews.ended')}</Tag>
        ) : (
          <Tag color="orange">{t('documents.reviews.soon')}</Tag>
        ),
    },
  ];
  return (
    <PageContainer title={t('documents.reviews.title')} subTitle={t('documents.reviews.intro')}>
      <Card>
        <Flex vertical gap={12}>
          {error && <Alert type="error" showIcon title={error} />}
          {data && (
            <Alert
              type="info"
              showIcon
              title={t('documents.reviews.window', { today: data.today, soonUntil: data.soonUntil })}
            />
          )}
          <Flex justify="flex-end" gap={8}>
            <FileLink icon={<DownloadOutlined />} href={documentsApi.secrecyReviewsUrl('xlsx')}>
              {t('documents.reviews.exportXlsx')}
            </FileLink>
            <FileLink icon={<DownloadOutlined />} href={documentsApi.secrecyReviewsUrl('csv')}>
              {t('documents.reviews.exportCsv')}
            </FileLink>
          </Flex>
          <Table
            rowKey="id"
            size="middle"
            columns={columns}
            dataSource={data?.items ?? []}
            loading={!data && !error}
            pagination={false}
            scroll={{ x: 1200 }}
            locale={{
              emptyText: (
                <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('documents.reviews.empty')} />
              ),
            }}
          />
        </Flex>
      </Card>
    </PageContainer>
  );
}
