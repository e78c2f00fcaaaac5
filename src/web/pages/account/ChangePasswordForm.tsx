import { Button, Form, Input } from 'antd';
import { useState } from 'react';
import { passwordLongEnough } from '../../../common/validation';
import { formErrorText } from '../../api/client';
import { authApi } from '../../api/platform';
import { useT } from '../../i18n';

interface Values {
  currentPassword: string;
  newPassword: string;
  confirm: string;
}

/** Current password, new password twice; the length checked here, how guessable it is by the server. */
export function ChangePasswordForm({
  onDone,
  onError,
  block = false,
}: {
  onDone: () => Promise<void> | void;
  onError: (text: string | null) => void;
  block?: boolean;
}) {
  const t = useT();
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);

  const onFinish = async (values: Values) => {
    setSaving(true);
    try {
      await authApi.changePassword({
        currentPassword: values.currentPassword,
        newPassword: values.newPassword,
      });
      form.resetFields();
      await onDone();
    } catch (e) {
      onError(formErrorText(form, e));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Form<Values>
      name="password"
      form={form}
      layout="vertical"
      onFinish={onFinish}
      requiredMark={false}
      autoComplete="off"
    >
      <Form.Item name="currentPassword" label={t('password.current')} rules={[{ required: true }]}>
        <Input.Password autoComplete="current-password" autoFocus />
      </Form.Item>
      <Form.Item
        name="newPassword"
        label={t('password.new')}
        dependencies={['currentPassword']}
        rules={[
          { required: true },
          {
            validator: (_, value: string | undefined) =>
              !value || passwordLongEnough(value)
                ? Promise.resolve()
                : Promise.reject(new Error(t('password.weak'))),
          },
          ({ getFieldValue }) => ({
            validator: (_, value: string | undefined) =>
              !value || value !== getFieldValue('currentPassword')
                ? Promise.resolve()
                : Promise.reject(new Error(t('password.sameAsCurrent'))),
          }),
        ]}
      >
        <Input.Password autoComplete="new-password" placeholder={t('password.rule')} />
      </Form.Item>
      <Form.Item
        name="confirm"
        label={t('password.confirm')}
        dependencies={['newPassword']}
        rules={[
          { required: true },
          ({ getFieldValue }) => ({
            validator: (_, value: string | undefined) =>
              !value || value === getFieldValue('newPassword')
                ? Promise.resolve()
                : Promise.reject(new Error(t('password.mismatch'))),
          }),
        ]}
      >
        <Input.Password autoComplete="new-password" />
      </Form.Item>
      <Form.Item style={{ marginBottom: 0 }}>
        <Button type="primary" htmlType="submit" loading={saving} block={block}>
          {t('password.submit')}
        </Button>
      </Form.Item>
    </Form>
  );
}
