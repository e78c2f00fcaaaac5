import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import {
  App,
  Button,
  Card,
  Col,
  DatePicker,
  Divider,
  Empty,
  Flex,
  Form,
  type FormInstance,
  Input,
  Row,
  Select,
  Switch,
  Table,
  Tag,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { type ReactNode, useState } from 'react';
import { Link } from 'react-router';
import {
  ORDER_CHANNEL_LABELS,
  ORDER_CHANNELS,
  ORDER_CLASS_LABELS,
  ORDER_KIND_LABELS,
  ORDER_KINDS,
  ORDER_STATUS_LABELS,
  type OrderClass,
  type OrderKind,
  type OrderStatus,
} from '../../../common/orders';
import type { Order, OrderSummary } from '../../../common/schemas/orders';
import { todayInShanghai } from '../../../common/time';
import { formErrorText, isApiError } from '../../api/client';
import { ordersApi } from '../../api/orders';
import { FormDrawer } from '../../components/FormDrawer';
import { SecrecyTag } from '../../components/labels';
import { useLabel, useT } from '../../i18n';
import { CustomerPicker } from '../documents/CustomerPicker';

// What the order pages share: the status, class and kind tags, the table of orders (the list and
// the archive's 合同 tab) and the 新建订单 drawer.

export const text = (s?: string | null) => (s?.trim() ? s.trim() : null);
export const day = (d?: Dayjs | null) => (d ? d.format('YYYY-MM-DD') : undefined);
export const orDash = (v: string | number | null | undefined) =>
  v === null || v === undefined || v === '' ? '—' : v;

const STATUS_COLORS: Record<OrderStatus, string> = {
  draft: 'default',
  in_review: 'processing',
  accepted: 'success',
  rejected: 'error',
  cancelled: 'default',
};

export function OrderStatusTag({ status }: { status: OrderStatus }) {
  const label = useLabel();
  return (
    <Tag color={STATUS_COLORS[status]} style={{ marginInlineEnd: 0 }} data-testid="order-status">
      {status === 'cancelled' ? (
        <s>{label(ORDER_STATUS_LABELS[status])}</s>
      ) : (
        label(ORDER_STATUS_LABELS[status])
      )}
    </Tag>
  );
}

export function OrderClassTag({ value }: { value: OrderClass }) {
  const label = useLabel();
  return (
    <Tag
      color={value === 'regular' ? 'blue' : 'purple'}
      style={{ marginInlineEnd: 0 }}
      data-testid="order-class"
    >
      {label(ORDER_CLASS_LABELS[value])}
    </Tag>
  );
}

export function OrderKindTag({ value }: { value: OrderKind }) {
  const label = useLabel();
  return (
    <Tag color={value === 'annual' ? 'gold' : undefined} style={{ marginInlineEnd: 0 }}>
      {label(ORDER_KIND_LABELS[value])}
    </Tag>
  );
}

/** The table of orders (the list and the customer's 合同 tab). Fits 1280 px. */
export function OrderTable({
  items,
  loading,
  empty,
  showCustomer = true,
}: {
  items: OrderSummary[];
  loading: boolean;
  empty: ReactNode;
  showCustomer?: boolean;
}) {
  const t = useT();
  const showAmount = items.some((o) => o.totalAmount !== null);
  return (
    <Table<OrderSummary>
      rowKey="id"
      size="middle"
      loading={loading}
      dataSource={items}
      pagination={false}
      scroll={{ x: showCustomer ? 900 : 760 }}
      locale={{ emptyText: <Empty description={empty} /> }}
      columns={[
        {
          title: `${t('orders.field.number')} / ${t('orders.field.customerPo')}`,
          key: 'number',
          width: 170,
          fixed: 'left',
          render: (_, o) => (
            <Flex vertical gap={2} align="flex-start">
              <Link to={`/orders/${o.id}`} data-testid="order-link">
                {o.number}
              </Link>
              {/* The column's title names it: a PO number often starts with PO itself. */}
              {o.customerPo && (
                <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="order-po">
                  {o.customerPo}
                </Typography.Text>
              )}
              {o.secrecy !== 'normal' && <SecrecyTag level={o.secrecy} />}
            </Flex>
          ),
        },
        ...(showCustomer
          ? [
              {
                title: t('orders.field.customer'),
                key: 'customer',
                render: (_: unknown, o: OrderSummary) => (
                  <Flex vertical gap={2} style={{ minWidth: 140 }}>
                    <Link to={`/customers/${o.customer.id}?tab=contracts`}>{o.customer.name}</Link>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {o.customer.code}
                    </Typography.Text>
                  </Flex>
                ),
              },
            ]
          : []),
        {
          title: `${t('orders.field.kind')} / ${t('orders.field.class')}`,
          key: 'class',
          width: 150,
          render: (_, o) => (
            <Flex gap={4} wrap>
              <OrderKindTag value={o.kind} />
              <OrderClassTag value={o.class} />
              {o.leadTimeAtRisk && (
                <Tag color="orange" style={{ marginInlineEnd: 0 }}>
                  {t('orders.leadTimeAtRisk')}
                </Tag>
              )}
            </Flex>
          ),
        },
        {
          title: t('common.status'),
          key: 'status',
          width: 140,
          render: (_, o) => (
            <Flex vertical gap={2} align="flex-start">
              <OrderStatusTag status={o.status} />
              {o.status === 'in_review' && o.reviewsOpen > 0 && (
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {t('orders.reviewsOpen', { count: o.reviewsOpen })}
                </Typography.Text>
              )}
            </Flex>
          ),
        },
        ...(showAmount
          ? [
              {
                title: t('orders.field.amount'),
                key: 'amount',
                width: 140,
                align: 'right' as const,
                render: (_: unknown, o: OrderSummary) =>
                  o.totalAmount === null ? '—' : `${o.currency} ${o.totalAmount}`,
              },
            ]
          : []),
        {
          title: t('orders.field.receivedOn'),
          key: 'received',
          width: 130,
          render: (_, o) => (
            <Flex vertical gap={2}>
              <span>{o.receivedOn}</span>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t('orders.lineCount', { count: o.lineCount })}
              </Typography.Text>
            </Flex>
          ),
        },
      ]}
    />
  );
}

interface LineValues {
  partNumber?: string;
  product?: string;
  specification?: string;
  quantity?: string;
  unit?: string;
  unitPrice?: string;
  requestedOn?: Dayjs;
  promisedOn?: Dayjs | null;
}

interface NewValues {
  customerId?: string;
  kind: OrderKind;
  receivedVia: (typeof ORDER_CHANNELS)[number];
  receivedOn?: Dayjs;
  customerPo?: string;
  currency?: string;
  paymentTerms?: string;
  deliveryMethod?: string;
  deliveryPlace?: string;
  packaging?: string;
  remarks?: string;
  confirmationNeeded?: boolean;
  phoneMemo?: { caller?: string; calledAt?: Dayjs; agreed?: string };
  lines: LineValues[];
}

/** Field errors of a line (`lines.0.quantity`) under the line's field (Form.List names are numbers). */
function placeLineErrors(form: FormInstance, error: unknown) {
  if (!isApiError(error)) return;
  const fields = error.errors
    .map((fe) => ({ m: /^lines\.(\d+)\.(\w+)$/.exec(fe.field), message: fe.message }))
    .filter((x) => x.m)
    .map((x) => ({
      name: ['lines', Number(x.m?.[1]), x.m?.[2] as string] as (string | number)[],
      errors: [x.message],
    }));
  if (fields.length) form.setFields(fields);
}

/** 新建订单: from the list (customer to pick) or from the customer's 合同 tab. */
export function NewOrderDrawer({
  open,
  customer,
  onClose,
  onDone,
}: {
  open: boolean;
  /** Fixed when opened from the customer's tab. */
  customer?: { id: string; name: string } | null;
  onClose: () => void;
  onDone: (o: Order) => void;
}) {
  const t = useT();
  const label = useLabel();
  const { message } = App.useApp();
  const [form] = Form.useForm<NewValues>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const via = Form.useWatch('receivedVia', form);
  const submit = async (v: NewValues) => {
    const customerId = customer?.id ?? v.customerId;
    if (!customerId) return;
    setSaving(true);
    setError(null);
    try {
      const o = await ordersApi.create({
        customerId,
        kind: v.kind,
        receivedVia: v.receivedVia,
        receivedOn: day(v.receivedOn) as string,
        customerPo: text(v.customerPo),
        currency: (v.currency ?? 'CNY').trim().toUpperCase(),
        paymentTerms: text(v.paymentTerms),
        deliveryMethod: text(v.deliveryMethod),
        deliveryPlace: text(v.deliveryPlace),
        packaging: text(v.packaging),
        remarks: text(v.remarks),
        confirmationNeeded: !!v.confirmationNeeded,
        phoneMemo:
          v.receivedVia === 'phone'
            ? {
                caller: v.phoneMemo?.caller ?? '',
                calledAt: v.phoneMemo?.calledAt?.format('YYYY-MM-DDTHH:mm:ssZ') ?? '',
                agreed: v.phoneMemo?.agreed ?? '',
              }
            : null,
        lines: (v.lines ?? []).map((l) => ({
          partNumber: l.partNumber ?? '',
          product: l.product ?? '',
          specification: text(l.specification),
          quantity: (l.quantity ?? '').trim(),
          unit: l.unit ?? '',
          unitPrice: text(l.unitPrice),
          requestedOn: day(l.requestedOn) as string,
          promisedOn: day(l.promisedOn) ?? null,
        })),
      });
      message.success(t('orders.new.done', { number: o.number }));
      onDone(o);
    } catch (e) {
      setError(formErrorText(form, e));
      placeLineErrors(form, e);
    } finally {
      setSaving(false);
    }
  };
  const today = dayjs(todayInShanghai());
  return (
    <FormDrawer
      open={open}
      title={customer ? `${t('orders.new.title')} · ${customer.name}` : t('orders.new.title')}
      size={960}
      form={form}
      saving={saving}
      error={error}
      onClose={onClose}
      afterClose={() => {
        form.resetFields();
        setError(null);
      }}
      saveText={t('orders.new.save')}
    >
      <Form<NewValues>
        name="newOrder"
        form={form}
        layout="vertical"
        onFinish={submit}
        autoComplete="off"
        initialValues={{
          kind: 'order',
          receivedVia: 'written',
          receivedOn: today,
          currency: 'CNY',
          confirmationNeeded: false,
          lines: [{ unit: 'PCS' }],
        }}
      >
        <Row gutter={16}>
          {!customer && (
            <Col xs={24} md={12}>
              <Form.Item name="customerId" label={t('orders.field.customer')} rules={[{ required: true }]}>
                <CustomerPicker placeholder={t('orders.new.customerPlaceholder')} />
              </Form.Item>
            </Col>
          )}
          <Col xs={24} md={12}>
            <Form.Item name="customerPo" label={t('orders.field.customerPo')}>
              <Input maxLength={100} />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name="kind" label={t('orders.field.kind')} rules={[{ required: true }]}>
              <Select options={ORDER_KINDS.map((k) => ({ value: k, label: label(ORDER_KIND_LABELS[k]) }))} />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name="receivedVia" label={t('orders.field.receivedVia')} rules={[{ required: true }]}>
              <Select
                data-testid="order-received-via"
                options={ORDER_CHANNELS.map((c) => ({ value: c, label: label(ORDER_CHANNEL_LABELS[c]) }))}
                onChange={(c) => {
                  if (c === 'phone') form.setFieldValue('confirmationNeeded', true);
                }}
              />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name="receivedOn" label={t('orders.field.receivedOn')} rules={[{ required: true }]}>
              <DatePicker
                style={{ width: '100%' }}
                allowClear={false}
                disabledDate={(d) => d.isAfter(today, 'day')}
              />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item
              name="currency"
              label={t('orders.field.currency')}
              rules={[{ required: true, pattern: /^[A-Za-z]{3}$/ }]}
            >
              <Input maxLength={3} />
            </Form.Item>
          </Col>
        </Row>
        {via === 'phone' && (
          <Card size="small" title={t('orders.phone.title')} style={{ marginBottom: 16 }}>
            <Row gutter={16}>
              <Col xs={24} md={8}>
                <Form.Item
                  name={['phoneMemo', 'caller']}
                  label={t('orders.phone.caller')}
                  rules={[{ required: true, whitespace: true }]}
                >
                  <Input maxLength={100} />
                </Form.Item>
              </Col>
              <Col xs={24} md={8}>
                <Form.Item
                  name={['phoneMemo', 'calledAt']}
                  label={t('orders.phone.calledAt')}
                  rules={[{ required: true }]}
                >
                  <DatePicker
                    showTime={{ format: 'HH:mm' }}
                    format="YYYY-MM-DD HH:mm"
                    style={{ width: '100%' }}
                  />
                </Form.Item>
              </Col>
              <Col xs={24} md={8}>
                <Form.Item
                  name="confirmationNeeded"
                  label={t('orders.field.confirmationNeeded')}
                  valuePropName="checked"
                  tooltip={t('orders.new.confirmationHelp')}
                >
                  <Switch />
                </Form.Item>
              </Col>
              <Col span={24}>
                <Form.Item
                  name={['phoneMemo', 'agreed']}
                  label={t('orders.phone.agreed')}
                  rules={[{ required: true, whitespace: true }]}
                >
                  <Input.TextArea maxLength={2000} autoSize={{ minRows: 2, maxRows: 6 }} />
                </Form.Item>
              </Col>
            </Row>
          </Card>
        )}
        <Divider titlePlacement="start">{t('orders.field.lines')}</Divider>
        <Form.List name="lines">
          {(fields, { add, remove }) => (
            <Flex vertical gap={8}>
              {fields.map((f, i) => (
                <Card
                  key={f.key}
                  size="small"
                  title={`${t('orders.line.no')} ${i + 1}`}
                  extra={
                    fields.length > 1 && (
                      <Button
                        type="text"
                        danger
                        icon={<DeleteOutlined />}
                        aria-label={t('orders.line.remove')}
                        onClick={() => remove(f.name)}
                      />
                    )
                  }
                >
                  <Row gutter={12}>
                    <Col xs={12} md={6}>
                      <Form.Item
                        name={[f.name, 'partNumber']}
                        label={t('orders.line.partNumber')}
                        rules={[{ required: true, whitespace: true }]}
                      >
                        <Input maxLength={100} />
                      </Form.Item>
                    </Col>
                    <Col xs={12} md={9}>
                      <Form.Item
                        name={[f.name, 'product']}
                        label={t('orders.line.product')}
                        rules={[{ required: true, whitespace: true }]}
                      >
                        <Input maxLength={200} />
                      </Form.Item>
                    </Col>
                    <Col xs={24} md={9}>
                      <Form.Item name={[f.name, 'specification']} label={t('orders.line.specification')}>
                        <Input maxLength={500} />
                      </Form.Item>
                    </Col>
                    <Col xs={8} md={4}>
                      <Form.Item
                        name={[f.name, 'quantity']}
                        label={t('orders.line.quantity')}
                        rules={[{ required: true, whitespace: true }]}
                      >
                        <Input inputMode="decimal" />
                      </Form.Item>
                    </Col>
                    <Col xs={8} md={3}>
                      <Form.Item
                        name={[f.name, 'unit']}
                        label={t('orders.line.unit')}
                        rules={[{ required: true, whitespace: true }]}
                      >
                        <Input maxLength={20} />
                      </Form.Item>
                    </Col>
                    <Col xs={8} md={5}>
                      <Form.Item name={[f.name, 'unitPrice']} label={t('orders.line.unitPrice')}>
                        <Input inputMode="decimal" />
                      </Form.Item>
                    </Col>
                    <Col xs={12} md={6}>
                      <Form.Item
                        name={[f.name, 'requestedOn']}
                        label={t('orders.line.requestedOn')}
                        rules={[{ required: true }]}
                      >
                        <DatePicker style={{ width: '100%' }} />
                      </Form.Item>
                    </Col>
                    <Col xs={12} md={6}>
                      <Form.Item name={[f.name, 'promisedOn']} label={t('orders.line.promisedOn')}>
                        <DatePicker style={{ width: '100%' }} />
                      </Form.Item>
                    </Col>
                  </Row>
                </Card>
              ))}
              <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ unit: 'PCS' })}>
                {t('orders.line.add')}
              </Button>
            </Flex>
          )}
        </Form.List>
        <Divider titlePlacement="start">{t('orders.new.terms')}</Divider>
        <Row gutter={16}>
          <TermsFields />
          <Col span={24}>
            <Form.Item name="remarks" label={t('orders.field.remarks')}>
              <Input.TextArea maxLength={2000} autoSize={{ minRows: 2, maxRows: 6 }} />
            </Form.Item>
          </Col>
        </Row>
      </Form>
    </FormDrawer>
  );
}

/** The order's terms (payment, packaging, delivery method and place) as form columns: the new
 * order form and the amendment drawer ask the same questions. */
export function TermsFields() {
  const t = useT();
  return (
    <>
      <Col xs={24} md={12}>
        <Form.Item name="paymentTerms" label={t('orders.field.paymentTerms')}>
          <Input maxLength={500} />
        </Form.Item>
      </Col>
      <Col xs={24} md={12}>
        <Form.Item name="packaging" label={t('orders.field.packaging')}>
          <Input maxLength={500} />
        </Form.Item>
      </Col>
      <Col xs={24} md={12}>
        <Form.Item name="deliveryMethod" label={t('orders.field.deliveryMethod')}>
          <Input maxLength={200} />
        </Form.Item>
      </Col>
      <Col xs={24} md={12}>
        <Form.Item name="deliveryPlace" label={t('orders.field.deliveryPlace')}>
          <Input maxLength={200} />
        </Form.Item>
      </Col>
    </>
  );
}
