import { App, Descriptions, Form, Input, InputNumber, Radio, Typography } from 'antd';
import { useState } from 'react';
import {
  ACTION_KIND_LABELS,
  ACTION_KINDS,
  ACTION_MAX_DUE_DAYS,
  type ActionKind,
} from '../../../common/actions';
import type { CorrectiveAction } from '../../../common/schemas/actions';
import { actionsApi } from '../../api/actions';
import { formErrorText } from '../../api/client';
import { FormDrawer } from '../../components/FormDrawer';
import { UserSelect } from '../../components/UserSelect';
import { useLabel, useT } from '../../i18n';
import { ActionDueTag, ActionKindTag } from './shared';

// The drawers of a corrective or preventive action: raise one on a case (新增措施), record it done
// (完成: what was done), and verify its effect (验证: effective or not, and how it was checked).

function useSave<T>(onDone: (saved: T) => void) {
  const { message } = App.useApp();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = async (form: Parameters<typeof formErrorText>[0], call: () => Promise<T>, done: string) => {
    setSaving(true);
    setError(null);
    try {
      const saved = await call();
      message.success(done);
      onDone(saved);
    } catch (e) {
      setError(formErrorText(form, e));
    } finally {
      setSaving(false);
    }
  };
  return { saving, error, setError, run };
}

interface RaiseValues {
  kind: ActionKind;
  description?: string;
  ownerId?: string;
  dueDays?: number;
}

/** 新增措施 on a case: kind, what is to be done, who does it and within how many working days. */
export function RaiseActionDrawer({
  open,
  caseId,
  caseNumber,
  onClose,
  onDone,
}: {
  open: boolean;
  caseId: string;
  caseNumber: string;
  onClose: () => void;
  onDone: (a: CorrectiveAction) => void;
}) {
  const t = useT();
  const label = useLabel();
  const [form] = Form.useForm<RaiseValues>();
  const save = useSave(onDone);
  return (
    <FormDrawer
      open={open}
      title={t('actions.raise.title', { number: caseNumber })}
      size={560}
      form={form}
      saving={save.saving}
      error={save.error}
      onClose={onClose}
      afterClose={() => save.setError(null)}
      saveText={t('actions.raise.save')}
    >
      <Form<RaiseValues>
        name="raiseAction"
        form={form}
        layout="vertical"
        preserve={false}
        autoComplete="off"
        initialValues={{ kind: 'corrective', dueDays: 5 }}
        onFinish={(v) =>
          save.run(
            form,
            () =>
              actionsApi.raiseOnCase(caseId, {
                kind: v.kind,
                description: v.description ?? '',
                ownerId: v.ownerId ?? '',
                dueDays: v.dueDays ?? 0,
              }),
            t('actions.done.raised'),
          )
        }
      >
        <Form.Item name="kind" label={t('actions.field.kind')} extra={t('actions.raise.kindHelp')}>
          <Radio.Group
            optionType="button"
            buttonStyle="solid"
            options={ACTION_KINDS.map((k) => ({ value: k, label: label(ACTION_KIND_LABELS[k]) }))}
          />
        </Form.Item>
        <Form.Item
          name="description"
          label={t('actions.field.description')}
          rules={[{ required: true, whitespace: true }]}
        >
          <Input.TextArea
            maxLength={2000}
            autoSize={{ minRows: 3, maxRows: 8 }}
            placeholder={t('actions.raise.descriptionPlaceholder')}
          />
        </Form.Item>
        <Form.Item
          name="ownerId"
          label={t('actions.field.owner')}
          rules={[{ required: true }]}
          extra={t('actions.raise.ownerHelp')}
        >
          <UserSelect />
        </Form.Item>
        <Form.Item
          name="dueDays"
          label={t('actions.field.dueDays')}
          rules={[{ required: true }]}
          extra={t('actions.raise.dueHelp')}
        >
          <InputNumber
            min={0}
            max={ACTION_MAX_DUE_DAYS}
            precision={0}
            suffix={t('actions.raise.workingDays')}
            style={{ width: 200 }}
          />
        </Form.Item>
      </Form>
    </FormDrawer>
  );
}

/** The action being completed or verified, above the form. */
function ActionSummary({ a }: { a: CorrectiveAction }) {
  const t = useT();
  return (
    <Descriptions
      size="small"
      column={1}
      bordered
      style={{ marginBottom: 16 }}
      items={[
        { key: 'kind', label: t('actions.field.kind'), children: <ActionKindTag kind={a.kind} /> },
        {
          key: 'description',
          label: t('actions.field.description'),
          children: <span style={{ whiteSpace: 'pre-wrap' }}>{a.description}</span>,
        },
        { key: 'owner', label: t('actions.field.owner'), children: a.owner?.name ?? '—' },
        { key: 'due', label: t('actions.field.due'), children: <ActionDueTag action={a} /> },
        ...(a.result
          ? [
              {
                key: 'result',
                label: t('actions.field.result'),
                children: <span style={{ whiteSpace: 'pre-wrap' }}>{a.result}</span>,
              },
            ]
          : []),
      ]}
    />
  );
}

/** 完成: the owner (or whoever handles the case) says what was done. */
export function CompleteActionDrawer({
  action,
  onClose,
  onDone,
}: {
  action: CorrectiveAction | null;
  onClose: () => void;
  onDone: (a: CorrectiveAction) => void;
}) {
  const t = useT();
  const [form] = Form.useForm<{ result?: string }>();
  const save = useSave(onDone);
  return (
    <FormDrawer
      open={!!action}
      title={t('actions.complete.title')}
      size={560}
      form={form}
      saving={save.saving}
      error={save.error}
      onClose={onClose}
      afterClose={() => save.setError(null)}
      saveText={t('actions.complete.save')}
    >
      {action && <ActionSummary a={action} />}
      <Form<{ result?: string }>
        name="completeAction"
        form={form}
        layout="vertical"
        preserve={false}
        autoComplete="off"
        onFinish={(v) =>
          action &&
          save.run(
            form,
            () => actionsApi.complete(action.id, { result: v.result ?? '' }),
            t('actions.done.completed'),
          )
        }
      >
        <Form.Item
          name="result"
          label={t('actions.field.result')}
          rules={[{ required: true, whitespace: true }]}
          extra={t('actions.complete.help')}
        >
          <Input.TextArea maxLength={3000} autoSize={{ minRows: 4, maxRows: 10 }} />
        </Form.Item>
      </Form>
    </FormDrawer>
  );
}

interface VerifyValues {
  effective?: boolean;
  verification?: string;
}

/** 验证: quality checks the effect (never the owner of the action). */
export function VerifyActionDrawer({
  action,
  onClose,
  onDone,
}: {
  action: CorrectiveAction | null;
  onClose: () => void;
  onDone: (a: CorrectiveAction) => void;
}) {
  const t = useT();
  const [form] = Form.useForm<VerifyValues>();
  const save = useSave(onDone);
  const effective = Form.useWatch('effective', form);
  return (
    <FormDrawer
      open={!!action}
      title={t('actions.verify.title')}
      size={560}
      form={form}
      saving={save.saving}
      error={save.error}
      onClose={onClose}
      afterClose={() => save.setError(null)}
      saveText={t('actions.verify.save')}
    >
      {action && <ActionSummary a={action} />}
      <Form<VerifyValues>
        name="verifyAction"
        form={form}
        layout="vertical"
        preserve={false}
        autoComplete="off"
        onFinish={(v) =>
          action &&
          save.run(
            form,
            () =>
              actionsApi.verify(action.id, {
                effective: v.effective === true,
                verification: v.verification ?? '',
              }),
            t('actions.done.verified'),
          )
        }
      >
        <Form.Item
          name="effective"
          label={t('actions.verify.question')}
          rules={[{ required: true, message: t('actions.verify.pick') }]}
        >
          <Radio.Group
            optionType="button"
            buttonStyle="solid"
            options={[
              { value: true, label: t('actions.verify.effective') },
              { value: false, label: t('actions.verify.ineffective') },
            ]}
          />
        </Form.Item>
        {effective === false && (
          <Typography.Paragraph type="warning">{t('actions.verify.ineffectiveHelp')}</Typography.Paragraph>
        )}
        <Form.Item
          name="verification"
          label={t('actions.field.verification')}
          rules={[{ required: true, whitespace: true }]}
          extra={t('actions.verify.help')}
        >
          <Input.TextArea maxLength={3000} autoSize={{ minRows: 4, maxRows: 10 }} />
        </Form.Item>
      </Form>
    </FormDrawer>
  );
}
