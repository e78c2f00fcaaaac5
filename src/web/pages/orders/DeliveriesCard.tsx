import { PlusOutlined, WarningOutlined } from '@ant-design/icons';
import {
  App,
  Button,
  Card,
  Checkbox,
  DatePicker,
  Flex,
  Form,
  Input,
  Popconfirm,
  Select,
  Table,
  Tag,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useCallback, useEffect, useState } from 'react';
import { DELAY_VIA_LABELS, DELAY_VIAS, type DelayVia } from '../../../common/order-deliveries';
import type { OrderDeliveries } from '../../../common/schemas/order-deliveries';
import { formatDateTime } from '../../../common/time';
import { errorText, formErrorText } from '../../api/client';
import { deliveriesApi } from '../../api/order-deliveries';
import { FormDrawer } from '../../components/FormDrawer';
import { useLabel, useT } from '../../i18n';

// 交付 card of the order page (R-K5): per line ordered / delivered / open and its state, the
// deliveries and delays under each line, recording a delivery or a delay (掉期), deleting a wrong
// delivery. The server decides who may (can.deliver) and checks every rule again.

type Line = OrderDeliveries['lines'][number];

function LineState({ l }: { l: Line }) {
  const t = useT();
  if (l.completedOn)
    return (
      <Tag color={l.onTime ? 'green' : 'orange'}>
        {t(l.onTime ? 'deliveries.state.onTime' : 'deliveries.state.late')}
      </Tag>
    );
  return (
    <Flex gap={4} wrap>
      {l.onTime === false && <Tag color="red">{t('deliveries.state.overdue')}</Tag>}
      {l.delayed && (
        <Tag color="volcano" icon={<WarningOutlined />}>
          {t('deliveries.state.delayed')}
        </Tag>
      )}
      {l.onTime === null && !l.delayed && <Tag>{t('deliveries.state.open')}</Tag>}
    </Flex>
  );
}

interface DeliveryForm {
  lineId: string;
  deliveredOn: Dayjs;
  quantity: string;
  deliveryNoteNo?: string;
  remarks?: string;
  allowOverDelivery?: boolean;
}
interface DelayForm {
  lineId: string;
  reason: string;
  newDate: Dayjs;
  informedBy?: string;
  informedOn?: Dayjs | null;
  informedVia?: DelayVia | null;
}

export function DeliveriesCard({ orderId }: { orderId: string }) {
  const t = useT();
  const label = useLabel();
  const { message } = App.useApp();
  const [data, setData] = useState<OrderDeliveries | null>(null);
  const [drawer, setDrawer] = useState<'delivery' | 'delay' | null>(null);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [deliveryForm] = Form.useForm<DeliveryForm>();
  const [delayForm] = Form.useForm<DelayForm>();

  const load = useCallback(() => {
    deliveriesApi
      .get(orderId)
      .then(setData)
      .catch((e) => message.error(errorText(e)));
  }, [orderId, message]);
  useEffect(load, [load]);

  if (!data) return <Card title={t('deliveries.card')} size="small" loading />;
  const lineOptions = data.lines.map((l) => ({
    value: l.lineId,
    label: `${l.lineNo}. ${l.partNumber} ${l.product}（${t('deliveries.open')} ${l.open} ${l.unit}）`,
  }));
  const open = (which: 'delivery' | 'delay', lineId?: string) => {
    setError(null);
    setDrawer(which);
    const first = lineId ?? data.lines.find((l) => l.open !== '0')?.lineId ?? data.lines[0]?.lineId;
    if (which === 'delivery')
      deliveryForm.setFieldsValue({ lineId: first, deliveredOn: dayjs(), quantity: undefined });
    else delayForm.setFieldsValue({ lineId: first, informedOn: dayjs(), informedVia: 'phone' });
  };
  const save = async (run: () => Promise<OrderDeliveries>, done: string, form: typeof deliveryForm) => {
    setSaving(true);
    try {
      setData(await run());
      setDrawer(null);
      message.success(done);
    } catch (e) {
      setError(formErrorText(form as never, e));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Card
      title={t('deliveries.card')}
      size="small"
      data-testid="order-deliveries"
      extra={
        data.can.deliver && (
          <Flex gap={8}>
            <Button size="small" onClick={() => open('delay')} data-testid="delay-add">
              {t('deliveries.addDelay')}
            </Button>
            <Button
              size="small"
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => open('delivery')}
              data-testid="delivery-add"
            >
              {t('deliveries.add')}
            </Button>
          </Flex>
        )
      }
    >
      {data.status !== 'accepted' && (
        <Typography.Paragraph type="secondary">{t('deliveries.notAccepted')}</Typography.Paragraph>
      )}
      <Table<Line>
        rowKey="lineId"
        size="small"
        pagination={false}
        dataSource={data.lines}
        expandable={{
          rowExpandable: (l) => l.deliveries.length > 0 || l.delays.length > 0,
          expandedRowRender: (l) => (
            <Flex vertical gap={8}>
              {l.deliveries.length > 0 && (
                <Table
                  rowKey="id"
                  size="small"
                  pagination={false}
                  dataSource={l.deliveries}
                  columns={[
                    { title: t('deliveries.field.deliveredOn'), dataIndex: 'deliveredOn' },
                    { title: t('deliveries.field.quantity'), dataIndex: 'quantity', align: 'right' },
                    { title: t('deliveries.field.deliveryNoteNo'), dataIndex: 'deliveryNoteNo' },
                    { title: t('deliveries.field.remarks'), dataIndex: 'remarks' },
                    {
                      title: t('deliveries.field.by'),
                      render: (_, d) => `${d.createdBy?.name ?? ''} ${formatDateTime(d.createdAt)}`,
                    },
                    {
                      title: '',
                      render: (_, d) =>
                        data.can.deliver && (
                          <Popconfirm
                            title={t('deliveries.removeConfirm')}
                            onConfirm={() =>
                              deliveriesApi
                                .remove(orderId, d.id)
                                .then((next) => {
                                  setData(next);
                                  message.success(t('deliveries.removed'));
                                })
                                .catch((e) => message.error(errorText(e)))
                            }
                          >
                            <Button size="small" type="link" danger>
                              {t('deliveries.remove')}
                            </Button>
                          </Popconfirm>
                        ),
                    },
                  ]}
                />
              )}
              {l.delays.length > 0 && (
                <Table
                  rowKey="id"
                  size="small"
                  pagination={false}
                  title={() => t('deliveries.delays')}
                  dataSource={l.delays}
                  columns={[
                    {
                      title: t('delays.field.reason'),
                      render: (_, d) => (
                        <>
                          {d.predicted && <Tag>{t('delays.predicted')}</Tag>}
                          {d.reason}
                        </>
                      ),
                    },
                    { title: t('delays.field.newDate'), dataIndex: 'newDate' },
                    { title: t('delays.field.informedBy'), dataIndex: 'informedBy' },
                    { title: t('delays.field.informedOn'), dataIndex: 'informedOn' },
                    {
                      title: t('delays.field.informedVia'),
                      render: (_, d) => (d.informedVia ? label(DELAY_VIA_LABELS[d.informedVia]) : ''),
                    },
                  ]}
                />
              )}
            </Flex>
          ),
        }}
        columns={[
          { title: t('deliveries.line'), dataIndex: 'lineNo', width: 56 },
          { title: t('deliveries.part'), render: (_, l) => `${l.partNumber} ${l.product}` },
          { title: t('deliveries.ordered'), align: 'right', render: (_, l) => `${l.quantity} ${l.unit}` },
          { title: t('deliveries.delivered'), dataIndex: 'delivered', align: 'right' },
          { title: t('deliveries.open'), dataIndex: 'open', align: 'right' },
          {
            title: t('deliveries.due'),
            render: (_, l) => (
              <>
                {l.dueOn}
                {l.effectiveDueOn !== l.dueOn && (
                  <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
                    {t('deliveries.effectiveDue', { date: l.effectiveDueOn })}
                  </Typography.Text>
                )}
              </>
            ),
          },
          {
            title: t('deliveries.state'),
            render: (_, l) => (
              <>
                <LineState l={l} />
                {l.completedOn && (
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {t('deliveries.completedOn', { date: l.completedOn })}
                  </Typography.Text>
                )}
              </>
            ),
          },
        ]}
      />
      <FormDrawer
        open={drawer === 'delivery'}
        title={t('deliveries.add')}
        form={deliveryForm}
        saving={saving}
        error={error}
        onClose={() => setDrawer(null)}
      >
        <Form<DeliveryForm>
          form={deliveryForm}
          layout="vertical"
          name="delivery"
          onFinish={(v) =>
            save(
              () =>
                deliveriesApi.record(orderId, {
                  lineId: v.lineId,
                  deliveredOn: v.deliveredOn.format('YYYY-MM-DD'),
                  quantity: String(v.quantity).trim(),
                  deliveryNoteNo: v.deliveryNoteNo ?? '',
                  remarks: v.remarks ?? '',
                  allowOverDelivery: !!v.allowOverDelivery,
                }),
              t('deliveries.saved'),
              deliveryForm,
            )
          }
        >
          <Form.Item name="lineId" label={t('deliveries.field.line')} rules={[{ required: true }]}>
            <Select options={lineOptions} />
          </Form.Item>
          <Form.Item
            name="deliveredOn"
            label={t('deliveries.field.deliveredOn')}
            rules={[{ required: true }]}
          >
            <DatePicker style={{ width: '100%' }} disabledDate={(d) => d.isAfter(dayjs(), 'day')} />
          </Form.Item>
          <Form.Item name="quantity" label={t('deliveries.field.quantity')} rules={[{ required: true }]}>
            <Input inputMode="decimal" data-testid="delivery-quantity" />
          </Form.Item>
          <Form.Item name="deliveryNoteNo" label={t('deliveries.field.deliveryNoteNo')}>
            <Input maxLength={64} />
          </Form.Item>
          <Form.Item name="remarks" label={t('deliveries.field.remarks')}>
            <Input.TextArea maxLength={500} rows={2} />
          </Form.Item>
          <Form.Item name="allowOverDelivery" valuePropName="checked">
            <Checkbox>{t('deliveries.field.allowOver')}</Checkbox>
          </Form.Item>
        </Form>
      </FormDrawer>
      <FormDrawer
        open={drawer === 'delay'}
        title={t('deliveries.addDelay')}
        form={delayForm}
        saving={saving}
        error={error}
        onClose={() => setDrawer(null)}
      >
        <Form<DelayForm>
          form={delayForm}
          layout="vertical"
          name="delay"
          onFinish={(v) =>
            save(
              () =>
                deliveriesApi.delay(orderId, {
                  lineId: v.lineId,
                  reason: v.reason,
                  newDate: v.newDate.format('YYYY-MM-DD'),
                  informedBy: v.informedBy ?? '',
                  informedOn: v.informedOn ? v.informedOn.format('YYYY-MM-DD') : null,
                  informedVia: v.informedVia ?? null,
                }),
              t('delays.saved'),
              delayForm as never,
            )
          }
        >
          <Form.Item name="lineId" label={t('deliveries.field.line')} rules={[{ required: true }]}>
            <Select options={lineOptions} />
          </Form.Item>
          <Form.Item name="reason" label={t('delays.field.reason')} rules={[{ required: true }]}>
            <Input.TextArea maxLength={500} rows={2} />
          </Form.Item>
          <Form.Item name="newDate" label={t('delays.field.newDate')} rules={[{ required: true }]}>
            <DatePicker style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="informedBy" label={t('delays.field.informedBy')}>
            <Input maxLength={100} />
          </Form.Item>
          <Form.Item name="informedOn" label={t('delays.field.informedOn')}>
            <DatePicker style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="informedVia" label={t('delays.field.informedVia')}>
            <Select
              allowClear
              options={DELAY_VIAS.map((v) => ({ value: v, label: label(DELAY_VIA_LABELS[v]) }))}
            />
          </Form.Item>
        </Form>
      </FormDrawer>
    </Card>
  );
}
