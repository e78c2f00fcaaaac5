import { Empty, Flex, Table, type TableColumnsType, Tooltip, Typography } from 'antd';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { retentionLabel } from '../../../common/documents';
import { SECRECY_LABELS } from '../../../common/enums';
import type { DocumentListItem } from '../../../common/schemas/documents';
import { escapeRegExp } from '../../../common/text';
import { SecrecyTag } from '../../components/labels';
import { useLabel, useLang, useT } from '../../i18n';
import { DocumentStatusTag } from './shared';

const dash = <Typography.Text type="secondary">—</Typography.Text>;

/** `text` with every occurrence of the query's words marked. */
function Highlighted({ text, words }: { text: string; words: string }) {
  const parts = words.split(/\s+/).filter(Boolean).map(escapeRegExp);
  if (parts.length === 0) return <>{text}</>;
  const pattern = new RegExp(`(${parts.join('|')})`, 'gi');
  return (
    <>
      {text.split(pattern).map((piece, i) =>
        i % 2 === 1 ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: pieces of one fixed string
          <mark key={i}>{piece}</mark>
        ) : (
          // biome-ignore lint/suspicious/noArrayIndexKey: pieces of one fixed string
          <span key={i}>{piece}</span>
        ),
      )}
    </>
  );
}

/** The register's rows: used by the document list and the customer's 文件 tab. */
export function DocumentTable({
  items,
  loading,
  empty,
  showCustomer = true,
  highlight = '',
}: {
  items: DocumentListItem[];
  loading: boolean;
  empty: ReactNode;
  showCustomer?: boolean;
  /** The search query, whose words are marked in text snippets. */
  highlight?: string;
}) {
  const t = useT();
  const label = useLabel();
  const { lang } = useLang();
  const columns: TableColumnsType<DocumentListItem> = [
    {
      title: t('documents.field.title'),
      dataIndex: 'title',
      width: 280,
      fixed: 'left',
      render: (v: string, d) => (
        <Flex vertical>
          <Link to={`/documents/${d.id}`}>{v}</Link>
          {d.docNumber && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {d.docNumber}
            </Typography.Text>
          )}
          {d.snippet && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="snippet">
              …<Highlighted text={d.snippet} words={highlight} />…
            </Typography.Text>
          )}
        </Flex>
      ),
    },
    { title: t('documents.field.category'), dataIndex: 'categoryName', width: 150, ellipsis: true },
    {
      // The level each record is handled at (R-P9): a 普通 document in a 机密 archive is 机密.
      title: t('documents.field.secrecy'),
      dataIndex: 'effectiveSecrecy',
      width: 100,
      render: (v: DocumentListItem['effectiveSecrecy'], d) => (
        <Tooltip
          title={
            v !== d.secrecy
              ? t('documents.secrecyInheritedShort', {
                  own: label(SECRECY_LABELS[d.secrecy]),
                  level: label(SECRECY_LABELS[v]),
                })
              : undefined
          }
        >
          <span data-testid="secrecy-cell">
            {v === 'normal' ? (
              <Typography.Text type="secondary">{label(SECRECY_LABELS[v])}</Typography.Text>
            ) : (
              <SecrecyTag level={v} />
            )}
            {v !== d.secrecy && (
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t('documents.secrecyByArchive')}
              </Typography.Text>
            )}
          </span>
        </Tooltip>
      ),
    },
    {
      title: t('documents.field.versionLabel'),
      key: 'version',
      width: 90,
      render: (_, d) => d.versionLabel ?? (d.versionCount > 1 ? `#${d.versionCount}` : dash),
    },
    { title: t('documents.field.issueDate'), dataIndex: 'issueDate', width: 110, render: (v) => v ?? dash },
    {
      title: t('documents.field.receivedDate'),
      dataIndex: 'receivedDate',
      width: 110,
      render: (v) => v ?? dash,
    },
    ...(showCustomer
      ? [
          {
            title: t('documents.field.customer'),
            key: 'customer',
            width: 200,
            ellipsis: true,
            render: (_: unknown, d: DocumentListItem) =>
              d.customer ? <Link to={`/customers/${d.customer.id}`}>{d.customer.name}</Link> : dash,
          },
        ]
      : []),
    {
      title: t('documents.field.department'),
      dataIndex: 'departmentName',
      width: 110,
      ellipsis: true,
      render: (v) => v ?? dash,
    },
    {
      title: t('documents.field.retention'),
      dataIndex: 'retention',
      width: 100,
      render: (v: string) => retentionLabel(v, lang),
    },
    {
      title: t('documents.files'),
      dataIndex: 'fileCount',
      width: 70,
      align: 'right',
      render: (v: number) => (v ? v : dash),
    },
    {
      title: t('documents.field.status'),
      dataIndex: 'status',
      width: 80,
      render: (v: DocumentListItem['status']) => <DocumentStatusTag status={v} />,
    },
  ];
  return (
    <Table<DocumentListItem>
      rowKey="id"
      size="middle"
      columns={columns}
      dataSource={items}
      loading={loading}
      pagination={false}
      scroll={{ x: showCustomer ? 1400 : 1200 }}
      locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={empty} /> }}
    />
  );
}
