import { Alert, App, Button, DatePicker, Flex, Form, Input, Modal, Radio, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import type { CalendarOverride, DayInfo } from '../../../../common/schemas/platform';
import { errorText, formErrorText } from '../../../api/client';
import { calendarApi } from '../../../api/platform';
import { useT } from '../../../i18n';
import { ISO } from './days';

interface OverrideValues {
  date: Dayjs;
  working: boolean;
  note?: string;
}

export type EditorState = {
  date: string | null;
  existing: CalendarOverride | null;
  day: DayInfo | null;
} | null;

export function OverrideModal({
  state,
  onClose,
  onSaved,
}: {
  state: EditorState;
  onClose: () => void;
  onSaved: () => void;
}) {
  const t = useT();
  const { message, modal } = App.useApp();
  const [form] = Form.useForm<OverrideValues>();
  const [saving, setSaving] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);

  useEffect(() => {
    if (!state) return;
    setFormError(null);
    form.setFieldsValue({
      date: state.date ? dayjs(state.date) : undefined,
      // Opening a day proposes the opposite of what it is now.
      working: state.existing ? state.existing.working : state.day ? !state.day.working : false,
      note: state.existing?.note ?? '',
    });
  }, [state, form]);

  const onFinish = async (v: OverrideValues) => {
    setSaving(true);
    setFormError(null);
    try {
      await calendarApi.setOverride(v.date.format(ISO), { working: v.working, note: v.note ?? null });
      message.success(t('calendar.overrideSaved'));
      onSaved();
    } catch (e) {
      setFormError(formErrorText(form, e));
    } finally {
      setSaving(false);
    }
  };

  const remove = () => {
    const date = state?.existing?.date;
    if (!date) return;
    modal.confirm({
      title: t('calendar.deleteConfirm', { date }),
      content: t('calendar.deleteConfirmContent'),
      okText: t('common.ok'),
      okButtonProps: { danger: true },
      onOk: async () => {
        try {
          await calendarApi.deleteOverride(date);
          message.success(t('calendar.overrideDeleted'));
          onSaved();
        } catch (e) {
          message.error(errorText(e));
        }
      },
    });
  };

  const day = state?.day;
  const title = state?.existing
    ? t('calendar.editOverride')
    : state?.date
      ? t('calendar.overrideFor', { date: state.date })
      : t('calendar.addOverride');

  return (
    <Modal
      open={!!state}
      title={title}
      onCancel={onClose}
      forceRender
      footer={
        <Flex justify="space-between">
          <span>
            {state?.existing && (
              <Button danger onClick={remove}>
                {t('common.delete')}
              </Button>
            )}
          </span>
          <Flex gap={8}>
            <Button onClick={onClose}>{t('common.cancel')}</Button>
            <Button type="primary" loading={saving} onClick={() => form.submit()}>
              {t('common.ok')}
            </Button>
          </Flex>
        </Flex>
      }
    >
      {formError && <Alert type="error" showIcon title={formError} style={{ marginBottom: 16 }} />}
      {day && (
        <Typography.Paragraph type="secondary">
          {t('calendar.currentStatus', {
            status: `${day.working ? t('home.workingDay') : t('home.restDay')}${day.holiday ? `（${day.holiday}）` : ''} · ${t(`calendar.source.${day.source}`)}`,
          })}
        </Typography.Paragraph>
      )}
      <Form<OverrideValues>
        name="override"
        form={form}
        layout="vertical"
        onFinish={onFinish}
        autoComplete="off"
      >
        <Form.Item name="date" label={t('calendar.date')} rules={[{ required: true }]}>
          <DatePicker disabled={!!state?.date} style={{ width: 200 }} />
        </Form.Item>
        <Form.Item name="working" label={t('calendar.type')} rules={[{ required: true }]}>
          <Radio.Group
            optionType="button"
            buttonStyle="solid"
            options={[
              { value: true, label: t('calendar.working') },
              { value: false, label: t('calendar.notWorking') },
            ]}
          />
        </Form.Item>
        <Form.Item name="note" label={t('calendar.note')}>
          <Input maxLength={200} placeholder={t('calendar.notePlaceholder')} />
        </Form.Item>
        <button type="submit" hidden aria-hidden tabIndex={-1} />
      </Form>
    </Modal>
  );
}
