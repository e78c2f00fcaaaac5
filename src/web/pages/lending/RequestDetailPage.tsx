import {
  CheckOutlined,
  CloseOutlined,
  FileTextOutlined,
  HistoryOutlined,
  PrinterOutlined,
  RollbackOutlined,
  UndoOutlined,
} from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Form,
  Input,
  InputNumber,
  Modal,
  Space,
  Steps,
  Table,
  Tag,
  Timeline,
  Tooltip,
  Typography,
} from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { CONDITION_LABELS, REQUEST_EVENT_LABELS } from '../../../common/lending';
import type { AccessRequest } from '../../../common/schemas/lending';
import { formatDateTime } from '../../../common/time';
import { errorText, formErrorText } from '../../api/client';
import { lendingApi } from '../../api/lending';
import { FileLink } from '../../components/FileLink';
import { LoadFailed } from '../../components/LoadFailed';
import { SecrecyTag } from '../../components/labels';
import { PageContainer, PageSpin } from '../../components/PageContainer';
import { useLabel, useT } from '../../i18n';
import { itemLink, ModeTag, RequestStatusTag } from './shared';

type Dialog = { kind: 'approve' | 'reject' | 'return' } | { kind: 'renew' } | { kind: 'resubmit' } | null;

/** 借阅申请 /lending/requests/:id: items, the approval chain, history, and what the reader may
 * do now (approve, reject, return; withdraw, resubmit, renew). */
export default function RequestDetailPage() {
  const { id = '' } = useParams();
  const t = useT();
  const label = useLabel();
  const navigate = useNavigate();
  const { message, modal } = App.useApp();
  const [r, setR] = useState<AccessRequest | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [dialog, setDialog] = useState<Dialog>(null);

  const load = useCallback(async () => {
    try {
      setR(await lendingApi.get(id));
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
        notFound={t('lending.notFound')}
        backTo="/lending"
        backLabel={t('lending.backToList')}
      />
    );
  if (!r) return <PageSpin />;

  const current = r.status === 'pending' ? r.steps.find((s) => !s.decision) : undefined;
  const destroyed = r.items.filter((i) => i.destroyed);
  const steps = [
    {
      title: t('lending.step.submitted'),
      status: 'finish' as const,
      description: `${r.requester.name} ${formatDateTime(r.createdAt).slice(0, 16)}`,
    },
    ...r.steps.map((s) => ({
      title: s.label,
      status:
        s.decision === 'approve'
          ? ('finish' as const)
          : s.decision === 'reject'
            ? ('error' as const)
            : s === current
              ? ('process' as const)
              : ('wait' as const),
      description: s.by
        ? `${s.by.name} ${formatDateTime(s.at).slice(0, 16)}${s.comment ? `\n${s.comment}` : ''}`
        : '',
    })),
  ];

  return (
    <PageContainer
      title={`${r.number} ${r.firstItem}${r.itemCount > 1 ? ` ${t('lending.moreItems', { count: r.itemCount })}` : ''}`}
      subTitle={
        <Space size={8} wrap>
          <RequestStatusTag status={r.status} expired={r.expired} />
          <ModeTag mode={r.mode} purpose={r.purpose} />
          {r.waitingFor && <span>{t('lending.waitingFor', { step: r.waitingFor })}</span>}
        </Space>
      }
      extra={
        <>
          <FileLink inline icon={<PrinterOutlined />} href={lendingApi.requestFormUrl(r.id)}>
            {t('lending.printForm')}
          </FileLink>
          {r.can.decide && (
            <>
              <Tooltip title={r.can.approve ? undefined : t('lending.cannotApproveDestroyed')}>
                <Button
                  type="primary"
                  icon={<CheckOutlined />}
                  disabled={!r.can.approve}
                  onClick={() => setDialog({ kind: 'approve' })}
                >
                  {t('lending.approve')}
                </Button>
              </Tooltip>
              <Button icon={<RollbackOutlined />} onClick={() => setDialog({ kind: 'return' })}>
                {t('lending.return')}
              </Button>
              <Button danger icon={<CloseOutlined />} onClick={() => setDialog({ kind: 'reject' })}>
                {t('lending.reject')}
              </Button>
            </>
          )}
          {r.can.resubmit && (
            <Button type="primary" onClick={() => setDialog({ kind: 'resubmit' })}>
              {t('lending.resubmit')}
            </Button>
          )}
          {r.can.renew && (
            <Button icon={<HistoryOutlined />} onClick={() => setDialog({ kind: 'renew' })}>
              {t('lending.renew')}
            </Button>
          )}
          {r.can.issue && <Button onClick={() => navigate('/lending/desk')}>{t('lending.toDesk')}</Button>}
          {r.can.withdraw && (
            <Button
              icon={<UndoOutlined />}
              onClick={() =>
                modal.confirm({
                  title: t('lending.withdraw'),
                  content: t('lending.withdrawConfirm'),
                  onOk: async () => {
                    try {
                      setR(await lendingApi.withdraw(r.id));
                    } catch (e) {
                      message.error(errorText(e));
                    }
                  },
                })
              }
            >
              {t('lending.withdraw')}
            </Button>
          )}
        </>
      }
    >
      {destroyed.length > 0 && ['pending', 'returned', 'approved'].includes(r.status) && (
        <Alert
          type="warning"
          showIcon
          data-testid="items-destroyed"
          title={t(
            r.status === 'approved'
              ? 'lending.destroyedSince'
              : destroyed.length === r.items.length
                ? 'lending.destroyedAll'
                : 'lending.destroyedPending',
            {
              titles: destroyed.map((i) => `「${i.label}」`).join('、'),
            },
          )}
        />
      )}
      {r.status === 'approved' &&
        r.mode === 'electronic' &&
        !r.expired &&
        destroyed.length < r.items.length && (
          <Alert type="success" showIcon title={t('lending.accessUntil', { date: r.endDate ?? '' })} />
        )}
      {r.status === 'returned' && <Alert type="warning" showIcon title={t('lending.returnedAlert')} />}
      <Card size="small" title={t('lending.chain')}>
        <Steps size="small" titlePlacement="vertical" items={steps} style={{ whiteSpace: 'pre-line' }} />
      </Card>
      <Card size="small">
        <Descriptions
          size="small"
          column={{ xs: 1, md: 3 }}
          items={[
            {
              key: 'requester',
              label: t('lending.requester'),
              children: `${r.requester.name}${r.requester.departmentName ? ` · ${r.requester.departmentName}` : ''}`,
            },
            { key: 'days', label: t('lending.days'), children: t('lending.daysCount', { days: r.days }) },
            {
              key: 'period',
              label: t('lending.period'),
              children: r.startDate ? `${r.startDate} — ${r.endDate ?? ''}` : '—',
            },
            { key: 'reason', label: t('lending.reason'), children: r.reason, span: 3 },
            ...(r.external
              ? [
                  { key: 'external', label: t('lending.organisation'), children: r.external },
                  {
                    key: 'letter',
                    label: t('lending.letter'),
                    children: r.letterName ? (
                      <a href={lendingApi.letterUrl(r.id)}>
                        <FileTextOutlined /> {r.letterName}
                      </a>
                    ) : (
                      '—'
                    ),
                  },
                ]
              : []),
            ...(r.renewalOf
              ? [
                  {
                    key: 'renewal',
                    label: t('lending.renewalOf'),
                    children: <Link to={`/lending/requests/${r.renewalOf.id}`}>{r.renewalOf.number}</Link>,
                  },
                ]
              : []),
          ]}
        />
      </Card>
      <Card title={t('lending.items')}>
        <Table
          rowKey="id"
          size="small"
          dataSource={r.items}
          pagination={false}
          columns={[
            {
              title: t('lending.item'),
              key: 'label',
              render: (_, i) => (
                <Space size={6}>
                  <Tag>
                    {t(i.targetType === 'customer' ? 'lending.type.customer' : 'lending.type.document')}
                  </Tag>
                  <Link to={itemLink(i.targetType, i.targetId)}>{i.label}</Link>
                  {i.controlled && <Tag color="purple">{t('lending.controlled')}</Tag>}
                  {i.secrecy !== 'normal' && <SecrecyTag level={i.secrecy} />}
                  {i.destroyed && <Tag color="default">{t('lending.itemDestroyed')}</Tag>}
                </Space>
              ),
            },
            { title: t('lending.code'), dataIndex: 'code', width: 220, render: (v) => v ?? '—' },
            ...(r.mode === 'physical'
              ? [
                  {
                    title: t('lending.loan'),
                    key: 'loan',
                    width: 260,
                    render: (_: unknown, i: AccessRequest['items'][number]) =>
                      !i.loan ? (
                        <Typography.Text type="secondary">{t('lending.notIssued')}</Typography.Text>
                      ) : i.loan.returnedAt ? (
                        <span>
                          {t('lending.returnedOn', { date: formatDateTime(i.loan.returnedAt).slice(0, 10) })}
                          {i.loan.conditionIn && ` · ${label(CONDITION_LABELS[i.loan.conditionIn])}`}
                        </span>
                      ) : (
                        <Typography.Text type={i.loan.overdue ? 'danger' : undefined}>
                          {t(i.loan.overdue ? 'lending.overdueSince' : 'lending.dueOn', {
                            date: i.loan.dueDate,
                          })}
                        </Typography.Text>
                      ),
                  },
                ]
              : []),
          ]}
        />
      </Card>
      <Card title={t('lending.history')}>
        <Timeline
          items={r.events.map((e) => ({
            key: e.id,
            color:
              e.kind === 'reject' ? 'red' : e.kind === 'approve' || e.kind === 'receive' ? 'green' : 'blue',
            content: (
              <span>
                <Typography.Text strong>{label(REQUEST_EVENT_LABELS[e.kind])}</Typography.Text>{' '}
                <Typography.Text type="secondary">
                  {e.actorName} {formatDateTime(e.at)}
                </Typography.Text>
                {e.comment && <div>{e.comment}</div>}
              </span>
            ),
          }))}
        />
      </Card>
      <DecisionModal
        dialog={dialog}
        request={r}
        onClose={() => setDialog(null)}
        onDone={(next, text) => {
          setDialog(null);
          message.success(text);
          if (next.id !== r.id) navigate(`/lending/requests/${next.id}`);
          else setR(next);
        }}
      />
    </PageContainer>
  );
}

function DecisionModal({
  dialog,
  request,
  onClose,
  onDone,
}: {
  dialog: Dialog;
  request: AccessRequest;
  onClose: () => void;
  onDone: (r: AccessRequest, message: string) => void;
}) {
  const t = useT();
  const [form] = Form.useForm<{ comment?: string; days?: number; reason?: string }>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (!dialog) return null;
  const title = {
    approve: t('lending.approve'),
    reject: t('lending.reject'),
    return: t('lending.return'),
    renew: t('lending.renew'),
    resubmit: t('lending.resubmit'),
  }[dialog.kind];
  const needsComment = dialog.kind === 'reject' || dialog.kind === 'return';
  return (
    <Modal
      open
      title={title}
      okText={title}
      okButtonProps={{ danger: dialog.kind === 'reject' }}
      confirmLoading={saving}
      onCancel={onClose}
      onOk={() => form.submit()}
      destroyOnHidden
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Form
        form={form}
        layout="vertical"
        initialValues={{ days: 7, reason: dialog.kind === 'resubmit' ? request.reason : undefined }}
        onFinish={async (v) => {
          setSaving(true);
          setError(null);
          try {
            if (dialog.kind === 'renew') {
              const next = await lendingApi.renew(request.id, v.days ?? 7, v.reason ?? '');
              onDone(next, t('lending.renewed', { number: next.number }));
            } else if (dialog.kind === 'resubmit') {
              onDone(await lendingApi.resubmit(request.id, v.reason ?? ''), t('lending.resubmitted'));
            } else {
              onDone(
                await lendingApi.decide(request.id, dialog.kind, v.comment?.trim() || null),
                t('lending.decided'),
              );
            }
          } catch (e) {
            setError(formErrorText(form, e));
          } finally {
            setSaving(false);
          }
        }}
      >
        {dialog.kind === 'renew' && (
          <>
            <Form.Item name="days" label={t('lending.days')} rules={[{ required: true }]}>
              <InputNumber min={1} max={365} addonAfter={t('lending.dayUnit')} />
            </Form.Item>
            <Typography.Paragraph type="secondary">{t('lending.renewHint')}</Typography.Paragraph>
          </>
        )}
        {(dialog.kind === 'renew' || dialog.kind === 'resubmit') && (
          <Form.Item name="reason" label={t('lending.reason')} rules={[{ required: true }]}>
            <Input.TextArea rows={3} maxLength={1000} />
          </Form.Item>
        )}
        {(dialog.kind === 'approve' || needsComment) && (
          <Form.Item
            name="comment"
            label={needsComment ? t('lending.commentRequired') : t('lending.comment')}
            rules={needsComment ? [{ required: true }] : []}
          >
            <Input.TextArea rows={3} maxLength={500} />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}
