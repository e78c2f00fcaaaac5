import {
  CheckCircleOutlined,
  DeleteOutlined,
  DownloadOutlined,
  EditOutlined,
  EyeOutlined,
  RollbackOutlined,
  SafetyCertificateOutlined,
  UploadOutlined,
} from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Checkbox,
  DatePicker,
  Empty,
  Flex,
  Form,
  Input,
  Space,
  Table,
  Tag,
  Tooltip,
  Typography,
  Upload,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useRef, useState } from 'react';
import { COPY_MARK_LABELS, copyNumber } from '../../../common/documents';
import type { Copy, Document, DocumentVersion, VersionFile } from '../../../common/schemas/documents';
import { formatDateTime, todayInShanghai } from '../../../common/time';
import { errorText, formErrorText } from '../../api/client';
import { documentsApi } from '../../api/documents';
import { FileLink } from '../../components/FileLink';
import { FilePicker } from '../../components/FilePicker';
import { FormDrawer } from '../../components/FormDrawer';
import { type Translate, useLabel, useT } from '../../i18n';
import { ApprovalPanel } from './ApprovalPanel';
import { formatSize, ReasonModal } from './shared';

// The 版本与附件 tab (R-D4): each version with its files; a new version is a draft until it is
// made current, which asks to confirm the copies to be recalled; a draft, or a current version
// nobody holds a copy of yet, can be corrected or withdrawn.

export const versionName = (v: Pick<DocumentVersion, 'label' | 'seq'>) => v.label ?? `#${v.seq}`;

type LabelFn = ReturnType<typeof useLabel>;
const copyText = (label: LabelFn, c: Copy) =>
  `${c.recipient}（${label(COPY_MARK_LABELS[c.mark])} ${copyNumber(c.copyNo)}）`;

/**
 * Asks the person to confirm that a new version comes into force, naming the version it
 * replaces and every copy of it that will be recalled. Resolves to those copies' ids (the
 * server checks they are still exactly the copies in use), or null when cancelled.
 */
async function confirmRelease(
  modal: ReturnType<typeof App.useApp>['modal'],
  t: Translate,
  label: LabelFn,
  document: Document,
  name: string,
): Promise<string[] | null> {
  const current = document.versions.find((v) => v.status === 'current');
  const copies = (await documentsApi.copies(document.id)).filter(
    (c) => c.versionStatus === 'current' && c.recallStatus === 'none',
  );
  return new Promise((resolve) => {
    modal.confirm({
      title: t('documents.releaseTitle', { label: name }),
      width: 520,
      content: (
        <Flex vertical gap={4} data-testid="release-confirm">
          <span>{t('documents.releaseReplaces', { label: current ? versionName(current) : '' })}</span>
          {copies.length > 0 ? (
            <>
              <span>{t('documents.releaseRecalls', { count: copies.length })}</span>
              <ul style={{ margin: 0, paddingInlineStart: 20 }}>
                {copies.map((c) => (
                  <li key={c.id}>{copyText(label, c)}</li>
                ))}
              </ul>
            </>
          ) : (
            <span>{t('documents.releaseNoCopies')}</span>
          )}
        </Flex>
      ),
      okText: t('documents.releaseOk'),
      onOk: () => resolve(copies.map((c) => c.id)),
      onCancel: () => resolve(null),
    });
  });
}

/** Every version the reader sees, newest first, with what they may do with each. */
export function VersionList({
  document,
  onChanged,
  onEdit,
}: {
  document: Document;
  onChanged: () => void;
  onEdit: (version: DocumentVersion) => void;
}) {
  return (
    <Flex vertical gap={16}>
      {document.versions.map((v) => (
        <VersionBlock key={v.id} document={document} version={v} onChanged={onChanged} onEdit={onEdit} />
      ))}
    </Flex>
  );
}

function VersionBlock({
  document,
  version,
  onChanged,
  onEdit,
}: {
  document: Document;
  version: DocumentVersion;
  onChanged: () => void;
  onEdit: (version: DocumentVersion) => void;
}) {
  const t = useT();
  const label = useLabel();
  const { message, modal } = App.useApp();
  const [busy, setBusy] = useState(false);
  const [withdrawing, setWithdrawing] = useState(false);
  const name = versionName(version);
  const draft = version.status === 'draft';
  const missingFile = draft && document.carrier !== 'paper' && version.files.length === 0;
  const run = async (action: () => Promise<unknown>, done: string) => {
    setBusy(true);
    try {
      await action();
      message.success(done);
      onChanged();
    } catch (e) {
      message.error(errorText(e));
      onChanged();
    } finally {
      setBusy(false);
    }
  };
  const release = async () => {
    const ids = await confirmRelease(modal, t, label, document, name);
    if (ids)
      await run(
        () => documentsApi.releaseVersion(document.id, version.id, ids),
        t('documents.newVersionDone'),
      );
  };
  return (
    <div data-testid={`version-${version.seq}`}>
      <Flex gap={8} align="center" wrap style={{ marginBottom: 8 }}>
        <Typography.Text strong>{t('documents.version', { label: name })}</Typography.Text>
        <Tag color={draft ? 'orange' : version.status === 'current' ? 'green' : 'red'}>
          {draft
            ? t('documents.versionDraft')
            : version.status === 'current'
              ? t('documents.versionCurrent')
              : t('documents.versionObsolete')}
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
        {version.copies > 0 && (
          <Typography.Text type="secondary">
            · {t('documents.versionCopies', { count: version.copies })}
          </Typography.Text>
        )}
        {version.note && <Typography.Text type="secondary">· {version.note}</Typography.Text>}
        <Space size={4} wrap style={{ marginInlineStart: 'auto' }}>
          {draft && version.can.correct && (
            <Upload
              showUploadList={false}
              beforeUpload={(f) => {
                run(
                  () => documentsApi.upload(document.id, f, undefined, version.id),
                  t('documents.uploaded', { name: f.name }),
                );
                return false;
              }}
            >
              <Button size="small" icon={<UploadOutlined />} loading={busy}>
                {t('documents.uploadToDraft')}
              </Button>
            </Upload>
          )}
          {version.can.correct && (
            <Button size="small" icon={<EditOutlined />} onClick={() => onEdit(version)}>
              {draft ? t('common.edit') : t('documents.correct')}
            </Button>
          )}
          {version.can.release && (
            // An electronic record's new version needs its file first: said here, not after
            // the confirmation.
            <Tooltip title={missingFile ? t('documents.releaseNeedsFile') : undefined}>
              {/* A disabled button takes no pointer events: the tooltip hangs on its wrapper. */}
              <span data-testid={missingFile ? 'release-needs-file' : undefined}>
                <Button
                  size="small"
                  type="primary"
                  icon={<CheckCircleOutlined />}
                  loading={busy}
                  disabled={missingFile}
                  onClick={release}
                >
                  {t('documents.release')}
                </Button>
              </span>
            </Tooltip>
          )}
          {version.can.withdraw && (
            <Button size="small" danger icon={<RollbackOutlined />} onClick={() => setWithdrawing(true)}>
              {draft ? t('documents.discardDraft') : t('documents.withdrawVersion')}
            </Button>
          )}
        </Space>
      </Flex>
      {draft && !version.approval && (
        <Alert type="warning" showIcon title={t('documents.versionDraftHint')} style={{ marginBottom: 8 }} />
      )}
      <ApprovalPanel document={document} version={version} onChanged={onChanged} />
      <FileTable
        document={document}
        files={version.files}
        // An electronic record's version in force keeps a file: replace it, then take the old one out.
        removable={version.can.correct && (draft || document.carrier === 'paper' || version.files.length > 1)}
        onRemove={(f) =>
          modal.confirm({
            title: t('documents.removeFile'),
            content: t('documents.removeFileConfirm', { name: f.name }),
            okButtonProps: { danger: true },
            onOk: () =>
              run(
                () => documentsApi.removeFile(document.id, f.id),
                t('documents.fileRemoved', { name: f.name }),
              ),
          })
        }
      />
      <ReasonModal
        open={withdrawing}
        title={
          draft ? t('documents.discardTitle', { label: name }) : t('documents.withdrawTitle', { label: name })
        }
        okText={draft ? t('documents.discardDraft') : t('documents.withdrawVersion')}
        hint={draft ? t('documents.withdrawDraftHint') : t('documents.withdrawCurrentHint')}
        reasonLabel={draft ? t('documents.discardReason') : t('documents.withdrawReason')}
        onClose={() => setWithdrawing(false)}
        onSubmit={async (reason) => {
          await documentsApi.withdrawVersion(document.id, version.id, reason);
          setWithdrawing(false);
          message.success(draft ? t('documents.discarded') : t('documents.withdrawn'));
          onChanged();
        }}
      />
    </div>
  );
}

function FileTable({
  document,
  files,
  removable,
  onRemove,
}: {
  document: Document;
  files: VersionFile[];
  removable: boolean;
  onRemove: (file: VersionFile) => void;
}) {
  const t = useT();
  return (
    <Table<VersionFile>
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
          width: 300,
          render: (_, f) =>
            document.status === 'destroyed' ? (
              <Typography.Text type="secondary">{t('retention.destroyedShort')}</Typography.Text>
            ) : (
              // Only what the server would give this reader: under a loan for reading there is
              // no download and no stamped copy (R-P4); under a loan copies carry its stamp.
              <Space size={4}>
                {f.can.preview && (
                  <FileLink
                    type="link"
                    size="small"
                    icon={<EyeOutlined />}
                    href={documentsApi.fileUrl(document.id, f.id, true)}
                    inline
                  >
                    {t('documents.preview')}
                  </FileLink>
                )}
                {f.can.download && (
                  <Tooltip title={document.loan ? t('documents.loanDownloadHint') : undefined}>
                    <FileLink
                      type="link"
                      size="small"
                      icon={<DownloadOutlined />}
                      href={documentsApi.fileUrl(document.id, f.id)}
                    >
                      {t('documents.download')}
                    </FileLink>
                  </Tooltip>
                )}
                {f.can.stamp && (
                  <Tooltip
                    title={document.loan ? t('documents.loanDownloadHint') : t('documents.stampedHint')}
                  >
                    <FileLink
                      type="link"
                      size="small"
                      icon={<SafetyCertificateOutlined />}
                      href={documentsApi.stampedUrl(document.id, f.id)}
                    >
                      {t('documents.stamped')}
                    </FileLink>
                  </Tooltip>
                )}
                {removable && (
                  <Button
                    type="link"
                    size="small"
                    danger
                    icon={<DeleteOutlined />}
                    onClick={() => onRemove(f)}
                  >
                    {t('documents.removeFile')}
                  </Button>
                )}
              </Space>
            ),
        },
      ]}
    />
  );
}

interface VersionValues {
  versionLabel?: string;
  unnumbered?: boolean;
  issueDate?: Dayjs | null;
  receivedDate?: Dayjs | null;
  note?: string;
}

/**
 * 新版本 (no `version`): label or 无版本号, dates, note and the file. 保存并生效 needs — for an
 * electronic record — the file, checks the label against the document's other versions, then
 * asks to confirm the supersession and the copies to recall before anything is sent; it draws
 * up the draft, uploads its file and makes it current. 仅保存草稿 draws up the draft (with the
 * file if one was chosen) and leaves the current version as it is. A failure after the draft
 * was saved leaves the draft on the page. With `version`: corrects it.
 */
export function VersionDrawer({
  open,
  document,
  version,
  onClose,
  onDone,
}: {
  open: boolean;
  document: Document;
  version: DocumentVersion | null;
  onClose: () => void;
  onDone: () => void;
}) {
  const t = useT();
  const label = useLabel();
  const { message, modal } = App.useApp();
  const [form] = Form.useForm<VersionValues>();
  const unnumbered = Form.useWatch('unnumbered', form);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [file, setFile] = useState<File | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  // Which button submitted the form: 保存并生效 (the primary one) or 仅保存草稿.
  const draftOnly = useRef(false);
  const creating = version === null;
  const current = document.versions.find((v) => v.status === 'current');
  /** The file is required to come into force (electronic records), not to keep a draft. */
  const needsFile = () => creating && document.carrier !== 'paper' && !draftOnly.current;
  /** Labels the other versions hold: the server refuses them too, but only after the confirmation. */
  const taken = new Set(
    document.versions.filter((v) => v.id !== version?.id && v.label !== null).map((v) => v.label?.trim()),
  );
  const submit = (onlyDraft: boolean) => {
    draftOnly.current = onlyDraft;
    setFileError(null);
    form.submit();
  };

  const onFinish = async (v: VersionValues) => {
    if (needsFile() && !file) {
      setFileError(t('documents.fileRequired'));
      return;
    }
    const body = {
      versionLabel: v.unnumbered ? null : (v.versionLabel ?? null),
      unnumbered: !!v.unnumbered,
      issueDate: v.issueDate ? v.issueDate.format('YYYY-MM-DD') : null,
      receivedDate: v.receivedDate ? v.receivedDate.format('YYYY-MM-DD') : null,
      note: v.note ?? '',
    };
    setError(null);
    if (!creating) {
      setSaving(true);
      try {
        await documentsApi.correctVersion(document.id, version.id, body);
        message.success(t('documents.corrected'));
        onDone();
      } catch (e) {
        setError(formErrorText(form, e));
      } finally {
        setSaving(false);
      }
      return;
    }
    const onlyDraft = draftOnly.current;
    let recall: string[] | null = [];
    if (!onlyDraft) {
      const name = body.versionLabel ?? t('documents.unnumbered');
      try {
        recall = await confirmRelease(modal, t, label, document, name);
      } catch (e) {
        setError(errorText(e));
        return;
      }
      if (!recall) return;
    }
    setSaving(true);
    let draftId: string | undefined;
    try {
      const drafted = await documentsApi.newVersion(document.id, body);
      draftId = drafted.versions.find((x) => x.status === 'draft')?.id;
      if (!draftId) throw new Error(t('documents.draftKept'));
      if (file) {
        setProgress(0);
        await documentsApi.upload(document.id, file, setProgress, draftId);
      }
      if (onlyDraft) message.success(t('documents.draftSaved'));
      else {
        await documentsApi.releaseVersion(document.id, draftId, recall);
        message.success(t('documents.newVersionDone'));
      }
      onDone();
    } catch (e) {
      if (draftId) {
        // The current version is untouched; the draft waits on the page.
        message.error(`${errorText(e)}；${t('documents.draftKept')}`);
        onDone();
      } else setError(formErrorText(form, e));
    } finally {
      setSaving(false);
      setProgress(null);
    }
  };

  return (
    <FormDrawer
      open={open}
      title={
        creating
          ? `${t('documents.newVersion')}：${document.title}`
          : t('documents.correctTitle', { label: versionName(version) })
      }
      size={560}
      form={form}
      saving={saving}
      error={error}
      onClose={onClose}
      saveText={creating ? t('documents.saveAndRelease') : undefined}
      actions={
        creating && (
          <Button loading={saving} onClick={() => submit(true)}>
            {t('documents.saveDraftOnly')}
          </Button>
        )
      }
      afterClose={() => {
        setFile(null);
        setFileError(null);
        setError(null);
      }}
    >
      <Alert
        type="info"
        showIcon
        title={creating ? t('documents.newVersionHint') : t('documents.correctHint')}
        style={{ marginBottom: 16 }}
      />
      <Form<VersionValues>
        name="newVersion"
        form={form}
        layout="vertical"
        onFinish={(v) => {
          onFinish(v).finally(() => {
            draftOnly.current = false;
          });
        }}
        onFinishFailed={() => {
          if (needsFile() && !file) setFileError(t('documents.fileRequired'));
          draftOnly.current = false;
        }}
        preserve={false}
        initialValues={
          creating
            ? { receivedDate: dayjs(todayInShanghai()), unnumbered: false }
            : {
                versionLabel: version.label ?? undefined,
                unnumbered: version.label === null,
                issueDate: version.issueDate ? dayjs(version.issueDate) : null,
                receivedDate: version.receivedDate ? dayjs(version.receivedDate) : null,
                note: version.note ?? undefined,
              }
        }
      >
        <Form.Item
          name="versionLabel"
          label={t('documents.field.versionLabel')}
          extra={
            current && creating ? `${t('documents.versionCurrent')}：${versionName(current)}` : undefined
          }
          rules={[
            { required: !unnumbered, whitespace: true, message: t('documents.versionLabelRequired') },
            {
              validator: async (_, value?: string) => {
                if (value?.trim() && taken.has(value.trim()))
                  throw new Error(t('documents.versionLabelTaken', { label: value.trim() }));
              },
            },
          ]}
        >
          <Input
            maxLength={50}
            disabled={!!unnumbered}
            placeholder={t('documents.field.versionPlaceholder')}
          />
        </Form.Item>
        <Form.Item name="unnumbered" valuePropName="checked" extra={t('documents.unnumberedHint')}>
          <Checkbox
            onChange={(e) => {
              if (e.target.checked) form.setFieldValue('versionLabel', undefined);
              form.validateFields(['versionLabel']).catch(() => undefined);
            }}
          >
            {t('documents.unnumbered')}
          </Checkbox>
        </Form.Item>
        <Flex gap={16}>
          <Form.Item name="issueDate" label={t('documents.field.issueDate')} style={{ flex: 1 }}>
            <DatePicker style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="receivedDate" label={t('documents.field.receivedDate')} style={{ flex: 1 }}>
            <DatePicker
              style={{ width: '100%' }}
              // The company's day, not the browser's: in a browser on UTC 06:18 in Shanghai is
              // still yesterday.
              disabledDate={(d) => d.isAfter(dayjs(todayInShanghai()), 'day')}
            />
          </Form.Item>
        </Flex>
        <Form.Item name="note" label={t('documents.versionNote')}>
          <Input.TextArea rows={2} maxLength={500} />
        </Form.Item>
        {creating && (
          <Form.Item
            label={t('documents.field.file')}
            required={document.carrier !== 'paper'}
            validateStatus={fileError ? 'error' : undefined}
            help={fileError ?? undefined}
            extra={document.carrier !== 'paper' ? t('documents.newVersionFileHint') : undefined}
          >
            <FilePicker
              file={file}
              onChange={(f) => {
                setFile(f);
                setFileError(null);
              }}
              progress={progress}
            />
          </Form.Item>
        )}
      </Form>
    </FormDrawer>
  );
}
