import {
  CheckOutlined,
  DeleteOutlined,
  DownloadOutlined,
  EditOutlined,
  FileTextOutlined,
  SendOutlined,
} from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Descriptions,
  Flex,
  Form,
  Input,
  Modal,
  Radio,
  Space,
  Steps,
  Table,
  Typography,
} from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import { retentionLabel } from '../../../common/documents';
import { DISPOSAL_COLUMNS, DISPOSAL_ITEM_STATUS_LABELS, disposalCountText } from '../../../common/retention';
import type { Disposal, DisposalItem } from '../../../common/schemas/retention';
import { formatDateTime } from '../../../common/time';
import { errorText, formErrorText } from '../../api/client';
import { retentionApi } from '../../api/retention';
import { LoadFailed } from '../../components/LoadFailed';
import { PageContainer, PageSpin } from '../../components/PageContainer';
import { UserSelect } from '../../components/UserSelect';
import { useLabel, useLang, useT } from '../../i18n';
import { DisposalStatusTag } from './shared';

/** 销毁清册 /retention/disposals/:id: the register, its signatures in order, destruction and
 * the witnesses' item-by-item confirmation (R-X3/R-X4). */
export default function DisposalDetailPage() {
  const { id = '' } = useParams();
  const t = useT();
  const label = useLabel();
  const { lang } = useLang();
  const { message, modal } = App.useApp();
  const [d, setD] = useState<Disposal | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [signing, setSigning] = useState(false);
  const [destroying, setDestroying] = useState(false);
  const [checked, setChecked] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    try {
      setD(await retentionApi.disposal(id));
    } catch (e) {
      setError(e);
    }
  }, [id]);
  useEffect(() => {
    load();
  }, [load]);

  if (error)
    return (
      <LoadFailed
        error={error}
        notFound={t('disposal.notFound')}
        backTo="/retention/disposals"
        backLabel={t('disposal.backToList')}
      />
    );
  if (!d) return <PageSpin />;

  const run = async (action: () => Promise<Disposal>, done: string) => {
    setBusy(true);
    try {
      setD(await action());
      message.success(done);
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  const toCheck = d.items.filter((i) => i.status !== 'blocked');
  const current = d.status === 'signing' ? d.steps.find((s) => !s.signature) : undefined;
  // Who may sign the step waiting now, by the rule signing applies (names from the directory).
  const signerNames = d.signers.map((p) => p.name).join('、');
  const witnessing = d.can.witness;

  // The whole path as steps: drawn up, each leader, destruction, the witnesses.
  const leaderSteps = d.steps.map((s) => ({
    title: s.label,
    status: s.signature
      ? s.signature.decision === 'reject'
        ? ('error' as const)
        : ('finish' as const)
      : s === current
        ? ('process' as const)
        : ('wait' as const),
    description: s.signature
      ? `${s.signature.userName} ${formatDateTime(s.signature.signedAt).slice(0, 16)}${s.signature.opinion ? `\n${s.signature.opinion}` : ''}`
      : s === current
        ? `${t('disposal.waiting')}${signerNames ? `\n${t('disposal.signers', { names: signerNames })}` : ''}`
        : '',
  }));
  const destroyed = ['destroyed', 'completed'].includes(d.status);
  const steps = [
    {
      title: t('disposal.step.created'),
      status: 'finish' as const,
      description: `${d.createdBy?.name ?? ''} ${formatDateTime(d.createdAt).slice(0, 16)}`,
    },
    ...leaderSteps,
    {
      title: t('disposal.step.destroy'),
      status: destroyed
        ? ('finish' as const)
        : d.status === 'approved'
          ? ('process' as const)
          : ('wait' as const),
      description: d.executedAt
        ? `${d.executedBy?.name ?? ''} ${formatDateTime(d.executedAt).slice(0, 16)}`
        : '',
    },
    ...(d.witnesses.length
      ? d.witnesses.map((w) => ({
          title: `${t('disposal.step.witness')}：${w.name}`,
          status: w.signature ? ('finish' as const) : ('process' as const),
          description: w.signature
            ? formatDateTime(w.signature.signedAt).slice(0, 16)
            : t('disposal.waiting'),
        }))
      : [{ title: t('disposal.step.witness'), status: 'wait' as const, description: '' }]),
  ];

  const columns = [
    ...(witnessing
      ? [
          {
            title: t('disposal.checked'),
            key: 'check',
            width: 60,
            render: (_: unknown, i: DisposalItem) =>
              i.status !== 'blocked' && (
                <Checkbox
                  aria-label={`${t('disposal.checked')} ${i.title}`}
                  checked={checked.includes(i.id)}
                  onChange={(e) =>
                    setChecked((c) => (e.target.checked ? [...c, i.id] : c.filter((x) => x !== i.id)))
                  }
                />
              ),
          },
        ]
      : []),
    ...DISPOSAL_COLUMNS.map((c) => ({
      title: c.header[lang],
      key: c.key,
      // The status column holds a hold's reason, too.
      width: c.key === 'index' ? 56 : c.key === 'title' ? undefined : c.key === 'status' ? 200 : c.width * 7,
      render: (_: unknown, i: DisposalItem, n: number) => {
        switch (c.key) {
          case 'index':
            return n + 1;
          case 'title':
            return <Link to={`/documents/${i.documentId}`}>{i.title}</Link>;
          case 'dateFormed':
            return i.dateFormed ?? i.recordYear;
          case 'retention':
            return retentionLabel(i.retention, lang);
          case 'status':
            if (i.status === 'blocked')
              return (
                <Typography.Text type="warning">
                  {t('disposal.blocked', { reason: i.blockedReason ?? '' })}
                </Typography.Text>
              );
            if (i.status === 'listed' && i.heldReason)
              return (
                <Typography.Text type="warning">
                  {t('disposal.held', { reason: i.heldReason })}
                </Typography.Text>
              );
            if (i.status === 'listed' && d.status === 'destroyed')
              return <Typography.Text type="secondary">{t('disposal.physicalPending')}</Typography.Text>;
            return label(DISPOSAL_ITEM_STATUS_LABELS[i.status]);
          default:
            return (i as unknown as Record<string, string | number | null>)[c.key] ?? '—';
        }
      },
    })),
    ...(d.can.removeItems
      ? [
          {
            title: t('common.actions'),
            key: 'remove',
            width: 80,
            render: (_: unknown, i: DisposalItem) => (
              <Button
                size="small"
                type="link"
                danger
                aria-label={`${t('disposal.removeItem')} ${i.title}`}
                onClick={() =>
                  modal.confirm({
                    title: t('disposal.removeItem'),
                    content: t('disposal.removeItemConfirm', { title: i.title }),
                    onOk: () => run(() => retentionApi.removeItem(d.id, i.id), t('disposal.itemRemoved')),
                  })
                }
              >
                {t('disposal.removeItem')}
              </Button>
            ),
          },
        ]
      : []),
  ];

  return (
    <PageContainer
      title={`${d.number} ${d.title}`}
      subTitle={
        <Space size={8}>
          <DisposalStatusTag status={d.status} />
          <span data-testid="disposal-counts">{disposalCountText(d.counts, lang)}</span>
        </Space>
      }
      extra={
        <>
          <Button icon={<DownloadOutlined />} href={retentionApi.registerUrl(d.id, 'xlsx')}>
            {t('disposal.exportXlsx')}
          </Button>
          <Button icon={<DownloadOutlined />} href={retentionApi.registerUrl(d.id, 'pdf')}>
            {t('disposal.exportPdf')}
          </Button>
          {d.registerDocumentId && (
            <Link to={`/documents/${d.registerDocumentId}`}>
              <Button icon={<FileTextOutlined />}>{t('disposal.registerRecord')}</Button>
            </Link>
          )}
          {d.can.submit && (
            <Button
              type="primary"
              icon={<SendOutlined />}
              loading={busy}
              onClick={() =>
                modal.confirm({
                  title: t('disposal.submit'),
                  content: t('disposal.submitConfirm'),
                  onOk: () => run(() => retentionApi.submit(d.id), t('disposal.submitted')),
                })
              }
            >
              {t('disposal.submit')}
            </Button>
          )}
          {d.can.sign && (
            <Button type="primary" icon={<EditOutlined />} onClick={() => setSigning(true)}>
              {current ? t('disposal.signTitle', { label: current.label }) : t('disposal.approve')}
            </Button>
          )}
          {d.can.destroy && (
            <Button type="primary" danger icon={<DeleteOutlined />} onClick={() => setDestroying(true)}>
              {t('disposal.destroy')}
            </Button>
          )}
          {witnessing && (
            <Button
              type="primary"
              icon={<CheckOutlined />}
              loading={busy}
              disabled={checked.length < toCheck.length}
              onClick={() => run(() => retentionApi.witness(d.id, checked), t('disposal.witnessDone'))}
            >
              {t('disposal.witnessSign')}
            </Button>
          )}
        </>
      }
    >
      {d.status === 'rejected' && (
        <Alert
          type="error"
          showIcon
          title={t('disposal.rejectedAlert', { reason: d.rejectedReason ?? '' })}
        />
      )}
      {d.status === 'destroyed' && <Alert type="warning" showIcon title={t('disposal.destroyed')} />}
      {d.status === 'completed' && <Alert type="success" showIcon title={t('disposal.completed')} />}
      {witnessing && <Alert type="info" showIcon title={t('disposal.witnessHint')} />}
      {d.counts.held > 0 && (
        <Alert
          type="warning"
          showIcon
          data-testid="items-held"
          title={t(d.status === 'draft' ? 'disposal.heldDraft' : 'disposal.heldSigned', {
            count: d.counts.held,
          })}
        />
      )}
      {d.signBlocked && current && (
        <Alert
          type="info"
          showIcon
          data-testid="sign-blocked"
          title={t('disposal.signBlocked', { label: current.label })}
          description={
            <>
              <div>{d.signBlocked.message}</div>
              {signerNames && <div>{t('disposal.signers', { names: signerNames })}</div>}
            </>
          }
        />
      )}
      <Card size="small" title={t('disposal.steps')}>
        <Steps size="small" titlePlacement="vertical" items={steps} style={{ whiteSpace: 'pre-line' }} />
      </Card>
      <Card size="small">
        <Descriptions
          size="small"
          column={{ xs: 1, md: 3 }}
          items={[
            {
              key: 'created',
              label: t('disposal.createdBy'),
              children: `${d.createdBy?.name ?? ''} ${formatDateTime(d.createdAt)}`,
            },
            { key: 'date', label: t('disposal.destructionDate'), children: d.destructionDate ?? '—' },
            ...(d.note ? [{ key: 'note', label: t('appraisal.note'), children: d.note }] : []),
          ]}
        />
      </Card>
      <Card>
        <Table<DisposalItem>
          rowKey="id"
          size="small"
          dataSource={d.items}
          pagination={d.items.length > 100 ? { pageSize: 100 } : false}
          scroll={{ x: 1200 }}
          columns={columns}
        />
      </Card>
      <SignModal
        open={signing}
        label={current?.label ?? ''}
        onClose={() => setSigning(false)}
        onSign={async (decision, opinion) => {
          const next = await retentionApi.sign(d.id, decision, opinion);
          setD(next);
          setSigning(false);
          message.success(decision === 'reject' ? t('disposal.rejected') : t('disposal.signed'));
        }}
      />
      <DestroyModal
        open={destroying}
        disposalId={d.id}
        onClose={() => setDestroying(false)}
        onDestroy={async (witnessIds) => {
          setD(await retentionApi.destroy(d.id, witnessIds));
          setDestroying(false);
          message.success(t('disposal.destroyed'));
        }}
      />
    </PageContainer>
  );
}

function SignModal({
  open,
  label,
  onClose,
  onSign,
}: {
  open: boolean;
  label: string;
  onClose: () => void;
  onSign: (decision: 'approve' | 'reject', opinion: string | null) => Promise<void>;
}) {
  const t = useT();
  const [form] = Form.useForm<{ decision: 'approve' | 'reject'; opinion?: string }>();
  const decision = Form.useWatch('decision', form);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <Modal
      open={open}
      title={t('disposal.signTitle', { label })}
      okText={t('disposal.confirmSign')}
      confirmLoading={saving}
      onCancel={onClose}
      onOk={() => form.submit()}
      destroyOnHidden
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Form
        form={form}
        layout="vertical"
        initialValues={{ decision: 'approve', opinion: '同意销毁' }}
        onFinish={async (v) => {
          setSaving(true);
          setError(null);
          try {
            await onSign(v.decision, v.opinion?.trim() || null);
          } catch (e) {
            setError(formErrorText(form, e));
          } finally {
            setSaving(false);
          }
        }}
      >
        <Form.Item name="decision">
          <Radio.Group
            optionType="button"
            options={[
              { value: 'approve', label: t('disposal.approve') },
              { value: 'reject', label: t('disposal.reject') },
            ]}
          />
        </Form.Item>
        <Form.Item
          name="opinion"
          label={decision === 'reject' ? t('disposal.rejectReason') : t('disposal.opinion')}
          rules={decision === 'reject' ? [{ required: true }] : []}
        >
          <Input.TextArea rows={3} maxLength={500} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function DestroyModal({
  open,
  disposalId,
  onClose,
  onDestroy,
}: {
  open: boolean;
  /** Witnesses are offered by the rule destruction applies (R-X3): not the one destroying, the
   * drafter or a signer, and cleared for every record on the register. */
  disposalId: string;
  onClose: () => void;
  onDestroy: (witnessIds: string[]) => Promise<void>;
}) {
  const t = useT();
  const [form] = Form.useForm<{ witnessIds: string[] }>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <Modal
      open={open}
      title={t('disposal.destroyTitle')}
      okText={t('disposal.destroy')}
      okButtonProps={{ danger: true }}
      confirmLoading={saving}
      onCancel={onClose}
      onOk={() => form.submit()}
      destroyOnHidden
    >
      <Flex vertical gap={12}>
        <Alert type="warning" showIcon title={t('disposal.destroyHint')} />
        {error && <Alert type="error" showIcon title={error} />}
        <Form
          form={form}
          layout="vertical"
          onFinish={async (v) => {
            setSaving(true);
            setError(null);
            try {
              await onDestroy(v.witnessIds);
            } catch (e) {
              setError(formErrorText(form, e));
            } finally {
              setSaving(false);
            }
          }}
        >
          <Form.Item
            name="witnessIds"
            label={t('disposal.witnesses')}
            extra={t('disposal.witnessesHelp')}
            rules={[
              { required: true, message: t('disposal.witnessesRequired') },
              { type: 'array', len: 2, message: t('disposal.witnessesRequired') },
            ]}
          >
            <UserSelect
              multiple
              maxCount={2}
              source={(q, signal) => retentionApi.witnessCandidates(disposalId, q, signal)}
              noMatchText={t('disposal.noWitness')}
            />
          </Form.Item>
        </Form>
      </Flex>
    </Modal>
  );
}
