import { Form, Input, Radio, Tag } from 'antd';
import { type ReactNode, useState } from 'react';
import {
  ORDER_REVIEW_DECISION_LABELS,
  ORDER_REVIEW_DECISIONS,
  type OrderReviewDecision,
} from '../../../common/orders';
import type { Order } from '../../../common/schemas/orders';
import { formErrorText } from '../../api/client';
import { FormDrawer } from '../../components/FormDrawer';
import { useLabel, useT } from '../../i18n';
import { text } from './shared';

// The answer of a department's review (会签) and of a signature, shared by the order's review and
// signature drawers and by those of an amendment (R-K4), inside the caller's <Form>.

const DECISION_COLORS: Record<OrderReviewDecision, string> = {
  accept: 'success',
  conditional: 'warning',
  reject: 'error',
};

export function ReviewDecisionTag({ decision }: { decision: OrderReviewDecision | null }) {
  const t = useT();
  const label = useLabel();
  if (!decision)
    return (
      <Tag style={{ marginInlineEnd: 0 }} data-testid="order-review-decision">
        {t('orders.review.pending')}
      </Tag>
    );
  return (
    <Tag color={DECISION_COLORS[decision]} style={{ marginInlineEnd: 0 }} data-testid="order-review-decision">
      {label(ORDER_REVIEW_DECISION_LABELS[decision])}
    </Tag>
  );
}

/** 评审结论 (可接受 / 有条件接受 / 不接受), the condition when conditional, the comment. */
export function ReviewDecisionFields({ decision }: { decision: OrderReviewDecision | undefined }) {
  const t = useT();
  const label = useLabel();
  return (
    <>
      <Form.Item name="decision" label={t('orders.review.decision')} rules={[{ required: true }]}>
        <Radio.Group
          optionType="button"
          buttonStyle="solid"
          options={ORDER_REVIEW_DECISIONS.map((d) => ({
            value: d,
            label: label(ORDER_REVIEW_DECISION_LABELS[d]),
          }))}
        />
      </Form.Item>
      {decision === 'conditional' && (
        <Form.Item
          name="condition"
          label={t('orders.review.condition')}
          rules={[{ required: true, whitespace: true }]}
        >
          <Input.TextArea maxLength={1000} autoSize={{ minRows: 2, maxRows: 6 }} />
        </Form.Item>
      )}
      <Form.Item name="comment" label={t('orders.review.comment')}>
        <Input.TextArea maxLength={2000} autoSize={{ minRows: 3, maxRows: 8 }} />
      </Form.Item>
    </>
  );
}

/** 签批: accept or reject; the reason for overruling a 不接受; the comment. */
export function SignFields({
  rejected,
  decision,
}: {
  rejected: boolean;
  decision: 'accept' | 'reject' | undefined;
}) {
  const t = useT();
  return (
    <>
      <Form.Item name="decision" label={t('orders.approve.decision')}>
        <Radio.Group
          optionType="button"
          buttonStyle="solid"
          options={[
            { value: 'accept', label: t('orders.approve.accept') },
            { value: 'reject', label: t('orders.approve.reject') },
          ]}
        />
      </Form.Item>
      {rejected && decision === 'accept' && (
        <Form.Item
          name="overruleReason"
          label={t('orders.approve.overruleReason')}
          extra={t('orders.approve.overruleHelp')}
          rules={[{ required: true, whitespace: true }]}
        >
          <Input.TextArea maxLength={1000} autoSize={{ minRows: 2, maxRows: 6 }} />
        </Form.Item>
      )}
      <Form.Item name="comment" label={t('orders.approve.comment')}>
        <Input.TextArea maxLength={2000} autoSize={{ minRows: 3, maxRows: 8 }} />
      </Form.Item>
    </>
  );
}

export interface SignInput {
  decision: 'accept' | 'reject';
  comment: string | null;
  overruleReason: string | null;
}

/** The signature drawer of an order and of an amendment: `sign` sends it, `rejected` says whether
 * a department said 不接受 (accepting then needs the reason). */
export function SignDrawer({
  open,
  title,
  saveText,
  rejected,
  sign,
  onClose,
  onDone,
}: {
  open: boolean;
  title: ReactNode;
  saveText: string;
  rejected: boolean;
  sign: (input: SignInput) => Promise<Order>;
  onClose: () => void;
  onDone: (o: Order) => void;
}) {
  const [form] = Form.useForm<{ decision: 'accept' | 'reject'; comment?: string; overruleReason?: string }>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const decision = Form.useWatch('decision', form);
  return (
    <FormDrawer
      open={open}
      title={title}
      size={560}
      form={form}
      saving={saving}
      error={error}
      onClose={onClose}
      afterClose={() => {
        form.resetFields();
        setError(null);
      }}
      saveText={saveText}
    >
      <Form
        form={form}
        layout="vertical"
        name="orderSign"
        initialValues={{ decision: 'accept' }}
        onFinish={async (v) => {
          setSaving(true);
          setError(null);
          try {
            onDone(
              await sign({
                decision: v.decision,
                comment: text(v.comment),
                overruleReason: v.decision === 'accept' && rejected ? text(v.overruleReason) : null,
              }),
            );
          } catch (e) {
            setError(formErrorText(form, e));
          } finally {
            setSaving(false);
          }
        }}
      >
        <SignFields rejected={rejected} decision={decision} />
      </Form>
    </FormDrawer>
  );
}
