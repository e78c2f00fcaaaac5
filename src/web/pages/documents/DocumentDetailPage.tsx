import {
  DeleteOutlined,
  DownloadOutlined,
  EditOutlined,
  EyeOutlined,
  FileAddOutlined,
  FolderAddOutlined,
  ReadOutlined,
  SafetyCertificateOutlined,
  UploadOutlined,
} from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  DatePicker,
  Descriptions,
  Empty,
  Flex,
  Form,
  Input,
  Modal,
  Progress,
  Result,
  Space,
  Table,
  Tabs,
  Tag,
  Timeline,
  Tooltip,
  Typography,
  Upload,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useCallback, useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import {
  CARRIER_LABELS,
  DOCUMENT_EVENT_LABELS,
  DOCUMENT_SOURCE_LABELS,
  PREVIEW_TYPES,
  retentionLabel,
} from '../../../common/documents';
import { SECRECY_LABELS } from '../../../common/enums';
import type {
  Document,
  DocumentEvent,
  DocumentFile,
  DocumentVersion,
} from '../../../common/schemas/documents';
import { formatDateTime } from '../../../common/time';
import { errorText, formErrorText, isApiError } from '../../api/client';
import { documentsApi } from '../../api/documents';
import { FilePicker } from '../../components/FilePicker';
import { FormDrawer } from '../../components/FormDrawer';
import { SecrecyTag } from '../../components/labels';
import { PageContainer, PageSpin } from '../../components/PageContainer';
import { useLabel, useLang, useT } from '../../i18n';
import { LendingHistory } from '../lending/shared';
import { DocumentRetention, HoldButton } from '../retention/shared';
import { CopiesTab } from './CopiesTab';
import { DocumentFormDrawer } from './DocumentFormDrawer';
import { DocumentStatusTag, formatSize } from './shared';

/** Types a stamped copy can be made of. */
const STAMPABLE = ['application/pdf', 'image/png', 'image/jpeg'];

const orDash = (v: string | number | null | undefined) =>
  v === null || v === undefined || v === '' ? <Typography.Text type="secondary">—</Typography.Text> : v;

/** 文件 /documents/:id: the register entry, its versions with files, and its history. */
export default function DocumentDetailPage() {
  const { id = '' } = useParams();
  const t = useT();
  const label = useLabel();
  const { lang } = useLang();
  const navigate = useNavigate();
  const { message, modal } = App.useApp();
  const [doc, setDoc] = useState<Document | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [events, setEvents] = useState<DocumentEvent[]>([]);
  const [editing, setEditing] = useState(false);
  const [versioning, setVersioning] = useState(false);
  const [withdrawing, setWithdrawing] = useState(false);
  const [upload, setUpload] = useState<{ name: string; percent: number } | null>(null);

  const load = useCallback(async () => {
    try {
      const [d, e] = await Promise.all([documentsApi.get(id), documentsApi.events(id)]);
      setDoc(d);
      setEvents(e);
      setError(null);
    } catch (e) {
      setError(e);
    }
  }, [id]);

  useEffect(() => {
    load();
  }, [load]);

  if (error && isApiError(error) && error.status === 404) {
    return (
      <Result
        status="404"
        title={t('documents.notFound')}
        extra={<Button onClick={() => navigate('/documents')}>{t('documents.backToList')}</Button>}
      />
    );
  }
  if (error) return <Result status="error" title={errorText(error)} />;
  if (!doc) return <PageSpin />;

  const current = doc.versions.find((v) => v.status === 'current');
  const versionName = (v: Pick<DocumentVersion, 'label' | 'seq'>) => v.label ?? `#${v.seq}`;

  const uploadFile = async (file: File) => {
    setUpload({ name: file.name, percent: 0 });
    try {
      await documentsApi.upload(doc.id, file, (percent) => setUpload({ name: file.name, percent }));
      message.success(t('documents.uploaded', { name: file.name }));
      await load();
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setUpload(null);
    }
  };

  return (
    <PageContainer
      title={doc.title}
      subTitle={
        <Space size={8} wrap>
          {doc.docNumber && <span>{doc.docNumber}</span>}
          <span>{doc.categoryName}</span>
          <DocumentStatusTag status={doc.status} />
          {doc.secrecy !== 'normal' && <SecrecyTag level={doc.secrecy} />}
        </Space>
      }
      extra={
        <>
          {doc.can.update && (
            <Upload
              showUploadList={false}
              beforeUpload={(f) => {
                uploadFile(f);
                return false;
              }}
            >
              <Button icon={<UploadOutlined />} loading={!!upload}>
                {t('documents.upload')}
              </Button>
            </Upload>
          )}
          {doc.can.update && (
            <Button icon={<FileAddOutlined />} onClick={() => setVersioning(true)}>
              {t('documents.newVersion')}
            </Button>
          )}
          {doc.can.update && (
            <Button icon={<EditOutlined />} onClick={() => setEditing(true)}>
              {t('documents.editMetadata')}
            </Button>
          )}
          {doc.can.file && (
            <Button
              icon={<FolderAddOutlined />}
              onClick={() =>
                modal.confirm({
                  title: t('documents.fileRecord'),
                  content: t('documents.fileConfirm', { title: doc.title }),
                  onOk: async () => {
                    try {
                      const filed = await documentsApi.file(doc.id);
                      message.success(t('documents.filed', { archiveNo: filed.archiveNo ?? '' }));
                      await load();
                    } catch (e) {
                      message.error(errorText(e));
                    }
                  },
                })
              }
            >
              {t('documents.fileRecord')}
            </Button>
          )}
          {doc.carrier !== 'electronic' && doc.status !== 'destroyed' && (
            <Link to={`/lending/new?q=${encodeURIComponent(doc.archiveNo ?? doc.docNumber ?? doc.title)}`}>
              <Button icon={<ReadOutlined />}>{t('lending.borrowThis')}</Button>
            </Link>
          )}
          {doc.can.hold && (
            <HoldButton targetType="document" targetId={doc.id} name={doc.title} onDone={load} />
          )}
          {doc.can.obsolete && (
            <Button danger icon={<DeleteOutlined />} onClick={() => setWithdrawing(true)}>
              {t('documents.obsolete')}
            </Button>
          )}
        </>
      }
    >
      {upload && (
        <Card size="small">
          <Typography.Text>
            {t('documents.uploading', { name: upload.name, percent: upload.percent })}
          </Typography.Text>
          <Progress percent={upload.percent} size="small" />
        </Card>
      )}
      {doc.status === 'obsolete' && (
        <Alert
          type="warning"
          showIcon
          title={t('documents.obsoleteAlert', { reason: doc.obsoleteReason ?? '' })}
        />
      )}
      <Card>
        <Descriptions
          size="small"
          column={{ xs: 1, sm: 2, lg: 3 }}
          items={[
            { key: 'title', label: t('documents.field.title'), children: doc.title, span: 'filled' },
            { key: 'number', label: t('documents.field.docNumber'), children: orDash(doc.docNumber) },
            { key: 'version', label: t('documents.field.versionLabel'), children: orDash(doc.versionLabel) },
            { key: 'category', label: t('documents.field.category'), children: doc.categoryName },
            { key: 'issue', label: t('documents.field.issueDate'), children: orDash(doc.issueDate) },
            { key: 'received', label: t('documents.field.receivedDate'), children: orDash(doc.receivedDate) },
            {
              key: 'source',
              label: t('documents.field.source'),
              children: label(DOCUMENT_SOURCE_LABELS[doc.source]),
            },
            {
              key: 'responsible',
              label: t('documents.field.responsibleParty'),
              children: orDash(doc.responsibleParty),
            },
            {
              key: 'customer',
              label: t('documents.field.customer'),
              children: doc.customer ? (
                <Link to={`/customers/${doc.customer.id}?tab=files`}>
                  {doc.customer.archiveCode} {doc.customer.name}
                </Link>
              ) : (
                orDash(null)
              ),
            },
            { key: 'dept', label: t('documents.field.department'), children: orDash(doc.departmentName) },
            {
              key: 'secrecy',
              label: t('documents.field.secrecy'),
              children: `${label(SECRECY_LABELS[doc.secrecy])}${doc.secrecyTerm ? `★${doc.secrecyTerm}` : ''}`,
            },
            {
              key: 'retention',
              label: t('documents.field.retention'),
              children: retentionLabel(doc.retention, lang),
            },
            {
              key: 'carrier',
              label: t('documents.field.carrier'),
              children: label(CARRIER_LABELS[doc.carrier]),
            },
            { key: 'pages', label: t('documents.field.pages'), children: orDash(doc.pages) },
            { key: 'location', label: t('documents.field.location'), children: orDash(doc.location) },
            { key: 'archiveNo', label: t('documents.field.archiveNo'), children: orDash(doc.archiveNo) },
            {
              key: 'changes',
              label: t('documents.field.changesInternal'),
              children: orDash(doc.changesInternal),
            },
            {
              key: 'authorized',
              label: t('documents.field.customerAuthorization'),
              children: orDash(
                doc.customerAuthorizedBy &&
                  `${doc.customerAuthorizedBy}${doc.customerAuthorizedOn ? ` ${doc.customerAuthorizedOn}` : ''}`,
              ),
            },
            {
              key: 'created',
              label: t('documents.field.createdBy'),
              children: `${doc.createdBy?.name ?? ''} ${formatDateTime(doc.createdAt)}`,
            },
            {
              key: 'remarks',
              label: t('documents.field.remarks'),
              children: orDash(doc.remarks),
              span: 'filled',
            },
          ]}
        />
      </Card>
      <Card size="small" title={t('retention.card.title')}>
        <DocumentRetention doc={doc} onChanged={load} />
      </Card>
      <Card styles={{ body: { paddingTop: 4 } }}>
        <Tabs
          items={[
            {
              key: 'versions',
              label: t('documents.tab.versions'),
              children: (
                <Flex vertical gap={16}>
                  {doc.versions.map((v) => (
                    <VersionBlock key={v.id} document={doc} version={v} name={versionName(v)} />
                  ))}
                </Flex>
              ),
            },
            {
              key: 'copies',
              label: t('documents.tab.copies'),
              children: <CopiesTab document={doc} onChanged={load} />,
            },
            {
              key: 'history',
              label: t('documents.tab.history'),
              children: <EventTimeline events={events} />,
            },
            {
              key: 'lending',
              label: t('lending.tab'),
              children: <LendingHistory targetType="document" targetId={doc.id} />,
            },
          ]}
        />
      </Card>
      <DocumentFormDrawer
        open={editing}
        editing={doc}
        onClose={() => setEditing(false)}
        onSaved={() => {
          setEditing(false);
          load();
        }}
      />
      <NewVersionDrawer
        open={versioning}
        document={doc}
        currentName={current ? versionName(current) : ''}
        onClose={() => setVersioning(false)}
        onDone={() => {
          setVersioning(false);
          load();
        }}
      />
      <WithdrawModal
        open={withdrawing}
        document={doc}
        onClose={() => setWithdrawing(false)}
        onDone={() => {
          setWithdrawing(false);
          load();
        }}
      />
    </PageContainer>
  );
}

function VersionBlock({
  document,
  version,
  name,
}: {
  document: Document;
  version: DocumentVersion;
  name: string;
}) {
  const t = useT();
  return (
    <div data-testid={`version-${version.seq}`}>
      <Flex gap={8} align="center" wrap style={{ marginBottom: 8 }}>
        <Typography.Text strong>{t('documents.version', { label: name })}</Typography.Text>
        <Tag color={version.status === 'current' ? 'green' : 'red'}>
          {version.status === 'current' ? t('documents.versionCurrent') : t('documents.versionObsolete')}
        </Tag>
        <Typography.Text type="secondary">
          {t('documents.versionCreatedBy', {
            name: version.createdBy?.name ?? '',
            at: formatDateTime(version.createdAt),
          })}
        </Typography.Text>
        {version.obsoletedAt && (
          <Typography.Text type="secondary">
            ·{' '}
            {t('documents.versionObsoletedBy', {
              name: version.obsoletedBy?.name ?? '',
              at: formatDateTime(version.obsoletedAt),
            })}
          </Typography.Text>
        )}
        {version.note && <Typography.Text type="secondary">· {version.note}</Typography.Text>}
      </Flex>
      <FileTable document={document} files={version.files} />
    </div>
  );
}

function FileTable({ document, files }: { document: Document; files: DocumentFile[] }) {
  const t = useT();
  return (
    <Table<DocumentFile>
      rowKey="id"
      size="small"
      pagination={false}
      dataSource={files}
      locale={{
        emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('documents.noFiles')} />,
      }}
      scroll={{ x: 900 }}
      columns={[
        { title: t('documents.file.name'), dataIndex: 'name', ellipsis: true },
        {
          title: t('documents.file.size'),
          dataIndex: 'size',
          width: 90,
          align: 'right',
          render: (v: number) => formatSize(v),
        },
        {
          title: t('documents.file.type'),
          key: 'mime',
          width: 190,
          render: (_, f) => (
            <Flex vertical>
              <span>{f.mime}</span>
              {f.textStatus && (
                <Typography.Text
                  type={f.textStatus === 'failed' ? 'danger' : 'secondary'}
                  style={{ fontSize: 12 }}
                >
                  {t(`documents.text.${f.textStatus}`)}
                </Typography.Text>
              )}
            </Flex>
          ),
        },
        {
          title: t('documents.file.sha256'),
          dataIndex: 'sha256',
          width: 150,
          render: (v: string) => (
            <Typography.Text code copyable={{ text: v }} style={{ fontSize: 12 }}>
              {v.slice(0, 12)}…
            </Typography.Text>
          ),
        },
        {
          title: t('documents.file.uploadedBy'),
          key: 'by',
          width: 190,
          render: (_, f) => `${f.createdBy?.name ?? ''} ${formatDateTime(f.createdAt)}`,
        },
        {
          title: t('common.actions'),
          key: 'actions',
          width: 250,
          render: (_, f) =>
            document.status === 'destroyed' ? (
              <Typography.Text type="secondary">{t('retention.destroyedShort')}</Typography.Text>
            ) : (
              <Space size={4}>
                {PREVIEW_TYPES.includes(f.mime) && (
                  <Button
                    type="link"
                    size="small"
                    icon={<EyeOutlined />}
                    href={documentsApi.fileUrl(document.id, f.id, true)}
                    target="_blank"
                    rel="noopener"
                  >
                    {t('documents.preview')}
                  </Button>
                )}
                <Button
                  type="link"
                  size="small"
                  icon={<DownloadOutlined />}
                  href={documentsApi.fileUrl(document.id, f.id)}
                >
                  {t('documents.download')}
                </Button>
                {STAMPABLE.includes(f.mime) && (
                  <Tooltip title={t('documents.stampedHint')}>
                    <Button
                      type="link"
                      size="small"
                      icon={<SafetyCertificateOutlined />}
                      href={documentsApi.stampedUrl(document.id, f.id)}
                    >
                      {t('documents.stamped')}
                    </Button>
                  </Tooltip>
                )}
              </Space>
            ),
        },
      ]}
    />
  );
}

function EventTimeline({ events }: { events: DocumentEvent[] }) {
  const t = useT();
  const label = useLabel();
  const describe = (e: DocumentEvent): string => {
    const d = e.details as Record<string, unknown>;
    if (e.kind === 'update') {
      const changes = (d.changes ?? []) as { label: string; from: unknown; to: unknown }[];
      const lines = changes.map((c) =>
        t('documents.event.changes', {
          label: c.label,
          from: String(c.from ?? '—'),
          to: String(c.to ?? '—'),
        }),
      );
      return [...lines, d.note ? String(d.note) : ''].filter(Boolean).join('；');
    }
    if (e.kind === 'upload') return `${d.name} (${formatSize(Number(d.size))})`;
    if (e.kind === 'version')
      return [
        t('documents.event.previous', { label: String(d.previous ?? '') }),
        d.note ? String(d.note) : '',
      ]
        .filter(Boolean)
        .join('；');
    if (e.kind === 'obsolete') return String(d.reason ?? '');
    if (e.kind === 'hold') return `${d.kind ?? ''}：${d.reason ?? ''}`;
    if (e.kind === 'hold_lift') return String(d.reason ?? '');
    if (e.kind === 'appraise')
      return [
        String(d.appraisal ?? ''),
        d.decision === 'keep' ? t('appraisal.keep') : t('appraisal.destroy'),
        d.due ? t('appraisal.keepUntil', { date: String(d.due) }) : '',
        d.reason ? String(d.reason) : '',
      ]
        .filter(Boolean)
        .join(' ');
    if (e.kind === 'destroy') return String(d.disposal ?? '');
    if (e.kind === 'register') return String(d.title ?? '');
    return '';
  };
  return (
    <Timeline
      items={events.map((e) => ({
        key: e.id,
        color:
          e.kind === 'obsolete' || e.kind === 'destroy'
            ? 'red'
            : e.kind === 'version' || e.kind === 'hold'
              ? 'orange'
              : 'blue',
        content: (
          <Flex vertical>
            <Space size={8} wrap>
              <Typography.Text strong>{label(DOCUMENT_EVENT_LABELS[e.kind])}</Typography.Text>
              {e.versionLabel && <Tag>{e.versionLabel}</Tag>}
              <Typography.Text type="secondary">
                {e.actorName} · {formatDateTime(e.at)}
              </Typography.Text>
            </Space>
            <Typography.Text>{describe(e)}</Typography.Text>
          </Flex>
        ),
      }))}
    />
  );
}

interface VersionValues {
  versionLabel?: string;
  issueDate?: Dayjs | null;
  receivedDate?: Dayjs | null;
  note?: string;
}

function NewVersionDrawer({
  open,
  document,
  currentName,
  onClose,
  onDone,
}: {
  open: boolean;
  document: Document;
  currentName: string;
  onClose: () => void;
  onDone: () => void;
}) {
  const t = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm<VersionValues>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [file, setFile] = useState<File | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const onFinish = async (v: VersionValues) => {
    setSaving(true);
    setError(null);
    try {
      await documentsApi.newVersion(document.id, {
        versionLabel: v.versionLabel ?? '',
        issueDate: v.issueDate ? v.issueDate.format('YYYY-MM-DD') : null,
        receivedDate: v.receivedDate ? v.receivedDate.format('YYYY-MM-DD') : null,
        note: v.note ?? '',
      });
      if (file) {
        setProgress(0);
        await documentsApi.upload(document.id, file, setProgress);
      }
      message.success(t('documents.newVersionDone'));
      onDone();
    } catch (e) {
      setError(formErrorText(form, e));
    } finally {
      setSaving(false);
      setProgress(null);
    }
  };
  return (
    <FormDrawer
      open={open}
      title={`${t('documents.newVersion')}：${document.title}`}
      size={560}
      form={form}
      saving={saving}
      error={error}
      onClose={onClose}
      afterClose={() => setFile(null)}
    >
      <Alert type="info" showIcon title={t('documents.newVersionHint')} style={{ marginBottom: 16 }} />
      <Form<VersionValues>
        name="newVersion"
        form={form}
        layout="vertical"
        onFinish={onFinish}
        preserve={false}
        initialValues={{ receivedDate: dayjs() }}
      >
        <Form.Item
          name="versionLabel"
          label={t('documents.field.versionLabel')}
          extra={currentName ? `${t('documents.versionCurrent')}：${currentName}` : undefined}
        >
          <Input maxLength={50} placeholder={t('documents.field.versionPlaceholder')} />
        </Form.Item>
        <Flex gap={16}>
          <Form.Item name="issueDate" label={t('documents.field.issueDate')} style={{ flex: 1 }}>
            <DatePicker style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="receivedDate" label={t('documents.field.receivedDate')} style={{ flex: 1 }}>
            <DatePicker style={{ width: '100%' }} disabledDate={(d) => d.isAfter(dayjs(), 'day')} />
          </Form.Item>
        </Flex>
        <Form.Item name="note" label={t('documents.versionNote')}>
          <Input.TextArea rows={2} maxLength={500} />
        </Form.Item>
        <Form.Item label={t('documents.field.file')}>
          <FilePicker file={file} onChange={setFile} progress={progress} />
        </Form.Item>
      </Form>
    </FormDrawer>
  );
}

function WithdrawModal({
  open,
  document,
  onClose,
  onDone,
}: {
  open: boolean;
  document: Document;
  onClose: () => void;
  onDone: () => void;
}) {
  const t = useT();
  const [form] = Form.useForm<{ reason: string }>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <Modal
      open={open}
      title={t('documents.obsoleteTitle', { title: document.title })}
      okText={t('documents.obsolete')}
      okButtonProps={{ danger: true, loading: saving }}
      onCancel={onClose}
      onOk={() => form.submit()}
      destroyOnHidden
    >
      <Alert type="warning" showIcon title={t('documents.obsoleteHint')} style={{ marginBottom: 16 }} />
      {error && <Alert type="error" title={error} style={{ marginBottom: 16 }} />}
      <Form
        form={form}
        layout="vertical"
        preserve={false}
        onFinish={async (v) => {
          setSaving(true);
          setError(null);
          try {
            await documentsApi.obsolete(document.id, v.reason);
            onDone();
          } catch (e) {
            setError(formErrorText(form, e));
          } finally {
            setSaving(false);
          }
        }}
      >
        <Form.Item
          name="reason"
          label={t('documents.obsoleteReason')}
          rules={[{ required: true, whitespace: true }]}
        >
          <Input.TextArea rows={3} maxLength={500} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
