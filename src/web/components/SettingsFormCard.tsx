import { Alert, App, Button, Card, Form, type FormInstance } from 'antd';
import { type ReactNode, useState } from 'react';
import { formErrorText } from '../api/client';
import { useT } from '../i18n';

// A card of a module's settings page (special requirements, orders): the form of one group of
// settings with its save button in the card's corner, disabled for readers who may not change
// them, field errors of the API under their fields and any other error above the form.

export function SettingsFormCard<V extends object>({
  title,
  name,
  form,
  editable,
  initialValues,
  onSave,
  saveTestId,
  children,
}: {
  title: ReactNode;
  /** The form's name (ids of its fields: `${name}_${field}`). */
  name: string;
  form: FormInstance<V>;
  editable: boolean;
  initialValues: Partial<V>;
  /** Saves the values; the card shows the API's errors. */
  onSave: (values: V) => Promise<void>;
  saveTestId?: string;
  children: ReactNode;
}) {
  const t = useT();
  const { message } = App.useApp();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <Card
      title={title}
      style={{ marginBottom: 16 }}
      extra={
        editable && (
          <Button type="primary" loading={saving} onClick={() => form.submit()} data-testid={saveTestId}>
            {t('common.save')}
          </Button>
        )
      }
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Form<V>
        name={name}
        form={form}
        layout="vertical"
        disabled={!editable}
        initialValues={initialValues}
        onFinish={async (v) => {
          setSaving(true);
          setError(null);
          try {
            await onSave(v);
            message.success(t('codeList.saved'));
          } catch (e) {
            setError(formErrorText(form, e));
          } finally {
            setSaving(false);
          }
        }}
      >
        {children}
      </Form>
    </Card>
  );
}
