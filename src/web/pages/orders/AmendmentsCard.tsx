import { AuditOutlined, CheckOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  DatePicker,
  Descriptions,
  Flex,
  Form,
  Input,
  Row,
  Table,
  Tag,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import {
  AMENDMENT_CATEGORY_LABELS,
  AMENDMENT_FIELD_LABELS,
  AMENDMENT_STATUS_LABELS,
  type AmendmentStatus,
} from '../../../common/order-amendments';
import { ORDER_SIGNER_LABELS, type OrderReviewDecision } from '../../../common/orders';
import type { Order } from '../../../common/schemas/orders';
import { formatDateTime } from '../../../common/time';
import { errorText, formErrorText } from '../../api/client';
import {
  type AmendmentInput,
  type AmendmentReview,
  amendmentsApi,
  type OrderAmendment,
} from '../../api/order-amendments';
import { FormDrawer } from '../../components/FormDrawer';
import { useLabel, useT } from '../../i18n';
import { ReviewDecisionFields, ReviewDecisionTag, SignDrawer } from './ReviewFields';
import { day, orDash, TermsFields, text } from './shared';

// Amendments of an accepted order (合同更改, R-K4): the 变更 drawer that proposes new values, and
// the 变更记录 card — each amendment's difference (字段 / 原值 / 新值), the departments' reviews
// (the order review's answers), the signature, and the 合同更改通知单 with who confirmed it.

const STATUS_COLORS: Record<AmendmentStatus, string> = {
  in_review: 'processing',
  accepted: 'success',
  rejected: 'error',
};

export function AmendmentsCard({ o, onDone }: { o: Order; onDone: (o: Order, text?: string) => void }) {
  const t = useT();
  const [reviewing, setReviewing] = useState<{ a: OrderAmendment; r: AmendmentReview } | null>(null);
  const [signing, setSigning] = useState<OrderAmendment | null>(null);
  if (o.amendments.length === 0) return null;
  const items = o.amendments.slice().reverse();
  return (
    <Card title={t('orders.amend.section')} size="small" data-testid="order-amendments">
      <Flex vertical gap={12}>
        {items.map((a) => (
          <AmendmentItem
            key={a.id}
            o={o}
            a={a}
            onReview={(r) => setReviewing({ a, r })}
            onSign={() => setSigning(a)}
            onDone={onDone}
          />
        ))}
      </Flex>
      <AmendmentReviewDrawer
        o={o}
        target={reviewing}
        onClose={() => setReviewing(null)}
        onDone={(n) => {
          setReviewing(null);
          onDone(n, t('orders.review.done'));
        }}
      />
      <SignDrawer
        open={!!signing}
        title={signing ? t('orders.amend.signTitle', { title: signing.title, number: o.number }) : ''}
        saveText={t('orders.amend.sign')}
        rejected={!!signing?.reviews.some((r) => r.decision === 'reject')}
        sign={(input) => amendmentsApi.sign(o.id, signing?.id ?? '', input)}
        onClose={() => setSigning(null)}
        onDone={(n) => {
          setSigning(null);
          onDone(n, t('orders.approve.done'));
        }}
      />
    </Card>
  );
}

function AmendmentItem({
  o,
  a,
  onReview,
  onSign,
  onDone,
}: {
  o: Order;
  a: OrderAmendment;
  onReview: (r: AmendmentReview) => void;
  onSign: () => void;
  onDone: (o: Order, text?: string) => void;
}) {
  const t = useT();
  const label = useLabel();
  const { message } = App.useApp();
  const [acking, setAcking] = useState(false);
  const acknowledge = async () => {
    setAcking(true);
    try {
      onDone(await amendmentsApi.acknowledge(o.id, a.id), t('orders.amend.acknowledged'));
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setAcking(false);
    }
  };
  return (
    <Card
      size="small"
      type="inner"
      data-testid={`order-amendment-${a.seq}`}
      title={
        <Flex gap={8} align="center" wrap>
          <span>{a.title}</span>
          <Tag
            color={STATUS_COLORS[a.status]}
            style={{ marginInlineEnd: 0 }}
            data-testid="order-amendment-status"
          >
            {label(AMENDMENT_STATUS_LABELS[a.status])}
          </Tag>
          {a.categories.map((c) => (
            <Tag key={c} style={{ marginInlineEnd: 0 }}>
              {label(AMENDMENT_CATEGORY_LABELS[c])}
            </Tag>
          ))}
        </Flex>
      }
      extra={
        a.can.sign && (
          <Button
            size="small"
            type="primary"
            icon={<AuditOutlined />}
            onClick={onSign}
            data-testid="order-amendment-sign"
          >
            {t('orders.amend.sign')}
          </Button>
        )
      }
    >
      <Descriptions
        size="small"
        column={{ xs: 1, md: 2 }}
        items={[
          { key: 'reason', label: t('orders.amend.reason'), children: a.reason },
          {
            key: 'by',
            label: t('orders.amend.proposedBy'),
            children: `${a.createdBy?.name ?? '—'} · ${formatDateTime(a.createdAt)}`,
          },
        ]}
      />
      <DiffTable a={a} />
      <Typography.Title level={5} style={{ marginTop: 12 }}>
        {t('orders.amend.reviews')}
      </Typography.Title>
      {a.reviews.length === 0 ? (
        <Typography.Text type="secondary">{t('orders.amend.noReviews')}</Typography.Text>
      ) : (
        <Row gutter={[12, 12]}>
          {a.reviews.map((r) => (
            <Col xs={24} lg={12} key={r.id}>
              <Card
                size="small"
                data-testid={`order-amendment-review-${r.department.name}`}
                title={
                  <Flex gap={8} align="center">
                    <span>{r.department.name}</span>
                    <ReviewDecisionTag decision={r.decision} />
                  </Flex>
                }
                extra={
                  r.canReview && (
                    <Button
                      size="small"
                      type={r.decision ? 'default' : 'primary'}
                      onClick={() => onReview(r)}
                    >
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
          ))}
        </Row>
      )}
      <div style={{ marginTop: 12 }} data-testid="order-amendment-signature">
        {a.signature ? (
          <Alert
            type={a.signature.decision === 'accept' ? 'success' : 'warning'}
            title={t('orders.amend.signed', {
              decision:
                a.signature.decision === 'accept' ? t('orders.amend.applied') : t('orders.amend.rejected'),
              name: a.signature.by?.name ?? '—',
              role: label(ORDER_SIGNER_LABELS[a.signature.role]),
              at: formatDateTime(a.signature.at),
            })}
            description={
              [
                a.signature.overruleReason
                  ? t('orders.approve.overruled', { reason: a.signature.overruleReason })
                  : null,
                a.signature.comment,
              ]
                .filter(Boolean)
                .join('；') || undefined
            }
          />
        ) : (
          <Typography.Text type="secondary">
            {t('orders.approve.waiting', { role: label(ORDER_SIGNER_LABELS[a.signerRole]) })}
          </Typography.Text>
        )}
      </div>
      {a.notice && (
        <div style={{ marginTop: 12 }} data-testid="order-amendment-notice">
          <Typography.Title level={5}>
            {t('orders.amend.notice')}
            <Typography.Text
              type="secondary"
              style={{ fontSize: 12, marginInlineStart: 8, fontWeight: 'normal' }}
            >
              {t('orders.amend.issuedAt', { at: formatDateTime(a.notice.issuedAt) })} ·{' '}
              {t('orders.amend.openCount', {
                open: a.notice.departments.filter((d) => !d.acknowledgedAt).length,
                total: a.notice.departments.length,
              })}
            </Typography.Text>
          </Typography.Title>
          <Table
            rowKey={(d) => d.department.id}
            size="small"
            pagination={false}
            dataSource={a.notice.departments}
            columns={[
              { title: t('orders.amend.department'), key: 'dept', render: (_, d) => d.department.name },
              {
                title: t('orders.amend.ackState'),
                key: 'state',
                render: (_, d) =>
                  d.acknowledgedAt ? (
                    <span data-testid={`order-notice-${d.department.name}`}>
                      <Tag color="success">{t('orders.amend.ackDone')}</Tag>
                      {d.acknowledgedBy?.name ?? '—'} · {formatDateTime(d.acknowledgedAt)}
                    </span>
                  ) : (
                    <Tag color="warning" data-testid={`order-notice-${d.department.name}`}>
                      {t('orders.amend.ackOpen')}
                    </Tag>
                  ),
              },
              {
                title: '',
                key: 'action',
                width: 120,
                render: (_, d) =>
                  d.canAcknowledge && (
                    <Button
                      size="small"
                      type="primary"
                      icon={<CheckOutlined />}
                      loading={acking}
                      onClick={acknowledge}
                      data-testid="order-amendment-acknowledge"
                    >
                      {t('orders.amend.acknowledge')}
                    </Button>
                  ),
              },
            ]}
          />
        </div>
      )}
    </Card>
  );
}

/** 字段 / 原值 / 新值 of an amendment; a price the reader may not see says so. */
function DiffTable({ a }: { a: OrderAmendment }) {
  const t = useT();
  const label = useLabel();
  const shown = (v: string | null, hidden: boolean) => (hidden ? t('orders.pricesHidden') : orDash(v));
  return (
    <Table
      rowKey={(c) => `${c.field}-${c.lineNo ?? ''}`}
      size="small"
      pagination={false}
      data-testid="order-amendment-diff"
      dataSource={a.changes}
      columns={[
        {
          title: t('orders.amend.field'),
          key: 'field',
          render: (_, c) =>
            `${c.lineNo ? `${t('orders.amend.line', { lineNo: c.lineNo })} ` : ''}${label(AMENDMENT_FIELD_LABELS[c.field])}`,
        },
        { title: t('orders.amend.before'), key: 'before', render: (_, c) => shown(c.before, c.hidden) },
        {
          title: t('orders.amend.after'),
          key: 'after',
          render: (_, c) => <Typography.Text strong>{shown(c.after, c.hidden)}</Typography.Text>,
        },
      ]}
    />
  );
}

interface LineValues {
  quantity?: string;
  requestedOn?: Dayjs | null;
  promisedOn?: Dayjs | null;
  specification?: string;
  unitPrice?: string;
}
interface AmendValues {
  reason?: string;
  lines?: Record<string, LineValues>;
  paymentTerms?: string;
  deliveryMethod?: string;
  deliveryPlace?: string;
  packaging?: string;
  currency?: string;
}

/** 变更: the order's current values to edit; only what differs is sent, the server computes the
 * difference again and refuses an amendment that changes nothing. */
export function AmendDrawer({
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
  const [form] = Form.useForm<AmendValues>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const initial: AmendValues = {
    lines: Object.fromEntries(
      o.lines.map((l) => [
        String(l.lineNo),
        {
          quantity: l.quantity,
          requestedOn: dayjs(l.requestedOn),
          promisedOn: l.promisedOn ? dayjs(l.promisedOn) : null,
          specification: l.specification ?? '',
          unitPrice: l.unitPrice ?? '',
        },
      ]),
    ),
    paymentTerms: o.paymentTerms ?? '',
    deliveryMethod: o.deliveryMethod ?? '',
    deliveryPlace: o.deliveryPlace ?? '',
    packaging: o.packaging ?? '',
    currency: o.currency,
  };
  const changedOnly = (v: AmendValues): AmendmentInput => {
    const lines: NonNullable<AmendmentInput['lines']> = [];
    for (const l of o.lines) {
      const n = v.lines?.[String(l.lineNo)] ?? {};
      const p: NonNullable<AmendmentInput['lines']>[number] = { lineNo: l.lineNo };
      if (n.quantity?.trim() && n.quantity.trim() !== l.quantity) p.quantity = n.quantity.trim();
      const req = day(n.requestedOn);
      if (req && req !== l.requestedOn) p.requestedOn = req;
      const prom = day(n.promisedOn) ?? null;
      if (prom !== l.promisedOn) p.promisedOn = prom;
      if ((text(n.specification) ?? null) !== l.specification) p.specification = text(n.specification);
      if (o.pricesVisible && (text(n.unitPrice) ?? null) !== l.unitPrice) p.unitPrice = text(n.unitPrice);
      if (Object.keys(p).length > 1) lines.push(p);
    }
    const out: AmendmentInput = { reason: v.reason ?? '', lines };
    for (const f of ['paymentTerms', 'deliveryMethod', 'deliveryPlace', 'packaging'] as const)
      if ((text(v[f]) ?? null) !== o[f]) out[f] = text(v[f]);
    if (v.currency && v.currency !== o.currency) out.currency = v.currency.trim().toUpperCase();
    return out;
  };
  return (
    <FormDrawer
      open={open}
      title={t('orders.amend.title', { number: o.number })}
      size={880}
      form={form}
      saving={saving}
      error={error}
      onClose={onClose}
      afterClose={() => {
        form.resetFields();
        setError(null);
      }}
      saveText={t('orders.amend.submit')}
    >
      <Alert type="info" showIcon title={t('orders.amend.help')} style={{ marginBottom: 16 }} />
      <Form<AmendValues>
        form={form}
        layout="vertical"
        name="orderAmend"
        initialValues={initial}
        onFinish={async (v) => {
          setSaving(true);
          setError(null);
          try {
            onDone(await amendmentsApi.propose(o.id, changedOnly(v)));
          } catch (e) {
            setError(formErrorText(form, e));
          } finally {
            setSaving(false);
          }
        }}
      >
        {o.lines.map((l) => (
          <Card
            key={l.lineNo}
            size="small"
            type="inner"
            style={{ marginBottom: 12 }}
            title={`${t('orders.amend.line', { lineNo: l.lineNo })} · ${l.partNumber} ${l.product}`}
          >
            <Row gutter={12}>
              <Col xs={12} md={6}>
                <Form.Item
                  name={['lines', String(l.lineNo), 'quantity']}
                  label={`${t('orders.line.quantity')}（${l.unit}）`}
                  rules={[{ required: true, whitespace: true }]}
                >
                  <Input inputMode="decimal" data-testid={`amend-line-${l.lineNo}-quantity`} />
                </Form.Item>
              </Col>
              <Col xs={12} md={6}>
                <Form.Item
                  name={['lines', String(l.lineNo), 'requestedOn']}
                  label={t('orders.line.requestedOn')}
                  rules={[{ required: true }]}
                >
                  <DatePicker style={{ width: '100%' }} allowClear={false} />
                </Form.Item>
              </Col>
              <Col xs={12} md={6}>
                <Form.Item
                  name={['lines', String(l.lineNo), 'promisedOn']}
                  label={t('orders.line.promisedOn')}
                >
                  <DatePicker style={{ width: '100%' }} />
                </Form.Item>
              </Col>
              {o.pricesVisible && (
                <Col xs={12} md={6}>
                  <Form.Item
                    name={['lines', String(l.lineNo), 'unitPrice']}
                    label={t('orders.line.unitPrice')}
                  >
                    <Input inputMode="decimal" prefix={o.currency} />
                  </Form.Item>
                </Col>
              )}
              <Col xs={24}>
                <Form.Item
                  name={['lines', String(l.lineNo), 'specification']}
                  label={t('orders.amend.specification')}
                >
                  <Input maxLength={500} />
                </Form.Item>
              </Col>
            </Row>
          </Card>
        ))}
        <Row gutter={12}>
          <TermsFields />
          <Col xs={24} md={6}>
            <Form.Item
              name="currency"
              label={t('orders.field.currency')}
              rules={[{ required: true, pattern: /^[A-Za-z]{3}$/ }]}
            >
              <Input maxLength={3} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item
          name="reason"
          label={t('orders.amend.reason')}
          rules={[{ required: true, whitespace: true }]}
        >
          <Input.TextArea maxLength={1000} autoSize={{ minRows: 2, maxRows: 6 }} data-testid="amend-reason" />
        </Form.Item>
      </Form>
    </FormDrawer>
  );
}

interface ReviewValues {
  decision?: OrderReviewDecision;
  condition?: string;
  comment?: string;
}

function AmendmentReviewDrawer({
  o,
  target,
  onClose,
  onDone,
}: {
  o: Order;
  target: { a: OrderAmendment; r: AmendmentReview } | null;
  onClose: () => void;
  onDone: (o: Order) => void;
}) {
  const t = useT();
  const [form] = Form.useForm<ReviewValues>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const decision = Form.useWatch('decision', form);
  return (
    <FormDrawer
      open={!!target}
      title={
        target
          ? t('orders.amend.reviewTitle', {
              department: target.r.department.name,
              title: target.a.title,
              number: o.number,
            })
          : ''
      }
      size={560}
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
      {target && (
        <Form<ReviewValues>
          form={form}
          layout="vertical"
          name="amendmentReview"
          initialValues={{
            decision: target.r.decision ?? undefined,
            condition: target.r.condition ?? undefined,
            comment: target.r.comment ?? undefined,
          }}
          onFinish={async (v) => {
            setSaving(true);
            setError(null);
            try {
              onDone(
                await amendmentsApi.review(o.id, target.a.id, target.r.department.id, {
                  decision: v.decision as OrderReviewDecision,
                  condition: v.decision === 'conditional' ? text(v.condition) : null,
                  comment: text(v.comment),
                }),
              );
            } catch (e) {
              setError(formErrorText(form, e));
            } finally {
              setSaving(false);
            }
          }}
        >
          <Typography.Paragraph type="secondary">{target.a.reason}</Typography.Paragraph>
          <div style={{ marginBottom: 16 }}>
            <DiffTable a={target.a} />
          </div>
          <ReviewDecisionFields decision={decision} />
        </Form>
      )}
    </FormDrawer>
  );
}
