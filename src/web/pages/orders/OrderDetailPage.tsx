import {
  AuditOutlined,
  CloseCircleOutlined,
  EditOutlined,
  RollbackOutlined,
  SendOutlined,
  SwapOutlined,
} from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Descriptions,
  Empty,
  Flex,
  Form,
  type FormInstance,
  Input,
  Radio,
  Result,
  Row,
  Table,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { sameDepartmentCode } from '../../../common/departments';
import { AMENDMENT_FIELD_LABELS, type AmendmentField } from '../../../common/order-amendments';
import {
  CHECKLIST_ANSWER_LABELS,
  CHECKLIST_ANSWERS,
  type ChecklistAnswer,
  ORDER_CHANNEL_LABELS,
  ORDER_CLASS_LABELS,
  ORDER_CLASS_REASON_LABELS,
  ORDER_CLASSES,
  ORDER_ROUTE_LABELS,
  ORDER_SIGNER_LABELS,
  ORDER_STATUS_LABELS,
  type OrderClass,
  type OrderReviewDecision,
  type OrderStatus,
} from '../../../common/orders';
import type { Order, OrderSettings } from '../../../common/schemas/orders';
import { formatDateTime } from '../../../common/time';
import { errorText, formErrorText, isApiError } from '../../api/client';
import { type OrderReview, ordersApi } from '../../api/orders';
import { useDepartments } from '../../components/departments';
import { FormDrawer } from '../../components/FormDrawer';
import { SecrecyTag } from '../../components/labels';
import { PageContainer, PageSpin } from '../../components/PageContainer';
import { type MessageKey, useLabel, useT } from '../../i18n';
import { AmendDrawer, AmendmentsCard } from './AmendmentsCard';
import { DeliveriesCard } from './DeliveriesCard';
import { FeasibilityReport, OrderRecordCard } from './OrderRecordCard';
import { ReviewDecisionFields, ReviewDecisionTag, SignDrawer } from './ReviewFields';
import { OrderClassTag, OrderKindTag, OrderStatusTag, orDash, text } from './shared';

export { ReviewDecisionTag };

type DrawerKind = 'class' | 'approve' | 'cancel' | 'amend';

/** The order settings (checklist, finance department code), loaded once per page load. */
let cachedSettings: Promise<OrderSettings> | null = null;
function useOrderSettings() {
  const [settings, setSettings] = useState<OrderSettings | null>(null);
  useEffect(() => {
    if (!cachedSettings)
      cachedSettings = ordersApi.config().catch((e) => {
        cachedSettings = null;
        throw e;
      });
    cachedSettings.then(setSettings).catch(() => {});
  }, []);
  return settings;
}

/** 订单详情 /orders/:id: the order, why it has its class, its lines, the departments' reviews, the
 * signature and the history, with the buttons the reader may use (the API's `can`). */
export default function OrderDetailPage() {
  const { id = '' } = useParams();
  const t = useT();
  const label = useLabel();
  const navigate = useNavigate();
  const { message, modal } = App.useApp();
  const [o, setO] = useState<Order | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [drawer, setDrawer] = useState<DrawerKind | null>(null);
  const [reviewing, setReviewing] = useState<OrderReview | null>(null);

  const load = useCallback(async () => {
    try {
      setO(await ordersApi.get(id));
      setError(null);
    } catch (e) {
      setError(e);
    }
  }, [id]);
  useEffect(() => {
    setO(null);
    load();
  }, [load]);

  if (isApiError(error) && error.status === 404) {
    return (
      <Result
        status="404"
        title={t('orders.notFound')}
        extra={
          <Button type="primary" onClick={() => navigate('/orders')}>
            {t('orders.backToList')}
          </Button>
        }
      />
    );
  }
  if (error && !o) {
    return (
      <Result
        status="error"
        title={errorText(error)}
        extra={
          <Button type="primary" onClick={load}>
            {t('common.retry')}
          </Button>
        }
      />
    );
  }
  if (!o) {
    return (
      <PageContainer title={t('orders.detail')}>
        <PageSpin />
      </PageContainer>
    );
  }

  const done = (next: Order, text?: string) => {
    setDrawer(null);
    setReviewing(null);
    setO(next);
    if (text) message.success(text);
  };
  // Submitting and withdrawing ask first, then show the order as it now is.
  const confirmed = (step: 'submit' | 'withdraw', call: () => Promise<Order>) => () =>
    modal.confirm({
      title: t(`orders.${step}.button`),
      content: t(`orders.${step}.confirm`),
      onOk: async () => {
        try {
          done(await call(), t(`orders.${step}.done`));
        } catch (e) {
          message.error(errorText(e));
        }
      },
    });
  const submit = confirmed('submit', () => ordersApi.submit(o.id));
  const withdraw = confirmed('withdraw', () => ordersApi.withdraw(o.id));

  return (
    <PageContainer
      title={`${o.number}${o.customerPo ? ` · ${t('orders.po', { po: o.customerPo })}` : ''}`}
      subTitle={o.customer.name}
      extra={
        <>
          {o.can.overrideClass && (
            <Button icon={<SwapOutlined />} onClick={() => setDrawer('class')} data-testid="order-override">
              {t('orders.class.override.button')}
            </Button>
          )}
          {o.can.withdraw && (
            <Button icon={<RollbackOutlined />} onClick={withdraw} data-testid="order-withdraw">
              {t('orders.withdraw.button')}
            </Button>
          )}
          {o.can.cancel && (
            <Button danger icon={<CloseCircleOutlined />} onClick={() => setDrawer('cancel')}>
              {t('orders.cancel.button')}
            </Button>
          )}
          {o.can.submit && (
            <Button type="primary" icon={<SendOutlined />} onClick={submit} data-testid="order-submit">
              {t('orders.submit.button')}
            </Button>
          )}
          {o.can.amend && (
            <Button icon={<EditOutlined />} onClick={() => setDrawer('amend')} data-testid="order-amend">
              {t('orders.amend.button')}
            </Button>
          )}
          {o.can.approve && (
            <Button
              type="primary"
              icon={<AuditOutlined />}
              onClick={() => setDrawer('approve')}
              data-testid="order-approve"
            >
              {t('orders.approve.button')}
            </Button>
          )}
        </>
      }
    >
      <Card title={t('orders.section.basics')} size="small">
        <Flex gap={8} wrap style={{ marginBottom: 12 }}>
          <OrderStatusTag status={o.status} />
          <OrderKindTag value={o.kind} />
          <OrderClassTag value={o.class} />
          {o.overridden && <Tag color="orange">{t('orders.class.overridden')}</Tag>}
          {o.leadTimeAtRisk && <Tag color="orange">{t('orders.leadTimeAtRisk')}</Tag>}
          {o.secrecy !== 'normal' && <SecrecyTag level={o.secrecy} />}
        </Flex>
        <Descriptions
          size="small"
          column={{ xs: 1, md: 2, xl: 3 }}
          items={[
            {
              key: 'customer',
              label: t('orders.field.customer'),
              children: (
                <Link to={`/customers/${o.customer.id}?tab=contracts`}>
                  {o.customer.name}（{o.customer.code}）
                </Link>
              ),
            },
            { key: 'po', label: t('orders.field.customerPo'), children: orDash(o.customerPo) },
            {
              key: 'via',
              label: t('orders.field.receivedVia'),
              children: `${label(ORDER_CHANNEL_LABELS[o.receivedVia])} · ${o.receivedOn}`,
            },
            {
              key: 'amount',
              label: t('orders.field.amount'),
              children: o.pricesVisible
                ? o.totalAmount === null
                  ? '—'
                  : `${o.currency} ${o.totalAmount}`
                : t('orders.pricesHidden'),
            },
            { key: 'pay', label: t('orders.field.paymentTerms'), children: orDash(o.paymentTerms) },
            { key: 'pack', label: t('orders.field.packaging'), children: orDash(o.packaging) },
            { key: 'method', label: t('orders.field.deliveryMethod'), children: orDash(o.deliveryMethod) },
            { key: 'place', label: t('orders.field.deliveryPlace'), children: orDash(o.deliveryPlace) },
            {
              key: 'route',
              label: t('orders.field.route'),
              children: o.route ? label(ORDER_ROUTE_LABELS[o.route]) : '—',
            },
            {
              key: 'signer',
              label: t('orders.field.signer'),
              children: o.signerRole ? label(ORDER_SIGNER_LABELS[o.signerRole]) : '—',
            },
            {
              key: 'created',
              label: t('orders.field.createdBy'),
              children: `${o.createdBy?.name ?? '—'} · ${formatDateTime(o.createdAt)}`,
            },
            ...(o.submittedAt
              ? [
                  {
                    key: 'submitted',
                    label: t('orders.field.submittedAt'),
                    children: `${o.submittedBy?.name ?? '—'} · ${formatDateTime(o.submittedAt)}`,
                  },
                ]
              : []),
            ...(o.confirmationNeeded || o.confirmationReceivedOn
              ? [
                  {
                    key: 'confirm',
                    label: t('orders.field.confirmationReceivedOn'),
                    children: orDash(o.confirmationReceivedOn),
                  },
                ]
              : []),
            ...(o.remarks
              ? [
                  {
                    key: 'remarks',
                    label: t('orders.field.remarks'),
                    span: 'filled' as const,
                    children: o.remarks,
                  },
                ]
              : []),
          ]}
        />
        {o.phoneMemo && (
          <Alert
            type="info"
            style={{ marginTop: 12 }}
            title={`${t('orders.phone.title')}：${o.phoneMemo.caller} · ${formatDateTime(o.phoneMemo.calledAt)}`}
            description={<span style={{ whiteSpace: 'pre-wrap' }}>{o.phoneMemo.agreed}</span>}
          />
        )}
        <ClassReasons o={o} />
        {o.cancelled && (
          <Alert
            type="warning"
            style={{ marginTop: 12 }}
            title={t('orders.cancelled', {
              name: o.cancelled.by?.name ?? '—',
              at: formatDateTime(o.cancelled.at),
              reason: o.cancelled.reason,
            })}
          />
        )}
      </Card>
      <Card title={t('orders.section.lines')} size="small">
        <LinesTable o={o} />
      </Card>
      <Card title={t('orders.section.reviews')} size="small" data-testid="order-reviews">
        <Reviews o={o} onReview={setReviewing} />
      </Card>
      <Card title={t('orders.section.approval')} size="small">
        <Approval o={o} />
      </Card>
      <AmendmentsCard o={o} onDone={done} />
      {o.status === 'accepted' && <DeliveriesCard orderId={o.id} />}
      <OrderRecordCard o={o} />
      <Card title={t('orders.section.history')} size="small">
        <History o={o} />
      </Card>
      <OverrideClassDrawer
        open={drawer === 'class'}
        o={o}
        onClose={() => setDrawer(null)}
        onDone={(n) => done(n, t('orders.class.override.done'))}
      />
      <CancelDrawer
        open={drawer === 'cancel'}
        o={o}
        onClose={() => setDrawer(null)}
        onDone={(n) => done(n, t('orders.cancel.done'))}
      />
      <ApproveDrawer
        open={drawer === 'approve'}
        o={o}
        onClose={() => setDrawer(null)}
        onDone={(n) => done(n, t('orders.approve.done'))}
      />
      <AmendDrawer
        open={drawer === 'amend'}
        o={o}
        onClose={() => setDrawer(null)}
        onDone={(n) => done(n, t('orders.amend.done'))}
      />
      <ReviewDrawer
        open={!!reviewing}
        o={o}
        review={reviewing}
        onClose={() => setReviewing(null)}
        onDone={(n) => done(n, t('orders.review.done'))}
      />
    </PageContainer>
  );
}

/** Why the order has its class (R-K1): the system's reasons with their facts, and an override. */
function ClassReasons({ o }: { o: Order }) {
  const t = useT();
  const label = useLabel();
  return (
    <Alert
      style={{ marginTop: 12 }}
      type={o.class === 'non_regular' ? 'warning' : 'success'}
      data-testid="order-class-reasons"
      title={
        <span>
          {t('orders.class.reasons')} ·{' '}
          {t('orders.class.proposed', { class: label(ORDER_CLASS_LABELS[o.proposedClass]) })}
        </span>
      }
      description={
        <div>
          {o.classReasons.length === 0 && <div>{t('orders.class.noReason')}</div>}
          <ul style={{ margin: 0, paddingInlineStart: 20 }}>
            {o.classReasons.map((r) => (
              <li key={r.code}>
                {label(ORDER_CLASS_REASON_LABELS[r.code], r.label)}
                {r.partNumbers.length > 0 && `：${r.partNumbers.join('、')}`}
                {r.lines.length > 0 &&
                  `：${r.lines.map((l) => t('orders.class.leadTimeLine', { ...l })).join('；')}`}
                {r.requirements.length > 0 && (
                  <span>
                    ：
                    {r.requirements.map((q, i) => (
                      <span key={q.id}>
                        {i > 0 && '、'}
                        <Link to={`/special-requirements/${q.id}`}>
                          {q.number} {q.title}
                        </Link>
                      </span>
                    ))}
                  </span>
                )}
              </li>
            ))}
          </ul>
          {o.classOverride && (
            <div style={{ marginTop: 4 }}>
              {t('orders.class.overrideBy', {
                name: o.classOverride.by?.name ?? '—',
                at: formatDateTime(o.classOverride.at),
                reason: o.classOverride.reason,
              })}
            </div>
          )}
        </div>
      }
    />
  );
}

function LinesTable({ o }: { o: Order }) {
  const t = useT();
  return (
    <Table
      rowKey="id"
      size="small"
      pagination={false}
      dataSource={o.lines}
      scroll={{ x: 900 }}
      columns={[
        { title: t('orders.line.no'), dataIndex: 'lineNo', width: 50 },
        { title: t('orders.line.partNumber'), dataIndex: 'partNumber', width: 130 },
        {
          title: t('orders.line.product'),
          key: 'product',
          render: (_, l) => (
            <div>
              <div>{l.product}</div>
              {l.specification && (
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {l.specification}
                </Typography.Text>
              )}
            </div>
          ),
        },
        {
          title: t('orders.line.quantity'),
          key: 'qty',
          width: 110,
          align: 'right',
          render: (_, l) => `${l.quantity} ${l.unit}`,
        },
        ...(o.pricesVisible
          ? [
              {
                title: t('orders.line.unitPrice'),
                key: 'price',
                width: 100,
                align: 'right' as const,
                render: (_: unknown, l: Order['lines'][number]) => orDash(l.unitPrice),
              },
              {
                title: t('orders.line.amount'),
                key: 'amount',
                width: 110,
                align: 'right' as const,
                render: (_: unknown, l: Order['lines'][number]) => orDash(l.amount),
              },
            ]
          : []),
        { title: t('orders.line.requestedOn'), dataIndex: 'requestedOn', width: 110 },
        {
          title: t('orders.line.promisedOn'),
          key: 'promised',
          width: 110,
          render: (_, l) => orDash(l.promisedOn),
        },
      ]}
    />
  );
}

function Reviews({ o, onReview }: { o: Order; onReview: (r: OrderReview) => void }) {
  const t = useT();
  const label = useLabel();
  if (o.reviews.length === 0)
    return (
      <Empty
        image={Empty.PRESENTED_IMAGE_SIMPLE}
        description={o.status === 'draft' ? t('orders.review.notSubmitted') : t('orders.review.none')}
      />
    );
  return (
    <Row gutter={[12, 12]}>
      {o.reviews.map((r) => {
        // Items answered 明确并满足 without a note are counted; the others are listed.
        const answered = r.checklist.filter((c) => c.answer && (c.answer !== 'ok' || c.note));
        const plain = r.checklist.filter((c) => c.answer === 'ok' && !c.note).length;
        return (
          <Col xs={24} lg={12} key={r.id}>
            <Card
              size="small"
              type="inner"
              data-testid={`order-review-${r.department.name}`}
              title={
                <Flex gap={8} align="center">
                  <span>{r.department.name}</span>
                  <ReviewDecisionTag decision={r.decision} />
                </Flex>
              }
              extra={
                r.canReview &&
                o.status === 'in_review' && (
                  <Button size="small" type={r.decision ? 'default' : 'primary'} onClick={() => onReview(r)}>
                    {r.decision ? t('orders.review.change') : t('orders.review.button')}
                  </Button>
                )
              }
            >
              {r.condition && (
                <div>
                  <Typography.Text strong>{t('orders.review.condition')}：</Typography.Text>
                  {r.condition}
                </div>
              )}
              {r.comment && <div style={{ whiteSpace: 'pre-wrap' }}>{r.comment}</div>}
              {answered.length > 0 && (
                <ul style={{ margin: '4px 0', paddingInlineStart: 20, fontSize: 12 }}>
                  {answered.map((c) => (
                    <li key={c.code}>
                      {c.label}：
                      <Typography.Text type={c.answer === 'issue' ? 'danger' : undefined}>
                        {c.answer ? label(CHECKLIST_ANSWER_LABELS[c.answer]) : ''}
                      </Typography.Text>
                      {c.note && `（${c.note}）`}
                    </li>
                  ))}
                </ul>
              )}
              {plain > 0 && (
                <Typography.Text type="secondary" style={{ fontSize: 12, display: 'block' }}>
                  {answered.length > 0
                    ? t('orders.review.okOthers', { count: plain })
                    : t('orders.review.okAll', { count: plain })}
                </Typography.Text>
              )}
              {r.pricing && r.pricing.length > 0 && (
                <div style={{ fontSize: 12 }}>
                  {r.pricing
                    .map((p) => t('orders.review.priceOf', { lineNo: p.lineNo, price: p.unitPrice }))
                    .join('；')}
                </div>
              )}
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {r.reviewedAt
                  ? t('orders.review.by', {
                      name: r.reviewedBy?.name ?? '—',
                      at: formatDateTime(r.reviewedAt),
                    })
                  : formatDateTime(r.requestedAt)}
              </Typography.Text>
            </Card>
          </Col>
        );
      })}
    </Row>
  );
}

function Approval({ o }: { o: Order }) {
  const t = useT();
  const label = useLabel();
  if (o.approval) {
    const a = o.approval;
    return (
      <div data-testid="order-approval">
        <Typography.Text strong>
          {t('orders.approve.signed', {
            decision: a.decision === 'accept' ? t('orders.approve.accept') : t('orders.approve.reject'),
            name: a.by?.name ?? '—',
            role: label(ORDER_SIGNER_LABELS[a.role]),
            at: formatDateTime(a.at),
          })}
        </Typography.Text>
        {a.comment && <div style={{ whiteSpace: 'pre-wrap' }}>{a.comment}</div>}
        {a.overruleReason && <div>{t('orders.approve.overruled', { reason: a.overruleReason })}</div>}
      </div>
    );
  }
  if (o.status === 'in_review' && o.signerRole)
    return (
      <Typography.Text type="secondary">
        {t('orders.approve.waiting', { role: label(ORDER_SIGNER_LABELS[o.signerRole]) })}
      </Typography.Text>
    );
  return <Typography.Text type="secondary">—</Typography.Text>;
}

function History({ o }: { o: Order }) {
  const t = useT();
  const label = useLabel();
  if (o.history.length === 0)
    return <Typography.Text type="secondary">{t('orders.history.empty')}</Typography.Text>;
  const value = (field: string, v: string | null) => {
    if (v === null) return '—';
    if (field === 'status' && v in ORDER_STATUS_LABELS) return label(ORDER_STATUS_LABELS[v as OrderStatus]);
    if (field === 'class' && v in ORDER_CLASS_LABELS) return label(ORDER_CLASS_LABELS[v as OrderClass]);
    return v;
  };
  const names: Record<string, MessageKey> = {
    status: 'common.status',
    class: 'orders.field.class',
    proposedClass: 'orders.field.proposedClass',
    route: 'orders.field.route',
    signer: 'orders.field.signer',
    review: 'orders.section.reviews',
    checklist: 'orders.review.checklist',
    pricing: 'orders.review.pricing',
    overruleReason: 'orders.approve.overruleReason',
    leadTimeAtRisk: 'orders.leadTimeAtRisk',
    lines: 'orders.field.lines',
    phoneMemo: 'orders.phone.title',
    reason: 'orders.class.override.reason',
    condition: 'orders.review.condition',
    file: 'orders.history.file',
    record: 'orders.history.record',
    confirmationReceivedOn: 'orders.field.confirmationReceivedOn',
    amendment: 'orders.amend.history',
    amendmentReview: 'orders.amend.reviews',
    amendmentNotice: 'orders.amend.notice',
    totalAmount: 'orders.field.amount',
    delivery: 'deliveries.card',
    delay: 'deliveries.delays',
    customerPo: 'orders.field.customerPo',
    kind: 'orders.field.kind',
    receivedVia: 'orders.field.receivedVia',
    receivedOn: 'orders.field.receivedOn',
    remarks: 'orders.field.remarks',
    confirmationNeeded: 'orders.field.confirmationNeeded',
    projectId: 'projects.field',
  };
  const fieldName = (f: string) =>
    names[f]
      ? t(names[f])
      : f in AMENDMENT_FIELD_LABELS
        ? label(AMENDMENT_FIELD_LABELS[f as AmendmentField])
        : f;
  const items = o.history.slice().sort((a, b) => (a.at < b.at ? 1 : -1));
  return (
    <Timeline
      items={items.map((h, i) => ({
        key: `${h.at}-${i}`,
        color: h.field === 'status' ? 'green' : 'blue',
        content: (
          <div>
            <Typography.Text strong>{fieldName(h.field)}</Typography.Text>
            {(h.oldValue !== null || h.newValue !== null) && (
              <div style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
                {h.oldValue !== null && (
                  <Typography.Text delete type="secondary">
                    {value(h.field, h.oldValue)}
                  </Typography.Text>
                )}
                {h.oldValue !== null && ' → '}
                {value(h.field, h.newValue)}
              </div>
            )}
            {h.note && <div style={{ whiteSpace: 'pre-wrap' }}>{h.note}</div>}
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {formatDateTime(h.at)} {h.actor?.name ?? t('orders.history.system')}
            </Typography.Text>
          </div>
        ),
      }))}
    />
  );
}

/** Field errors with a dotted path (`checklist.price`, `pricing.0.unitPrice`) under the form's
 * matching field, when the generic placement could not find it. */
function placeNested(form: FormInstance, error: unknown, map: (field: string) => (string | number)[] | null) {
  if (!isApiError(error)) return;
  const fields = error.errors
    .map((fe) => ({ name: map(fe.field), errors: [fe.message] }))
    .filter((f): f is { name: (string | number)[]; errors: string[] } => !!f.name);
  if (fields.length) form.setFields(fields);
}

function OverrideClassDrawer({
  open,
  o,
  onClose,
  onDone,
}: {
  open: boolean;
  o: Order;
  onClose: () => void;
  onDone: (o: Order) => void;
}) {
  const t = useT();
  const label = useLabel();
  const [form] = Form.useForm<{ class: OrderClass; reason?: string }>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <FormDrawer
      open={open}
      title={t('orders.class.override.title')}
      form={form}
      saving={saving}
      error={error}
      onClose={onClose}
      afterClose={() => {
        form.resetFields();
        setError(null);
      }}
    >
      <Form
        form={form}
        layout="vertical"
        name="orderClass"
        initialValues={{ class: o.class === 'regular' ? 'non_regular' : 'regular' }}
        onFinish={async (v) => {
          setSaving(true);
          setError(null);
          try {
            onDone(await ordersApi.overrideClass(o.id, { class: v.class, reason: v.reason ?? '' }));
          } catch (e) {
            setError(formErrorText(form, e));
          } finally {
            setSaving(false);
          }
        }}
      >
        <Form.Item name="class" label={t('orders.field.class')}>
          <Radio.Group
            optionType="button"
            buttonStyle="solid"
            options={ORDER_CLASSES.map((c) => ({ value: c, label: label(ORDER_CLASS_LABELS[c]) }))}
          />
        </Form.Item>
        <Form.Item
          name="reason"
          label={t('orders.class.override.reason')}
          rules={[{ required: true, whitespace: true }]}
        >
          <Input.TextArea maxLength={1000} autoSize={{ minRows: 3, maxRows: 8 }} />
        </Form.Item>
      </Form>
    </FormDrawer>
  );
}

function CancelDrawer({
  open,
  o,
  onClose,
  onDone,
}: {
  open: boolean;
  o: Order;
  onClose: () => void;
  onDone: (o: Order) => void;
}) {
  const t = useT();
  const [form] = Form.useForm<{ reason?: string }>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <FormDrawer
      open={open}
      title={`${t('orders.cancel.title')} · ${o.number}`}
      form={form}
      saving={saving}
      error={error}
      onClose={onClose}
      afterClose={() => {
        form.resetFields();
        setError(null);
      }}
      saveText={t('orders.cancel.button')}
    >
      <Form
        form={form}
        layout="vertical"
        name="orderCancel"
        onFinish={async (v) => {
          setSaving(true);
          setError(null);
          try {
            onDone(await ordersApi.cancel(o.id, v.reason ?? ''));
          } catch (e) {
            setError(formErrorText(form, e));
          } finally {
            setSaving(false);
          }
        }}
      >
        <Form.Item
          name="reason"
          label={t('orders.cancel.reason')}
          rules={[{ required: true, whitespace: true }]}
        >
          <Input.TextArea maxLength={1000} autoSize={{ minRows: 3, maxRows: 8 }} />
        </Form.Item>
      </Form>
    </FormDrawer>
  );
}

function ApproveDrawer({
  open,
  o,
  onClose,
  onDone,
}: {
  open: boolean;
  o: Order;
  onClose: () => void;
  onDone: (o: Order) => void;
}) {
  const t = useT();
  return (
    <SignDrawer
      open={open}
      title={t('orders.approve.title', { number: o.number })}
      saveText={t('orders.approve.button')}
      rejected={o.reviews.some((r) => r.decision === 'reject')}
      sign={(input) => ordersApi.approve(o.id, input)}
      onClose={onClose}
      onDone={onDone}
    />
  );
}

interface ReviewValues {
  decision?: OrderReviewDecision;
  condition?: string;
  comment?: string;
  checklist?: Record<string, { answer?: ChecklistAnswer; note?: string }>;
  pricing?: Record<string, string | undefined>;
}

/** A department's review (会签): decision, condition, comment, the checklist item by item, and —
 * when it is finance's review of new products — the price of each new product's line. */
function ReviewDrawer({
  open,
  o,
  review,
  onClose,
  onDone,
}: {
  open: boolean;
  o: Order;
  review: OrderReview | null;
  onClose: () => void;
  onDone: (o: Order) => void;
}) {
  const t = useT();
  const label = useLabel();
  const [form] = Form.useForm<ReviewValues>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const decision = Form.useWatch('decision', form);
  const settings = useOrderSettings();
  const departments = useDepartments();
  const isFinance = useMemo(() => {
    if (!review || !settings) return false;
    const d = departments.items.find((x) => x.id === review.department.id);
    return sameDepartmentCode(d?.code, settings.financeDepartment);
  }, [review, settings, departments.items]);
  const newParts = new Set(o.classReasons.flatMap((r) => (r.code === 'new_part' ? r.partNumbers : [])));
  const priced = isFinance ? o.lines.filter((l) => newParts.has(l.partNumber)) : [];
  const full = o.route === 'full';
  if (!review) return null;
  const initial: ReviewValues = {
    decision: review.decision ?? undefined,
    condition: review.condition ?? undefined,
    comment: review.comment ?? undefined,
    checklist: Object.fromEntries(
      review.checklist.map((c) => [c.code, { answer: c.answer ?? undefined, note: c.note ?? undefined }]),
    ),
    pricing: Object.fromEntries(
      (review.pricing ?? []).map((p) => [String(p.lineNo), p.unitPrice] as [string, string]),
    ),
  };
  return (
    <FormDrawer
      open={open}
      title={t('orders.review.title', { department: review.department.name, number: o.number })}
      size={720}
      form={form}
      saving={saving}
      error={error}
      onClose={onClose}
      afterClose={() => {
        form.resetFields();
        setError(null);
      }}
      saveText={t('orders.review.save')}
    >
      <ClassReasons o={o} />
      <Form<ReviewValues>
        form={form}
        layout="vertical"
        name="orderReview"
        style={{ marginTop: 16 }}
        initialValues={initial}
        onFinish={async (v) => {
          setSaving(true);
          setError(null);
          const checklist: Record<string, { answer: ChecklistAnswer; note: string | null }> = {};
          for (const [code, a] of Object.entries(v.checklist ?? {}))
            if (a?.answer) checklist[code] = { answer: a.answer, note: text(a.note) };
          try {
            onDone(
              await ordersApi.review(o.id, review.department.id, {
                decision: v.decision as OrderReviewDecision,
                condition: v.decision === 'conditional' ? text(v.condition) : null,
                comment: text(v.comment),
                checklist,
                pricing: Object.entries(v.pricing ?? {})
                  .filter(([, p]) => p?.trim())
                  .map(([lineNo, p]) => ({ lineNo: Number(lineNo), unitPrice: (p as string).trim() })),
              }),
            );
          } catch (e) {
            setError(formErrorText(form, e));
            placeNested(form, e, (field) => {
              const c = /^checklist\.([a-z0-9_]+)$/.exec(field);
              if (c) return ['checklist', c[1] as string, 'answer'];
              return null;
            });
          } finally {
            setSaving(false);
          }
        }}
      >
        <FeasibilityReport o={o} departmentId={review.department.id} />
        <Typography.Title level={5}>{t('orders.review.checklist')}</Typography.Title>
        {review.checklist.map((c) => (
          <Row key={c.code} gutter={12} align="top" data-testid={`order-checklist-${c.code}`}>
            <Col xs={24} md={10}>
              <Form.Item
                name={['checklist', c.code, 'answer']}
                label={c.label}
                rules={full ? [{ required: true, message: t('orders.review.checklistRequired') }] : []}
              >
                <Radio.Group
                  options={CHECKLIST_ANSWERS.map((a) => ({
                    value: a,
                    label: label(CHECKLIST_ANSWER_LABELS[a]),
                  }))}
                />
              </Form.Item>
            </Col>
            <Col xs={24} md={14}>
              <Form.Item name={['checklist', c.code, 'note']} label={t('orders.review.checklistNote')}>
                <Input maxLength={500} />
              </Form.Item>
            </Col>
          </Row>
        ))}
        {priced.length > 0 && (
          <>
            <Typography.Title level={5}>{t('orders.review.pricing')}</Typography.Title>
            <Typography.Paragraph type="secondary">{t('orders.review.pricingHelp')}</Typography.Paragraph>
            {priced.map((l) => (
              <Form.Item
                key={l.lineNo}
                name={['pricing', String(l.lineNo)]}
                label={`${t('orders.line.no')} ${l.lineNo} · ${l.partNumber} ${l.product}（${l.quantity} ${l.unit}）`}
                rules={decision === 'reject' ? [] : [{ required: true, whitespace: true }]}
              >
                <Input inputMode="decimal" prefix={o.currency} style={{ maxWidth: 260 }} />
              </Form.Item>
            ))}
          </>
        )}
        <ReviewDecisionFields decision={decision} />
      </Form>
    </FormDrawer>
  );
}
