import { FileProtectOutlined, PaperClipOutlined, PrinterOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Empty, Flex, Form, Select, Table, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { Link } from 'react-router';
import { ORDER_FILE_KIND_LABELS, ORDER_FILE_KINDS, type OrderFileKind } from '../../../common/orders';
import type { Order, OrderFiles } from '../../../common/schemas/orders';
import { formatDateTime } from '../../../common/time';
import { errorText, formErrorText } from '../../api/client';
import { orderRecordsApi } from '../../api/order-records';
import { FileLink } from '../../components/FileLink';
import { FilePicker } from '../../components/FilePicker';
import { FormDrawer } from '../../components/FormDrawer';
import { useLabel, useT } from '../../i18n';

// The order's papers: the 评审记录表 (printed as it stands), the record filed into the customer's
// archive at the signature (retention L1, 档号), and the attachments — the PO scan, a phone
// order's written confirmation, R&D's 可行性分析报告 — with an upload for whoever may attach.

function useOrderFiles(orderId: string, version: string) {
  const [files, setFiles] = useState<OrderFiles | null>(null);
  const [error, setError] = useState<unknown>(null);
  const load = useCallback(async () => {
    try {
      setFiles(await orderRecordsApi.files(orderId));
      setError(null);
    } catch (e) {
      setError(e);
    }
  }, [orderId]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: reloaded when the order changes
  useEffect(() => {
    load();
  }, [load, version]);
  return { files, error, load };
}

const size = (n: number) =>
  n < 1024 * 1024 ? `${Math.max(1, Math.round(n / 1024))} KB` : `${(n / 1024 / 1024).toFixed(1)} MB`;

export function OrderRecordCard({ o }: { o: Order }) {
  const t = useT();
  const label = useLabel();
  const { files, error, load } = useOrderFiles(o.id, `${o.status}:${o.updatedAt}`);
  const [uploading, setUploading] = useState<{ kind: OrderFileKind; departmentId: string | null } | null>(
    null,
  );
  const record = files?.record ?? null;
  return (
    <Card
      title={t('orders.record.title')}
      size="small"
      data-testid="order-record"
      extra={
        <Flex gap={8} wrap>
          <FileLink
            icon={<PrinterOutlined />}
            href={orderRecordsApi.recordUrl(o.id)}
            inline
            data-testid="order-record-pdf"
          >
            {t('orders.record.print')}
          </FileLink>
          {files?.can.attach && (
            <Button
              icon={<PaperClipOutlined />}
              onClick={() => setUploading({ kind: 'po', departmentId: null })}
            >
              {t('orders.files.add')}
            </Button>
          )}
          {files?.can.feasibilityDepartments.map((d) => (
            <Button
              key={d.id}
              icon={<PaperClipOutlined />}
              onClick={() => setUploading({ kind: 'feasibility', departmentId: d.id })}
            >
              {t('orders.files.addFeasibility', { department: d.name })}
            </Button>
          ))}
        </Flex>
      }
    >
      {error ? <Alert type="error" title={errorText(error)} style={{ marginBottom: 12 }} /> : null}
      {record ? (
        <Alert
          type="success"
          icon={<FileProtectOutlined />}
          showIcon
          style={{ marginBottom: 12 }}
          data-testid="order-record-filed"
          title={
            <span>
              {t('orders.record.filed')} <Link to={`/documents/${record.documentId}`}>{record.title}</Link>
            </span>
          }
          description={t('orders.record.filedDetail', {
            archiveNo: record.archiveNo ?? t('orders.record.noArchiveNo'),
            retention: record.retention,
          })}
        />
      ) : files?.recordFiled ? (
        <Alert type="info" style={{ marginBottom: 12 }} title={t('orders.record.filedHidden')} />
      ) : (
        <Typography.Paragraph type="secondary">{t('orders.record.notYet')}</Typography.Paragraph>
      )}
      <Table
        size="small"
        rowKey="id"
        pagination={false}
        dataSource={files?.items ?? []}
        loading={!files && !error}
        locale={{
          emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('orders.files.empty')} />,
        }}
        columns={[
          {
            title: t('orders.files.kind'),
            dataIndex: 'kind',
            width: 150,
            render: (k: OrderFileKind) => <Tag>{label(ORDER_FILE_KIND_LABELS[k])}</Tag>,
          },
          {
            title: t('orders.files.name'),
            dataIndex: 'name',
            render: (v: string, f) => (
              <FileLink
                type="link"
                size="small"
                href={orderRecordsApi.fileUrl(o.id, f.id)}
                style={{ padding: 0 }}
              >
                {v}
              </FileLink>
            ),
          },
          { title: t('orders.files.department'), render: (_, f) => f.department?.name ?? '—', width: 120 },
          { title: t('orders.files.size'), dataIndex: 'size', width: 90, render: (n: number) => size(n) },
          {
            title: t('orders.files.by'),
            width: 200,
            render: (_, f) => `${f.createdBy?.name ?? '—'} · ${formatDateTime(f.createdAt)}`,
          },
        ]}
      />
      <UploadDrawer
        o={o}
        target={uploading}
        onClose={() => setUploading(null)}
        onDone={() => {
          setUploading(null);
          load();
        }}
      />
    </Card>
  );
}

/** One file for the order: its kind (sales' kinds, or R&D's feasibility report) and the file. */
function UploadDrawer({
  o,
  target,
  onClose,
  onDone,
}: {
  o: Order;
  target: { kind: OrderFileKind; departmentId: string | null } | null;
  onClose: () => void;
  onDone: () => void;
}) {
  const t = useT();
  const label = useLabel();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ kind: OrderFileKind }>();
  const [file, setFile] = useState<File | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const feasibility = target?.kind === 'feasibility';
  return (
    <FormDrawer
      open={!!target}
      title={`${feasibility ? t('orders.files.feasibility') : t('orders.files.add')}：${o.number}`}
      form={form}
      saving={saving}
      error={error}
      onClose={onClose}
      afterClose={() => {
        setFile(null);
        setError(null);
        setProgress(null);
        form.resetFields();
      }}
      saveText={t('orders.files.upload')}
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={{ kind: 'po' }}
        onFinish={async (v) => {
          if (!target) return;
          if (!file) {
            setError(t('orders.files.pick'));
            return;
          }
          setSaving(true);
          setError(null);
          try {
            setProgress(0);
            await orderRecordsApi.upload(
              o.id,
              file,
              feasibility ? 'feasibility' : v.kind,
              target.departmentId,
              setProgress,
            );
            message.success(t('orders.files.uploaded', { name: file.name }));
            onDone();
          } catch (e) {
            setError(formErrorText(form, e));
          } finally {
            setSaving(false);
            setProgress(null);
          }
        }}
      >
        {!feasibility && (
          <Form.Item name="kind" label={t('orders.files.kind')} rules={[{ required: true }]}>
            <Select
              data-testid="order-file-kind"
              options={ORDER_FILE_KINDS.filter((k) => k !== 'feasibility').map((k) => ({
                value: k,
                label: label(ORDER_FILE_KIND_LABELS[k]),
              }))}
            />
          </Form.Item>
        )}
        <Typography.Paragraph type="secondary">
          {feasibility ? t('orders.files.feasibilityHelp') : t('orders.files.help')}
        </Typography.Paragraph>
        <FilePicker file={file} onChange={setFile} progress={progress} />
      </Form>
    </FormDrawer>
  );
}

/**
 * In R&D's review form: the 可行性分析报告 this review needs (a new product in the full route),
 * the reports attached and an upload. Nothing for other departments.
 */
export function FeasibilityReport({ o, departmentId }: { o: Order; departmentId: string }) {
  const t = useT();
  const { message } = App.useApp();
  const { files, load } = useOrderFiles(o.id, o.updatedAt);
  const [progress, setProgress] = useState<number | null>(null);
  if (!files?.can.feasibilityDepartments.some((d) => d.id === departmentId)) return null;
  const reports = files.items.filter((f) => f.kind === 'feasibility' && f.department?.id === departmentId);
  const needed = o.route === 'full' && o.classReasons.some((r) => r.code === 'new_part');
  return (
    <Alert
      type={reports.length || !needed ? 'info' : 'warning'}
      style={{ marginBottom: 16 }}
      data-testid="order-feasibility"
      title={needed ? t('orders.files.feasibilityNeeded') : t('orders.files.feasibility')}
      description={
        <>
          {reports.map((f) => (
            <div key={f.id}>
              <FileLink
                type="link"
                size="small"
                href={orderRecordsApi.fileUrl(o.id, f.id)}
                style={{ padding: 0 }}
              >
                {f.name}
              </FileLink>
            </div>
          ))}
          <input
            type="file"
            aria-label={t('orders.files.feasibility')}
            data-testid="order-feasibility-input"
            onChange={async (e) => {
              const file = e.target.files?.[0];
              e.target.value = '';
              if (!file) return;
              try {
                setProgress(0);
                await orderRecordsApi.upload(o.id, file, 'feasibility', departmentId, setProgress);
                message.success(t('orders.files.uploaded', { name: file.name }));
                await load();
              } catch (err) {
                message.error(errorText(err));
              } finally {
                setProgress(null);
              }
            }}
          />
          {progress !== null && <Typography.Text type="secondary"> {progress}%</Typography.Text>}
        </>
      }
    />
  );
}
