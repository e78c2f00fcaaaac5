import { PrinterOutlined, RollbackOutlined, SendOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  DatePicker,
  Empty,
  Flex,
  Form,
  Input,
  Modal,
  Select,
  Space,
  Table,
  Tag,
  Typography,
  Upload,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useCallback, useEffect, useState } from 'react';
import {
  AUTHORIZATION_PART_LABELS,
  COPY_MARK_LABELS,
  COPY_MARKS,
  type CopyMark,
  copyNumber,
  RECALL_STATUS_LABELS,
  type RecallStatus,
  stampable,
} from '../../../common/documents';
import type { Copy, Document } from '../../../common/schemas/documents';
import { formatDateTime, todayInShanghai } from '../../../common/time';
import { ApiError, errorText, formErrorText, isApiError } from '../../api/client';
import { documentsApi } from '../../api/documents';
import { DepartmentSelect, useDepartments } from '../../components/departments';
import { FileLink } from '../../components/FileLink';
import { FormDrawer } from '../../components/FormDrawer';
import { UserSelect } from '../../components/UserSelect';
import { useLabel, useT } from '../../i18n';
import { useCategories } from './shared';

const RECALL_COLORS: Record<RecallStatus, string> = { none: 'green', pending: 'orange', recalled: 'default' };

/** The archivist records a paper copy's scanned signed receipt (签收单), or its return (交回): the
 * scan, who signed it and on which day. */
function ScanModal({
  documentId,
  copy,
  onClose,
  onDone,
}: {
  documentId: string;
  copy: Copy | null;
  onClose: () => void;
  onDone: () => void;
}) {
  const t = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ signedBy: string; signedOn: Dayjs }>();
  const [file, setFile] = useState<File | null>(null);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const kind = copy && copy.recallStatus === 'pending' && copy.receivedAt ? 'return' : 'receipt';
  return (
    <Modal
      open={!!copy}
      title={
        kind === 'receipt' ? t('documents.copies.scanReceiptTitle') : t('documents.copies.scanReturnTitle')
      }
      okButtonProps={{ loading: saving, disabled: !file }}
      onCancel={onClose}
      onOk={() => form.submit()}
      destroyOnHidden
    >
      {error && <Alert type="error" title={error} style={{ marginBottom: 16 }} />}
      <Form
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={{ signedOn: dayjs(todayInShanghai()) }}
        onFinish={async (v) => {
          if (!copy || !file) return;
          setSaving(true);
          setError(null);
          try {
            await documentsApi.recordScan(
              documentId,
              copy.id,
              kind,
              v.signedBy,
              v.signedOn.format('YYYY-MM-DD'),
              file,
            );
            message.success(t('documents.copies.scanRecorded'));
            setFile(null);
            onDone();
          } catch (e) {
            setError(formErrorText(form, e));
          } finally {
            setSaving(false);
          }
        }}
      >
        <Form.Item
          name="signedBy"
          label={t('documents.copies.signedBy')}
          rules={[{ required: true, whitespace: true }]}
        >
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="signedOn" label={t('documents.copies.signedOn')} rules={[{ required: true }]}>
          <DatePicker
            style={{ width: '100%' }}
            disabledDate={(d) => d.isAfter(dayjs(todayInShanghai()), 'day')}
          />
        </Form.Item>
        <Upload
          accept=".pdf,.png,.jpg,.jpeg"
          maxCount={1}
          beforeUpload={(f) => {
            setFile(f);
            return false;
          }}
          onRemove={() => setFile(null)}
        >
          <Button>{t('documents.copies.chooseScan')}</Button>
        </Upload>
      </Form>
    </Modal>
  );
}

/** 签收: who signed for the copy and when (in the app, or on a scanned paper receipt). */
export function ReceiptCell({ copy }: { copy: Copy }) {
  const t = useT();
  if (!copy.receivedAt) return <Tag color="orange">{t('documents.copies.unsigned')}</Tag>;
  return (
    <Flex vertical>
      <span>
        <Tag color="green">
          {copy.receiptScan ? t('documents.copies.signedPaper') : t('documents.copies.signed')}
        </Tag>
      </span>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {copy.receivedBy} {formatDateTime(copy.receivedAt)}
      </Typography.Text>
    </Flex>
  );
}

/** 签收 / 交回签字 for the copy's own recipient. */
export function SignButtons({ copy, onDone }: { copy: Copy; onDone: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const run = async (action: () => Promise<unknown>, done: string) => {
    setBusy(true);
    try {
      await action();
      message.success(done);
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setBusy(false);
      onDone();
    }
  };
  return (
    <>
      {copy.can.acknowledge && (
        <Button
          type="primary"
          size="small"
          loading={busy}
          data-testid={`acknowledge-${copy.copyNo}`}
          onClick={() =>
            run(() => documentsApi.acknowledge(copy.documentId, copy.id), t('documents.copies.signedDone'))
          }
        >
          {t('documents.copies.acknowledge')}
        </Button>
      )}
      {copy.can.signReturn && (
        <Button
          size="small"
          loading={busy}
          onClick={() =>
            run(() => documentsApi.signReturn(copy.documentId, copy.id), t('documents.copies.returnDone'))
          }
        >
          {t('documents.copies.signReturn')}
        </Button>
      )}
    </>
  );
}

/** 分发与回收: numbered copies of each version, their marks and recipients, and recall. */
export function CopiesTab({ document, onChanged }: { document: Document; onChanged: () => void }) {
  const t = useT();
  const label = useLabel();
  const { message } = App.useApp();
  const [copies, setCopies] = useState<Copy[]>([]);
  const [loading, setLoading] = useState(true);
  const [distributing, setDistributing] = useState(false);
  const [recalling, setRecalling] = useState<Copy | null>(null);
  const [scanning, setScanning] = useState<Copy | null>(null);

  const load = useCallback(async () => {
    setLoading(true);
    try {
      setCopies(await documentsApi.copies(document.id));
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setLoading(false);
    }
  }, [document.id, message]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: reload when the document changes
  useEffect(() => {
    load();
  }, [load, document.updatedAt]);

  /** The file a copy is printed from: the first PDF or image of its version that can be stamped. */
  const printable = (c: Copy) =>
    document.versions.find((v) => v.id === c.versionId)?.files.find((f) => stampable(f.mime, f.size));

  return (
    <Flex vertical gap={12}>
      {document.pendingRecalls > 0 && (
        <Alert
          type="warning"
          showIcon
          title={t('documents.copies.pendingAlert', { count: document.pendingRecalls })}
        />
      )}
      <Flex justify="flex-end" gap={8}>
        <FileLink inline icon={<PrinterOutlined />} href={documentsApi.copiesFormUrl(document.id)}>
          {t('documents.copies.printForm')}
        </FileLink>
        {document.can.distribute && document.status === 'current' && (
          <Button type="primary" icon={<SendOutlined />} onClick={() => setDistributing(true)}>
            {t('documents.copies.distribute')}
          </Button>
        )}
      </Flex>
      <Table<Copy>
        rowKey="id"
        size="small"
        loading={loading}
        pagination={false}
        dataSource={copies}
        scroll={{ x: 1000 }}
        locale={{
          emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('documents.copies.empty')} />,
        }}
        columns={[
          {
            title: t('documents.copies.no'),
            dataIndex: 'copyNo',
            width: 70,
            render: (n: number) => copyNumber(n),
          },
          { title: t('documents.field.versionLabel'), dataIndex: 'versionLabel', width: 80 },
          {
            title: t('documents.copies.mark'),
            key: 'mark',
            width: 100,
            render: (_, c) => (
              <Tag color={c.versionStatus === 'obsolete' ? 'red' : 'blue'}>
                {label(COPY_MARK_LABELS[c.versionStatus === 'obsolete' ? 'obsolete' : c.mark])}
              </Tag>
            ),
          },
          { title: t('documents.copies.recipient'), dataIndex: 'recipient', width: 160 },
          {
            title: t('documents.copies.distributed'),
            key: 'distributed',
            width: 200,
            render: (_, c) => `${c.distributedBy ?? ''} ${formatDateTime(c.distributedAt)}`,
          },
          {
            title: t('documents.copies.receipt'),
            key: 'receipt',
            width: 180,
            render: (_, c) => <ReceiptCell copy={c} />,
          },
          {
            title: t('documents.copies.recall'),
            key: 'recall',
            width: 220,
            render: (_, c) => (
              <Flex vertical>
                <span>
                  <Tag color={RECALL_COLORS[c.recallStatus]}>
                    {label(RECALL_STATUS_LABELS[c.recallStatus])}
                  </Tag>
                </span>
                {c.returnedAt && (
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {t('documents.copies.returnedBy', {
                      name: c.returnedBy ?? '',
                      at: formatDateTime(c.returnedAt),
                    })}
                  </Typography.Text>
                )}
                {c.recalledAt && (
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {c.recalledBy} {formatDateTime(c.recalledAt)} {c.recallNote ?? ''}
                  </Typography.Text>
                )}
              </Flex>
            ),
          },
          {
            title: t('common.actions'),
            key: 'actions',
            width: 200,
            render: (_, c) => {
              const file = printable(c);
              return (
                <Space size={4}>
                  <SignButtons copy={c} onDone={load} />
                  {document.can.distribute &&
                    (!c.receivedAt || (c.recallStatus === 'pending' && !c.returnedAt)) &&
                    c.recallStatus !== 'recalled' && (
                      <Button type="link" size="small" onClick={() => setScanning(c)}>
                        {t('documents.copies.recordScan')}
                      </Button>
                    )}
                  {document.can.distribute && c.receiptScan && (
                    <FileLink
                      type="link"
                      size="small"
                      href={documentsApi.scanUrl(document.id, c.id, 'receipt')}
                    >
                      {t('documents.copies.viewScan')}
                    </FileLink>
                  )}
                  {document.can.distribute && file && (
                    <FileLink
                      type="link"
                      size="small"
                      href={documentsApi.stampedUrl(document.id, file.id, c.id)}
                    >
                      {t('documents.copies.print')}
                    </FileLink>
                  )}
                  {document.can.distribute && c.recallStatus === 'pending' && (
                    <Button
                      type="link"
                      size="small"
                      icon={<RollbackOutlined />}
                      onClick={() => setRecalling(c)}
                    >
                      {t('documents.copies.confirmRecall')}
                    </Button>
                  )}
                </Space>
              );
            },
          },
        ]}
      />
      <ScanModal
        documentId={document.id}
        copy={scanning}
        onClose={() => setScanning(null)}
        onDone={() => {
          setScanning(null);
          load();
        }}
      />
      <DistributeDrawer
        open={distributing}
        document={document}
        onClose={() => setDistributing(false)}
        onDone={() => {
          setDistributing(false);
          load();
          onChanged();
        }}
      />
      <RecallModal
        copy={recalling}
        documentId={document.id}
        onClose={() => setRecalling(null)}
        onDone={() => {
          setRecalling(null);
          load();
          onChanged();
        }}
      />
    </Flex>
  );
}

/** The server names a refused recipient by its place in the list sent (`recipients.3`): the
 * departments came first, then the people; the message goes under the field that chose it. */
function byField(error: unknown, departments: number): unknown {
  if (!isApiError(error)) return error;
  const errors = error.errors.map((fe) => {
    const at = /^recipients\.(\d+)$/.exec(fe.field);
    if (!at) return fe;
    return { ...fe, field: Number(at[1]) < departments ? 'departmentIds' : 'userIds' };
  });
  return new ApiError(error.status, error.code, error.title, errors, error.requestId);
}

interface DistributeValues {
  mark: CopyMark;
  departmentIds?: string[];
  userIds?: string[];
  note?: string;
}

function DistributeDrawer({
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
  const label = useLabel();
  const { message } = App.useApp();
  const departments = useDepartments();
  const categories = useCategories();
  const defaults = categories.categories.find((c) => c.code === document.category)?.distribution;
  const [form] = Form.useForm<DistributeValues>();
  // The category's departments arrive after the drawer may already be in use: preselect them
  // only while the field is untouched, so a choice the user made is never replaced.
  useEffect(() => {
    if (open && defaults?.length && !form.isFieldTouched('departmentIds')) {
      form.setFieldValue('departmentIds', defaults);
    }
  }, [open, defaults, form]);
  const mark = Form.useWatch('mark', form);
  const missing = document.authorizationMissing.map((p) => label(AUTHORIZATION_PART_LABELS[p])).join('、');
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const onFinish = async (v: DistributeValues) => {
    const recipients = [
      ...(v.departmentIds ?? []).map((departmentId) => ({ departmentId })),
      ...(v.userIds ?? []).map((userId) => ({ userId })),
    ];
    if (recipients.length === 0) {
      setError(t('documents.copies.noRecipients'));
      return;
    }
    setSaving(true);
    setError(null);
    try {
      const made = await documentsApi.distribute(document.id, {
        mark: v.mark,
        recipients,
        note: v.note ?? '',
      });
      message.success(t('documents.copies.done', { count: made.length }));
      onDone();
    } catch (e) {
      setError(formErrorText(form, byField(e, v.departmentIds?.length ?? 0)));
    } finally {
      setSaving(false);
    }
  };
  return (
    <FormDrawer
      open={open}
      title={`${t('documents.copies.distribute')}：${document.title}`}
      size={520}
      form={form}
      saving={saving}
      error={error}
      onClose={onClose}
    >
      <Alert type="info" showIcon title={t('documents.copies.distributeHint')} style={{ marginBottom: 16 }} />
      <Form<DistributeValues>
        name="distribute"
        form={form}
        layout="vertical"
        onFinish={onFinish}
        preserve={false}
        initialValues={{ mark: document.customer ? 'customer' : 'controlled', departmentIds: defaults ?? [] }}
      >
        <Form.Item name="mark" label={t('documents.copies.mark')} rules={[{ required: true }]}>
          <Select options={COPY_MARKS.map((m) => ({ value: m, label: label(COPY_MARK_LABELS[m]) }))} />
        </Form.Item>
        {mark === 'controlled' && missing && (
          // R-D5: the service refuses the copy; the form says why before it is sent.
          <Alert
            type="warning"
            showIcon
            data-testid="authorization-missing"
            title={t('documents.authorization.missing', { missing })}
            description={t('documents.authorization.distributeHint')}
            style={{ marginBottom: 16 }}
          />
        )}
        <Form.Item name="departmentIds" label={t('documents.copies.departments')}>
          <DepartmentSelect departments={departments.items} multiple />
        </Form.Item>
        <Form.Item name="userIds" label={t('documents.copies.people')}>
          <UserSelect multiple />
        </Form.Item>
        <Form.Item name="note" label={t('documents.field.remarks')}>
          <Input maxLength={500} />
        </Form.Item>
      </Form>
    </FormDrawer>
  );
}

function RecallModal({
  copy,
  documentId,
  onClose,
  onDone,
}: {
  copy: Copy | null;
  documentId: string;
  onClose: () => void;
  onDone: () => void;
}) {
  const t = useT();
  const [note, setNote] = useState('');
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <Modal
      open={!!copy}
      title={
        copy
          ? t('documents.copies.recallTitle', { no: copyNumber(copy.copyNo), recipient: copy.recipient })
          : ''
      }
      okText={t('documents.copies.confirmRecall')}
      okButtonProps={{ loading: saving }}
      onCancel={onClose}
      afterOpenChange={(o) => {
        if (!o) {
          setNote('');
          setError(null);
        }
      }}
      onOk={async () => {
        if (!copy) return;
        setSaving(true);
        try {
          await documentsApi.recall(documentId, copy.id, note);
          onDone();
        } catch (e) {
          setError(errorText(e));
        } finally {
          setSaving(false);
        }
      }}
    >
      {error && <Alert type="error" title={error} style={{ marginBottom: 12 }} />}
      <Input.TextArea
        rows={2}
        maxLength={500}
        value={note}
        onChange={(e) => setNote(e.target.value)}
        placeholder={t('documents.copies.recallNote')}
      />
    </Modal>
  );
}
