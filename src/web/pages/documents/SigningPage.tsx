import { Card, Empty, Flex, Space, Table, Tag } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { Link } from 'react-router';
import { APPROVAL_STATE_LABELS, copyNumber } from '../../../common/documents';
import type { Copy, PendingApproval } from '../../../common/schemas/documents';
import { formatDateTime } from '../../../common/time';
import { documentsApi } from '../../api/documents';
import { useAuth } from '../../auth/AuthContext';
import { FileLink } from '../../components/FileLink';
import { PageContainer } from '../../components/PageContainer';
import { useLabel, useT } from '../../i18n';
import { ReceiptCell, SignButtons } from './CopiesTab';

/**
 * 待我签署 /documents/copies/unsigned (issue 18): the versions of internal documents waiting for
 * my 审核/会签/批准, and the distributed copies waiting for their recipient's signature (签收, or
 * 交回签字 when recalled) — my own, or every one for the archivist, with the 文件发放/回收登记表.
 */
export default function SigningPage() {
  const t = useT();
  const label = useLabel();
  const { can } = useAuth();
  const [approvals, setApprovals] = useState<PendingApproval[] | null>(null);
  const [copies, setCopies] = useState<Copy[] | null>(null);
  const load = useCallback(() => {
    documentsApi
      .pendingApprovals()
      .then(setApprovals)
      .catch(() => setApprovals([]));
    documentsApi
      .unsignedCopies()
      .then(setCopies)
      .catch(() => setCopies([]));
  }, []);
  useEffect(load, [load]);
  const archivist = can('document.distribute');
  return (
    <PageContainer title={t('documents.signing.title')} subTitle={t('documents.signing.intro')}>
      <Flex vertical gap={16}>
        <Card title={t('documents.signing.approvals')} size="small">
          <Table<PendingApproval>
            rowKey="versionId"
            size="small"
            pagination={false}
            loading={approvals === null}
            dataSource={approvals ?? []}
            data-testid="pending-approvals"
            locale={{
              emptyText: (
                <Empty
                  image={Empty.PRESENTED_IMAGE_SIMPLE}
                  description={t('documents.signing.noApprovals')}
                />
              ),
            }}
            columns={[
              {
                title: t('documents.field.title'),
                key: 'title',
                render: (_, a) => <Link to={`/documents/${a.documentId}`}>{a.title}</Link>,
              },
              { title: t('documents.field.docNumber'), dataIndex: 'docNumber', width: 140 },
              { title: t('documents.field.versionLabel'), dataIndex: 'versionLabel', width: 90 },
              {
                title: t('documents.signing.state'),
                key: 'state',
                width: 120,
                render: (_, a) => <Tag color="gold">{label(APPROVAL_STATE_LABELS[a.state])}</Tag>,
              },
              { title: t('documents.approval.step.draft'), dataIndex: 'drafter', width: 100 },
            ]}
          />
        </Card>
        <Card
          title={t('documents.signing.copies')}
          size="small"
          extra={
            archivist && (
              <Space>
                <FileLink size="small" href={documentsApi.copyRegisterUrl('xlsx')}>
                  {t('documents.signing.registerXlsx')}
                </FileLink>
                <FileLink size="small" href={documentsApi.copyRegisterUrl('csv')}>
                  {t('documents.signing.registerCsv')}
                </FileLink>
              </Space>
            )
          }
        >
          <Table<Copy>
            rowKey="id"
            size="small"
            pagination={false}
            loading={copies === null}
            dataSource={copies ?? []}
            data-testid="unsigned-copies"
            scroll={{ x: 900 }}
            locale={{
              emptyText: (
                <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('documents.signing.noCopies')} />
              ),
            }}
            columns={[
              {
                title: t('documents.field.title'),
                key: 'title',
                render: (_, c) => <Link to={`/documents/${c.documentId}`}>{c.documentTitle}</Link>,
              },
              { title: t('documents.field.versionLabel'), dataIndex: 'versionLabel', width: 80 },
              {
                title: t('documents.copies.no'),
                dataIndex: 'copyNo',
                width: 70,
                render: (n: number) => copyNumber(n),
              },
              { title: t('documents.copies.recipient'), dataIndex: 'recipient', width: 160 },
              {
                title: t('documents.copies.distributed'),
                key: 'distributed',
                width: 170,
                render: (_, c) => formatDateTime(c.distributedAt),
              },
              {
                title: t('documents.copies.receipt'),
                key: 'receipt',
                width: 150,
                render: (_, c) => <ReceiptCell copy={c} />,
              },
              {
                title: t('common.actions'),
                key: 'actions',
                width: 180,
                render: (_, c) => <SignButtons copy={c} onDone={load} />,
              },
            ]}
          />
        </Card>
      </Flex>
    </PageContainer>
  );
}
