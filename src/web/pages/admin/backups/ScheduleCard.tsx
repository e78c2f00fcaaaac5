import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Form,
  Input,
  InputNumber,
  Row,
  Switch,
  TimePicker,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import type { Schedule } from '../../../../common/schemas/operations';
import { formatDateTime } from '../../../../common/time';
import { formErrorText } from '../../../api/client';
import { scheduleApi } from '../../../api/operations';
import { useT } from '../../../i18n';

interface Values {
  integrityEnabled: boolean;
  integrityTime: Dayjs;
  backupEnabled: boolean;
  backupTime: Dayjs;
  backupDir: string;
  backupKeep: number;
}

const toDayjs = (hhmm: string) => {
  const [h, m] = hhmm.split(':').map(Number);
  return dayjs()
    .hour(h ?? 0)
    .minute(m ?? 0)
    .second(0);
};

/** A daily task's switch and time of day. */
function TaskFields(p: { task: 'integrity' | 'backup'; label: string; timeLabel: string; next: string }) {
  return (
    <>
      <Col xs={24} sm={8} lg={6}>
        <Form.Item name={`${p.task}Enabled`} label={p.label} valuePropName="checked">
          <Switch />
        </Form.Item>
      </Col>
      <Col xs={24} sm={8} lg={6}>
        <Form.Item name={`${p.task}Time`} label={p.timeLabel} extra={p.next} rules={[{ required: true }]}>
          <TimePicker format="HH:mm" minuteStep={5} allowClear={false} />
        </Form.Item>
      </Col>
    </>
  );
}

/** 定时任务: when the integrity check and the backup run, where backups go, how many are kept. */
export function ScheduleCard({ schedule, onSaved }: { schedule: Schedule; onSaved: (s: Schedule) => void }) {
  const t = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    form.setFieldsValue({
      integrityEnabled: schedule.integrityEnabled,
      integrityTime: toDayjs(schedule.integrityTime),
      backupEnabled: schedule.backupEnabled,
      backupTime: toDayjs(schedule.backupTime),
      backupDir: schedule.backupDir ?? '',
      backupKeep: schedule.backupKeep,
    });
  }, [schedule, form]);

  const onFinish = async (v: Values) => {
    setSaving(true);
    setError(null);
    try {
      const saved = await scheduleApi.put({
        integrityEnabled: v.integrityEnabled,
        integrityTime: v.integrityTime.format('HH:mm'),
        backupEnabled: v.backupEnabled,
        backupTime: v.backupTime.format('HH:mm'),
        backupDir: v.backupDir.trim() || null,
        backupKeep: v.backupKeep,
      });
      message.success(t('schedule.saved'));
      onSaved(saved);
    } catch (e) {
      setError(formErrorText(form, e));
    } finally {
      setSaving(false);
    }
  };

  const next = (at: string | null) =>
    at ? t('schedule.next', { at: formatDateTime(at) }) : t('schedule.off');

  return (
    <Card title={t('schedule.title')} data-testid="schedule-card">
      <Typography.Paragraph type="secondary">{t('schedule.intro')}</Typography.Paragraph>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
      <Form form={form} layout="vertical" onFinish={onFinish} requiredMark={false}>
        <Row gutter={24}>
          <TaskFields
            task="integrity"
            label={t('schedule.integrity')}
            timeLabel={t('schedule.integrityTime')}
            next={next(schedule.next.integrity_check)}
          />
        </Row>
        <Row gutter={24}>
          <TaskFields
            task="backup"
            label={t('schedule.backup')}
            timeLabel={t('schedule.backupTime')}
            next={next(schedule.next.backup)}
          />
          <Col xs={24} sm={8} lg={6}>
            <Form.Item name="backupKeep" label={t('schedule.backupKeep')} rules={[{ required: true }]}>
              <InputNumber min={1} max={365} style={{ width: 120 }} />
            </Form.Item>
          </Col>
        </Row>
        <Row gutter={24}>
          <Col xs={24} lg={18}>
            <Form.Item name="backupDir" label={t('schedule.backupDir')} extra={t('schedule.backupDirHelp')}>
              <Input placeholder={schedule.effectiveBackupDir} />
            </Form.Item>
          </Col>
        </Row>
        <Button type="primary" htmlType="submit" loading={saving}>
          {t('common.save')}
        </Button>
      </Form>
    </Card>
  );
}
