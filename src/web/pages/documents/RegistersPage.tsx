import { PrinterOutlined, SafetyCertificateOutlined, UploadOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Checkbox, Empty, Flex, Table, Tabs, Tooltip, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import {
  COPY_MARK_LABELS,
  copyNumber,
  DOCUMENT_STATUS_LABELS,
  type ObsoleteVersion,
  obsoleteVersionSource,
  REGISTER_COLUMNS,
  REGISTER_LABELS,
  REGISTERS,
  type Register,
  registerCells,
  secrecyText,
} from '../../../common/documents';
import type { ArchiveCheck, Copy, DocumentListItem } from '../../../common/schemas/documents';
import { formatDateTime } from '../../../common/time';
import { errorText } from '../../api/client';
import { type DocumentQuery, documentsApi } from '../../api/documents';
import { useAuth } from '../../auth/AuthContext';
import { ExportMenu } from '../../components/ExportMenu';
import { FileLink } from '../../components/FileLink';
import { LoadMore } from '../../components/LoadMore';
import { PageContainer } from '../../components/PageContainer';
import { useKeysetList } from '../../components/useKeysetList';
import { useLabel, useLang, useT } from '../../i18n';

/** 登记簿 /documents/registers: the three registers of R-D3 with their paper-form columns. */
export default function RegistersPage() {
  const t = useT();
  const label = useLabel();
  const [params, setParams] = useSearchParams();
  const { can } = useAuth();
  const asked = params.get('register') ?? '';
  const current =
    (REGISTERS as readonly string[]).includes(asked) || asked === 'recalls' ? asked : 'external';
  return (
    <PageContainer title={t('documents.registers.title')} subTitle={t('documents.registers.intro')}>
      <Card styles={{ body: { paddingTop: 4 } }}>
        <Tabs
          activeKey={current}
          onChange={(key) => setParams({ register: key }, { replace: true })}
          destroyOnHidden
          items={[
            ...REGISTERS.map((r) => ({
              key: r,
              label: label(REGISTER_LABELS[r]),
              children: <RegisterTable register={r} />,
            })),
            ...(can('document.distribute')
              ? [{ key: 'recalls', label: t('documents.recalls.title'), children: <RecallList /> }]
              : []),
          ]}
        />
      </Card>
    </PageContainer>
  );
}

function RegisterTable({ register }: { register: Register }) {
  const t = useT();
  const label = useLabel();
  const { lang } = useLang();
  const { can } = useAuth();
  const filed = register === 'filed';
  const query: DocumentQuery = filed ? { register, sort: 'archiveNo' } : { register };
  const list = useKeysetList<DocumentListItem, DocumentQuery>(
    (q, cursor) => documentsApi.list(q, cursor),
    query,
  );
  const [withObsolete, setWithObsolete] = useState(false);
  /** 档案移交清单: the filed records ticked. */
  const [selected, setSelected] = useState<string[]>([]);
  const [obsolete, setObsolete] = useState<Record<string, ObsoleteVersion[]>>({});
  const loadedIds = list.items.map((i) => i.id).join(',');
  useEffect(() => {
    if (!withObsolete || !loadedIds) return;
    documentsApi
      .obsoleteVersions(loadedIds.split(','))
      .then(setObsolete)
      .catch(() => {});
  }, [withObsolete, loadedIds]);
  let index = 0;
  const rows = list.items.flatMap((item) => {
    const source = {
      ...item,
      secrecyLabel: secrecyText(item.secrecy, item.effectiveSecrecy, lang),
      statusText: label(DOCUMENT_STATUS_LABELS[item.status]),
    };
    const versions = withObsolete ? (obsolete[item.id] ?? []) : [];
    return [
      { key: item.id, id: item.id, obsolete: false, ...registerCells(source, ++index) },
      ...versions.map((v) => ({
        key: `${item.id}-${v.seq}`,
        id: item.id,
        obsolete: true,
        ...registerCells(obsoleteVersionSource(source, v), ++index),
      })),
    ];
  });
  const columns = REGISTER_COLUMNS[register].map((c) => ({
    title: c.header[lang],
    dataIndex: c.key,
    key: c.key,
    width: c.key === 'index' ? 64 : c.width * 9,
    ellipsis: c.key !== 'title',
    render:
      c.key === 'title'
        ? (v: string, row: { id: string }) => <Link to={`/documents/${row.id}`}>{v}</Link>
        : undefined,
  }));
  return (
    <Flex vertical gap={12}>
      <Flex justify="flex-end" align="center" gap={8}>
        {!filed && (
          <Checkbox checked={withObsolete} onChange={(e) => setWithObsolete(e.target.checked)}>
            {t('documents.registers.withObsolete')}
          </Checkbox>
        )}
        {filed && can('document.report') && <ArchiveCheckButton />}
        {filed && can('document.file') && (
          <Tooltip title={selected.length ? undefined : t('documents.registers.transferHint')}>
            <span>
              <FileLink
                inline
                icon={<PrinterOutlined />}
                disabled={selected.length === 0}
                href={documentsApi.transferListUrl(selected)}
                data-testid="print-transfer-list"
              >
                {t('documents.registers.transferList', { count: selected.length })}
              </FileLink>
            </span>
          </Tooltip>
        )}
        {can(filed ? 'document.file' : 'document.create') && (
          <Link to={`/documents/registers/import?register=${register}`}>
            <Button icon={<UploadOutlined />}>{t('documents.registers.import')}</Button>
          </Link>
        )}
        <Tooltip title={t('documents.registers.exportHint')}>
          <span>
            <ExportMenu
              label={t('documents.registers.export')}
              url={(format) => documentsApi.registerUrl(register, {}, withObsolete, format)}
            />
          </span>
        </Tooltip>
      </Flex>
      <Table
        rowKey="key"
        size="middle"
        columns={columns}
        dataSource={rows}
        rowClassName={(row) => (row.obsolete ? 'register-obsolete' : '')}
        rowSelection={
          filed && can('document.file')
            ? { selectedRowKeys: selected, onChange: (keys) => setSelected(keys as string[]) }
            : undefined
        }
        loading={list.loading}
        pagination={false}
        scroll={{ x: columns.reduce((sum, c) => sum + c.width, 0) }}
        locale={{
          emptyText: (
            <Empty
              image={Empty.PRESENTED_IMAGE_SIMPLE}
              description={t(`documents.registers.empty.${register}`)}
            />
          ),
        }}
      />
      <LoadMore
        count={list.items.length}
        hasMore={!!list.nextCursor}
        loading={list.loadingMore}
        onLoadMore={list.loadMore}
      />
    </Flex>
  );
}

/** 档号连续性检查: which 件号 were issued but are on no record (漏号). */
function ArchiveCheckButton() {
  const t = useT();
  const { message, modal } = App.useApp();
  const [busy, setBusy] = useState(false);
  const run = async () => {
    setBusy(true);
    try {
      const check: ArchiveCheck = await documentsApi.archiveCheck();
      const gaps = check.sequences.filter((s) => s.missing.length > 0);
      modal.info({
        title: t('documents.check.title'),
        width: 640,
        content: (
          <Flex vertical gap={12} style={{ marginTop: 12 }}>
            {gaps.length === 0 ? (
              <Alert
                type="success"
                showIcon
                title={t('documents.check.ok', { count: check.sequences.length })}
              />
            ) : (
              <Alert type="error" showIcon title={t('documents.check.gaps', { count: gaps.length })} />
            )}
            <Table
              size="small"
              rowKey="sequence"
              pagination={false}
              dataSource={check.sequences}
              columns={[
                { title: t('documents.check.sequence'), dataIndex: 'sequence' },
                { title: t('documents.check.issued'), dataIndex: 'issued', width: 80, align: 'right' },
                { title: t('documents.check.used'), dataIndex: 'used', width: 80, align: 'right' },
                {
                  title: t('documents.check.missing'),
                  dataIndex: 'missing',
                  render: (m: number[]) =>
                    m.length ? (
                      <Typography.Text type="danger">{m.join('、')}</Typography.Text>
                    ) : (
                      <Typography.Text type="secondary">—</Typography.Text>
                    ),
                },
              ]}
            />
          </Flex>
        ),
      });
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Button icon={<SafetyCertificateOutlined />} loading={busy} onClick={run}>
      {t('documents.check.run')}
    </Button>
  );
}

/** 待回收副本: copies of superseded versions that have not come back yet. */
function RecallList() {
  const t = useT();
  const label = useLabel();
  const { message } = App.useApp();
  const [items, setItems] = useState<Copy[] | null>(null);
  useEffect(() => {
    documentsApi
      .recalls()
      .then(setItems)
      .catch((e) => message.error(errorText(e)));
  }, [message]);
  return (
    <Flex vertical gap={12}>
      <Flex justify="flex-end">
        <ExportMenu label={t('documents.recalls.export')} url={(f) => documentsApi.recallsExportUrl(f)} />
      </Flex>
      <Table<Copy>
        rowKey="id"
        size="middle"
        loading={items === null}
        dataSource={items ?? []}
        pagination={false}
        locale={{
          emptyText: (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('documents.recalls.empty')} />
          ),
        }}
        columns={[
          {
            title: t('documents.field.title'),
            dataIndex: 'documentTitle',
            render: (v: string, c) => <Link to={`/documents/${c.documentId}`}>{v}</Link>,
          },
          { title: t('documents.field.versionLabel'), dataIndex: 'versionLabel', width: 90 },
          {
            title: t('documents.copies.no'),
            dataIndex: 'copyNo',
            width: 70,
            render: (n: number) => copyNumber(n),
          },
          {
            title: t('documents.copies.mark'),
            dataIndex: 'mark',
            width: 100,
            render: (m: Copy['mark']) => label(COPY_MARK_LABELS[m]),
          },
          { title: t('documents.copies.recipient'), dataIndex: 'recipient', width: 180 },
          {
            title: t('documents.copies.distributed'),
            dataIndex: 'distributedAt',
            width: 170,
            render: (v: string) => formatDateTime(v),
          },
        ]}
      />
    </Flex>
  );
}
