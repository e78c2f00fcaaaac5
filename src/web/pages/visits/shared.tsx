import { App, Button, DatePicker, Empty, Form, Input, Radio, Space, Table, Tag, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { Link } from 'react-router';
import type { VisitTask } from '../../../common/schemas/visits';
import { todayInShanghai } from '../../../common/time';
import {
  VISIT_CANCEL_REASON_LABELS,
  VISIT_STATUS_LABELS,
  VISIT_TRIGGER_LABELS,
  VISIT_WAY_LABELS,
  VISIT_WAYS,
} from '../../../common/visits';
import { errorText, formErrorText } from '../../api/client';
import { visitsApi } from '../../api/visits';
import { FormDrawer } from '../../components/FormDrawer';
import { SecrecyTag } from '../../components/labels';
import { UserSelect } from '../../components/UserSelect';
import { useLabel, useT } from '../../i18n';

// What the visit pages share: the due and status tags, the table of visit tasks with its
// actions, and the drawers to record a visit and to plan one by hand.

const text = (s?: string | null) => (s?.trim() ? s.trim() : null);
const day = (d?: Dayjs | null) => (d ? d.format('YYYY-MM-DD') : undefined);

export function DueTag({ task }: { task: VisitTask }) {
  const t = useT();
  const label = useLabel();
  if (task.status !== 'open')
    return (
      <Tag color={task.status === 'done' ? 'success' : 'default'}>
        {label(VISIT_STATUS_LABELS[task.status])}
      </Tag>
    );
  const color = { overdue: 'error', today: 'warning', upcoming: 'processing' }[task.dueState ?? 'upcoming'];
  return <Tag color={color}>{t(`visits.due.${task.dueState ?? 'upcoming'}`)}</Tag>;
}

/** The plan a task belongs to: its rule's name (or 手动安排) and its step. */
function planText(task: VisitTask, label: ReturnType<typeof useLabel>, t: ReturnType<typeof useT>) {
  if (task.trigger === 'manual') return t('visits.manual');
  const name = task.ruleName ?? label(VISIT_TRIGGER_LABELS[task.trigger]);
  return `${name} · ${t('visits.step', { step: task.step, days: task.offsetDays })}${task.dayKind === 'working' ? t('visits.workingSuffix') : ''}`;
}

export function VisitTable({
  items,
  loading,
  empty,
  showCustomer = true,
  onChanged,
}: {
  items: VisitTask[];
  loading: boolean;
  empty: string;
  showCustomer?: boolean;
  onChanged: (task: VisitTask) => void;
}) {
  const t = useT();
  const label = useLabel();
  const { modal, message } = App.useApp();
  const [completing, setCompleting] = useState<VisitTask | null>(null);
  const [editing, setEditing] = useState<VisitTask | null>(null);
  const cancel = (task: VisitTask) => {
    let note = '';
    modal.confirm({
      title: t('visits.cancelTitle'),
      content: (
        <Input.TextArea
          rows={2}
          placeholder={t('visits.cancelNote')}
          onChange={(e) => (note = e.target.value)}
        />
      ),
      okText: t('visits.cancel'),
      okButtonProps: { danger: true },
      onOk: async () => {
        try {
          onChanged(await visitsApi.cancel(task.id, { note: text(note) }));
          message.success(t('visits.cancelled'));
        } catch (e) {
          message.error(errorText(e));
        }
      },
    });
  };
  return (
    <>
      <Table<VisitTask>
        rowKey="id"
        size="middle"
        loading={loading}
        dataSource={items}
        pagination={false}
        scroll={{ x: 900 }}
        locale={{ emptyText: <Empty description={empty} /> }}
        columns={[
          {
            title: t('visits.col.due'),
            key: 'due',
            width: 150,
            render: (_, v) => (
              <Space size={4} wrap>
                <span>{v.dueDate}</span>
                <DueTag task={v} />
              </Space>
            ),
          },
          ...(showCustomer
            ? [
                {
                  title: t('visits.col.customer'),
                  key: 'customer',
                  render: (_: unknown, v: VisitTask) => (
                    <Space size={4} wrap>
                      <Link to={`/customers/${v.customer.id}?tab=visits`}>{v.customer.name}</Link>
                      <Typography.Text type="secondary">{v.customer.code}</Typography.Text>
                      {v.secrecy !== 'normal' && <SecrecyTag level={v.secrecy} />}
                    </Space>
                  ),
                },
              ]
            : []),
          {
            title: t('visits.col.way'),
            key: 'way',
            width: 80,
            render: (_, v) => label(VISIT_WAY_LABELS[v.visit?.way ?? v.way]),
          },
          { title: t('visits.col.plan'), key: 'plan', render: (_, v) => planText(v, label, t) },
          {
            title: t('visits.col.assignee'),
            key: 'assignee',
            width: 110,
            render: (_, v) => v.assignee?.name ?? '—',
          },
          {
            title: t('visits.col.result'),
            key: 'result',
            render: (_, v) =>
              v.visit ? (
                <div>
                  <div>
                    {v.visit.visitedOn} {v.visit.contact ? `· ${v.visit.contact}` : ''}
                  </div>
                  <Typography.Paragraph ellipsis={{ rows: 2 }} style={{ margin: 0 }}>
                    {v.visit.content}
                  </Typography.Paragraph>
                  {v.visit.feedback && (
                    <Typography.Text type="secondary">
                      {t('visits.feedback')}：{v.visit.feedback}
                    </Typography.Text>
                  )}
                  {v.visit.nextStep && (
                    <div>
                      <Typography.Text type="secondary">
                        {t('visits.nextStep')}：{v.visit.nextStep}
                        {v.visit.nextStepDue ? `（${v.visit.nextStepDue}）` : ''}
                      </Typography.Text>
                    </div>
                  )}
                </div>
              ) : v.status === 'cancelled' ? (
                <Typography.Text type="secondary">
                  {v.cancelReason ? label(VISIT_CANCEL_REASON_LABELS[v.cancelReason]) : ''}
                  {v.cancelNote ? `：${v.cancelNote}` : ''}
                </Typography.Text>
              ) : (
                (v.note ?? '')
              ),
          },
          {
            title: t('common.actions'),
            key: 'actions',
            width: 200,
            fixed: 'right',
            render: (_, v) => (
              <Space size={0}>
                {v.can.complete && (
                  <Button
                    type="link"
                    size="small"
                    onClick={() => setCompleting(v)}
                    data-testid="visit-complete"
                  >
                    {t('visits.complete')}
                  </Button>
                )}
                {v.can.reassign && (
                  <Button type="link" size="small" onClick={() => setEditing(v)} data-testid="visit-edit">
                    {t('visits.edit')}
                  </Button>
                )}
                {v.can.cancel && (
                  <Button type="link" size="small" danger onClick={() => cancel(v)}>
                    {t('visits.cancel')}
                  </Button>
                )}
              </Space>
            ),
          },
        ]}
      />
      <CompleteVisitDrawer
        task={completing}
        onClose={() => setCompleting(null)}
        onDone={(v) => {
          setCompleting(null);
          onChanged(v);
        }}
      />
      <EditVisitDrawer
        task={editing}
        onClose={() => setEditing(null)}
        onDone={(v) => {
          setEditing(null);
          onChanged(v);
        }}
      />
    </>
  );
}

interface CompleteValues {
  way: VisitTask['way'];
  visitedOn: Dayjs;
  contact?: string;
  content: string;
  feedback?: string;
  nextStep?: string;
  nextStepDue?: Dayjs | null;
}

/** 记录回访: way, date, contact, what was said, the customer's feedback, the next step. */
export function CompleteVisitDrawer({
  task,
  onClose,
  onDone,
}: {
  task: VisitTask | null;
  onClose: () => void;
  onDone: (task: VisitTask) => void;
}) {
  const t = useT();
  const label = useLabel();
  const { message } = App.useApp();
  const [form] = Form.useForm<CompleteValues>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (v: CompleteValues) => {
    if (!task) return;
    setSaving(true);
    setError(null);
    try {
      const done = await visitsApi.complete(task.id, {
        way: v.way,
        visitedOn: day(v.visitedOn) as string,
        contact: text(v.contact),
        content: v.content,
        feedback: text(v.feedback),
        nextStep: text(v.nextStep),
        nextStepDue: day(v.nextStepDue) ?? null,
      });
      message.success(t('visits.completed'));
      onDone(done);
    } catch (e) {
      setError(formErrorText(form, e));
    } finally {
      setSaving(false);
    }
  };
  return (
    <FormDrawer
      open={!!task}
      title={task ? `${t('visits.completeTitle')} · ${task.customer.name}` : ''}
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
        onFinish={submit}
        initialValues={{ way: task?.way ?? 'phone', visitedOn: dayjs(todayInShanghai()) }}
      >
        <Form.Item name="way" label={t('visits.col.way')} rules={[{ required: true }]}>
          <Radio.Group
            optionType="button"
            options={VISIT_WAYS.map((w) => ({ value: w, label: label(VISIT_WAY_LABELS[w]) }))}
          />
        </Form.Item>
        <Form.Item name="visitedOn" label={t('visits.visitedOn')} rules={[{ required: true }]}>
          <DatePicker
            style={{ width: '100%' }}
            allowClear={false}
            disabledDate={(d) => d.isAfter(dayjs(todayInShanghai()), 'day')}
          />
        </Form.Item>
        <Form.Item name="contact" label={t('visits.contact')}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item
          name="content"
          label={t('visits.content')}
          rules={[{ required: true, whitespace: true, message: t('common.required') }]}
        >
          <Input.TextArea rows={4} maxLength={5000} />
        </Form.Item>
        <Form.Item name="feedback" label={t('visits.feedback')}>
          <Input.TextArea rows={3} maxLength={2000} />
        </Form.Item>
        <Form.Item name="nextStep" label={t('visits.nextStep')}>
          <Input maxLength={1000} />
        </Form.Item>
        <Form.Item name="nextStepDue" label={t('visits.nextStepDue')}>
          <DatePicker style={{ width: '100%' }} />
        </Form.Item>
      </Form>
    </FormDrawer>
  );
}

interface NewValues {
  dueDate: Dayjs;
  way: VisitTask['way'];
  assigneeId?: string;
  note?: string;
}

/** 安排回访: a visit planned by hand for one archive. */
export function NewVisitDrawer({
  customerId,
  open,
  onClose,
  onDone,
}: {
  customerId: string;
  open: boolean;
  onClose: () => void;
  onDone: (task: VisitTask) => void;
}) {
  const t = useT();
  const label = useLabel();
  const { message } = App.useApp();
  const [form] = Form.useForm<NewValues>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (v: NewValues) => {
    setSaving(true);
    setError(null);
    try {
      const task = await visitsApi.create({
        customerId,
        dueDate: day(v.dueDate) as string,
        way: v.way,
        assigneeId: v.assigneeId ?? null,
        note: text(v.note),
      });
      message.success(t('visits.planned'));
      onDone(task);
    } catch (e) {
      setError(formErrorText(form, e));
    } finally {
      setSaving(false);
    }
  };
  return (
    <FormDrawer
      open={open}
      title={t('visits.new')}
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
        onFinish={submit}
        initialValues={{ way: 'phone', dueDate: dayjs(todayInShanghai()).add(3, 'day') }}
      >
        <Form.Item name="dueDate" label={t('visits.col.due')} rules={[{ required: true }]}>
          <DatePicker
            style={{ width: '100%' }}
            allowClear={false}
            disabledDate={(d) => d.isBefore(dayjs(todayInShanghai()), 'day')}
          />
        </Form.Item>
        <Form.Item name="way" label={t('visits.col.way')} rules={[{ required: true }]}>
          <Radio.Group
            optionType="button"
            options={VISIT_WAYS.map((w) => ({ value: w, label: label(VISIT_WAY_LABELS[w]) }))}
          />
        </Form.Item>
        <Form.Item name="assigneeId" label={t('visits.col.assignee')} extra={t('visits.assigneeHelp')}>
          <UserSelect allowClear />
        </Form.Item>
        <Form.Item name="note" label={t('visits.note')}>
          <Input.TextArea rows={2} maxLength={500} />
        </Form.Item>
      </Form>
    </FormDrawer>
  );
}

interface EditValues {
  dueDate: Dayjs;
  way: VisitTask['way'];
  assigneeId?: string | null;
}

/** 改派/改期: another visitor (cleared for the archive), another day or way for an open task. */
export function EditVisitDrawer({
  task,
  onClose,
  onDone,
}: {
  task: VisitTask | null;
  onClose: () => void;
  onDone: (task: VisitTask) => void;
}) {
  const t = useT();
  const label = useLabel();
  const { message } = App.useApp();
  const [form] = Form.useForm<EditValues>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (v: EditValues) => {
    if (!task) return;
    setSaving(true);
    setError(null);
    try {
      const next = await visitsApi.update(task.id, {
        dueDate: day(v.dueDate),
        way: v.way,
        ...(v.assigneeId && v.assigneeId !== task.assignee?.id ? { assigneeId: v.assigneeId } : {}),
      });
      message.success(t('visits.edited'));
      onDone(next);
    } catch (e) {
      setError(formErrorText(form, e));
    } finally {
      setSaving(false);
    }
  };
  return (
    <FormDrawer
      open={!!task}
      title={task ? `${t('visits.editTitle')}：${task.customer.name}` : ''}
      form={form}
      saving={saving}
      error={error}
      onClose={onClose}
      afterClose={() => {
        form.resetFields();
        setError(null);
      }}
    >
      {task && (
        <Form
          form={form}
          layout="vertical"
          onFinish={submit}
          initialValues={{
            dueDate: dayjs(task.dueDate),
            way: task.way,
            assigneeId: task.assignee?.id ?? null,
          }}
        >
          <Form.Item name="dueDate" label={t('visits.col.due')} rules={[{ required: true }]}>
            <DatePicker
              style={{ width: '100%' }}
              allowClear={false}
              disabledDate={(d) => d.isBefore(dayjs(todayInShanghai()), 'day')}
            />
          </Form.Item>
          <Form.Item name="way" label={t('visits.col.way')} rules={[{ required: true }]}>
            <Radio.Group
              optionType="button"
              options={VISIT_WAYS.map((w) => ({ value: w, label: label(VISIT_WAY_LABELS[w]) }))}
            />
          </Form.Item>
          <Form.Item name="assigneeId" label={t('visits.col.assignee')} extra={t('visits.reassignHelp')}>
            <UserSelect />
          </Form.Item>
        </Form>
      )}
    </FormDrawer>
  );
}
