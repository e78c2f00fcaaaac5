import {
  DeleteOutlined,
  EditOutlined,
  FileAddOutlined,
  FolderAddOutlined,
  ReadOutlined,
  UploadOutlined,
} from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Flex,
  Progress,
  Result,
  Space,
  Tabs,
  Tag,
  Timeline,
  Tooltip,
  Typography,
  Upload,
} from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import {
  CARRIER_LABELS,
  DOCUMENT_EVENT_LABELS,
  DOCUMENT_SOURCE_LABELS,
  retentionLabel,
} from '../../../common/documents';
import { SECRECY_LABELS } from '../../../common/enums';
import type { Document, DocumentEvent, DocumentVersion } from '../../../common/schemas/documents';
import { formatDateTime } from '../../../common/time';
import { errorText, isApiError } from '../../api/client';
import { documentsApi } from '../../api/documents';
import { SecrecyTag } from '../../components/labels';
import { PageContainer, PageSpin } from '../../components/PageContainer';
import { useLabel, useLang, useT } from '../../i18n';
import { LendingHistory } from '../lending/shared';
import { DocumentRetention, HoldButton } from '../retention/shared';
import { CopiesTab } from './CopiesTab';
import { CustomerAuthorization } from './CustomerAuthorization';
import { DocumentFormDrawer } from './DocumentFormDrawer';
import { SecrecyChanges } from './SecrecyChanges';
import { DocumentStatusTag, formatSize, ReasonModal } from './shared';
import { VersionDrawer, VersionList } from './VersionsTab';

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
  // The version drawer: undefined closed, null a new version, else the version corrected.
  const [versioning, setVersioning] = useState<DocumentVersion | null | undefined>(undefined);
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

  const hasDraft = doc.versions.some((v) => v.status === 'draft');
  // A file is added where one could be taken out: not to a version handed out or filed.
  const currentOpen = doc.versions.find((v) => v.status === 'current')?.can.correct ?? false;
  const inherited = doc.effectiveSecrecy !== doc.secrecy;
  const level = label(SECRECY_LABELS[doc.effectiveSecrecy]);

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
          {doc.effectiveSecrecy !== 'normal' && (
            <Tooltip
              title={
                inherited
                  ? t('documents.secrecyInheritedShort', { own: label(SECRECY_LABELS[doc.secrecy]), level })
                  : undefined
              }
            >
              <span data-testid="effective-secrecy">
                <SecrecyTag level={doc.effectiveSecrecy} />
              </span>
            </Tooltip>
          )}
        </Space>
      }
      extra={
        <>
          {doc.can.update &&
            (currentOpen ? (
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
            ) : (
              <Tooltip title={t('documents.uploadClosed')}>
                {/* A disabled button takes no pointer events: the tooltip hangs on its wrapper. */}
                <span data-testid="upload-closed">
                  <Button icon={<UploadOutlined />} disabled>
                    {t('documents.upload')}
                  </Button>
                </span>
              </Tooltip>
            ))}
          {doc.can.update && !hasDraft && (
            <Button icon={<FileAddOutlined />} onClick={() => setVersioning(null)}>
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
      {doc.loan && (
        <Alert
          type="info"
          showIcon
          data-testid="loan-alert"
          title={t(doc.loan.download ? 'documents.loanCopy' : 'documents.loanRead', {
            number: doc.loan.number,
            until: doc.loan.until,
          })}
          action={
            <Link to={`/lending/requests/${doc.loan.requestId}`}>
              <Button size="small">{t('documents.loanRequest')}</Button>
            </Link>
          }
        />
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
            ...(doc.project
              ? [
                  {
                    key: 'project',
                    label: t('projects.field'),
                    children: (
                      <Link to={`/customers/projects/${doc.project.id}`}>
                        {doc.project.code} {doc.project.name}
                      </Link>
                    ),
                  },
                ]
              : []),
            { key: 'dept', label: t('documents.field.department'), children: orDash(doc.departmentName) },
            {
              key: 'secrecy',
              label: t('documents.field.secrecy'),
              // Its own level as registered, and the level it is handled at when its customer
              // archive's is higher (R-P9).
              children: (
                <span data-testid="secrecy">
                  {doc.secrecy === 'normal' ? label(SECRECY_LABELS[doc.secrecy]) : (doc.secrecyMark ?? '')}
                  {inherited && (
                    <Typography.Text type="warning">
                      {t('documents.secrecyInherited', { level })}
                    </Typography.Text>
                  )}
                  {doc.secrecyTermEnded && (
                    <Tag color="red" style={{ marginInlineStart: 8 }} data-testid="secrecy-ended">
                      {t('documents.term.ended', { date: doc.secrecyTermDetail?.until ?? '' })}
                    </Tag>
                  )}
                </span>
              ),
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
                [
                  doc.productionUse ? t('documents.field.productionUse') : '',
                  doc.customerAuthorizedBy ?? '',
                  doc.customerAuthorizedOn ?? '',
                ]
                  .filter(Boolean)
                  .join(' '),
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
      {(doc.productionUse || doc.source === 'customer') && (
        <Card size="small">
          <CustomerAuthorization doc={doc} onChanged={load} />
        </Card>
      )}
      <Card size="small" title={t('retention.card.title')}>
        <DocumentRetention doc={doc} onChanged={load} />
      </Card>
      <Card styles={{ body: { paddingTop: 4 } }}>
        <Tabs
          items={[
            {
              key: 'versions',
              label: t('documents.tab.versions'),
              children: <VersionList document={doc} onChanged={load} onEdit={setVersioning} />,
            },
            {
              key: 'copies',
              label: t('documents.tab.copies'),
              children: <CopiesTab document={doc} onChanged={load} />,
            },
            {
              key: 'secrecy',
              label: t('documents.tab.secrecy'),
              children: <SecrecyChanges doc={doc} onChanged={load} />,
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
      <VersionDrawer
        open={versioning !== undefined}
        document={doc}
        version={versioning ?? null}
        onClose={() => setVersioning(undefined)}
        onDone={() => {
          setVersioning(undefined);
          load();
        }}
      />
      <ReasonModal
        open={withdrawing}
        title={t('documents.obsoleteTitle', { title: doc.title })}
        okText={t('documents.obsolete')}
        hint={t('documents.obsoleteHint')}
        reasonLabel={t('documents.obsoleteReason')}
        onClose={() => setWithdrawing(false)}
        onSubmit={async (reason) => {
          await documentsApi.obsolete(doc.id, reason);
          setWithdrawing(false);
          load();
        }}
      />
    </PageContainer>
  );
}

function EventTimeline({ events }: { events: DocumentEvent[] }) {
  const t = useT();
  const label = useLabel();
  const describe = (e: DocumentEvent): string => {
    const d = e.details as Record<string, unknown>;
    if (e.kind === 'update' || e.kind === 'version_edit') {
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
    const list = (v: unknown) => (Array.isArray(v) ? v.map(String).join('、') : '');
    if (e.kind === 'version')
      return [
        d.previous ? t('documents.event.previous', { label: String(d.previous) }) : '',
        d.effectiveDate ? t('documents.event.effectiveDate', { date: String(d.effectiveDate) }) : '',
        d.note ? String(d.note) : '',
        list(d.recalled) && t('documents.event.recalled', { copies: list(d.recalled) }),
      ]
        .filter(Boolean)
        .join('；');
    if (e.kind === 'version_draft') return d.note ? String(d.note) : '';
    if (e.kind === 'version_withdraw')
      return [
        String(d.reason ?? ''),
        d.restored ? t('documents.event.restored', { label: String(d.restored) }) : '',
        list(d.backInUse) && t('documents.event.backInUse', { copies: list(d.backInUse) }),
      ]
        .filter(Boolean)
        .join('；');
    if (e.kind === 'file_remove') return String(d.name ?? '');
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
    if (e.kind === 'approval_countersign') return String(d.department ?? '');
    if (e.kind === 'approval_approve')
      return t('documents.event.effectiveDate', { date: String(d.effectiveDate ?? '') });
    if (e.kind === 'approval_return') return `${d.step ?? ''}：${d.reason ?? ''}`;
    if (e.kind === 'receipt' || e.kind === 'return_sign')
      return [
        String(d.copy ?? ''),
        d.signedBy
          ? t('documents.event.paper', { name: String(d.signedBy), date: String(d.signedOn ?? '') })
          : '',
      ]
        .filter(Boolean)
        .join('；');
    return '';
  };
  return (
    <Timeline
      items={events.map((e) => ({
        key: e.id,
        color:
          e.kind === 'obsolete' || e.kind === 'destroy' || e.kind === 'version_withdraw'
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
