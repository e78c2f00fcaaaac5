import { CalculatorOutlined } from '@ant-design/icons';
import { Alert, Button, Card, DatePicker, Flex, Form, InputNumber, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { todayInShanghai, weekdayName } from '../../../../common/time';
import { errorText } from '../../../api/client';
import { calendarApi } from '../../../api/platform';
import { useLang, useT } from '../../../i18n';
import { ISO } from './days';

/** 工作日计算: the date N working days after (or before) a date. */
export function WorkingDaysTool() {
  const t = useT();
  const { lang } = useLang();
  const [form] = Form.useForm<{ from: Dayjs; add: number }>();
  const [result, setResult] = useState<{ from: string; add: number; date: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);

  const onFinish = async (v: { from: Dayjs; add: number }) => {
    setLoading(true);
    setError(null);
    try {
      const from = v.from.format(ISO);
      const res = await calendarApi.addWorkingDays(from, v.add);
      setResult({ from, add: v.add, date: res.date });
    } catch (e) {
      setResult(null);
      setError(errorText(e));
    } finally {
      setLoading(false);
    }
  };

  return (
    <Card
      title={
        <Flex gap={8} align="center">
          <CalculatorOutlined />
          {t('calendar.calc')}
        </Flex>
      }
    >
      <Form
        name="workingDays"
        form={form}
        layout="vertical"
        initialValues={{ from: dayjs(todayInShanghai()), add: 5 }}
        onFinish={onFinish}
        requiredMark={false}
      >
        <Flex gap={12}>
          <Form.Item
            name="from"
            label={t('calendar.calcFrom')}
            rules={[{ required: true }]}
            style={{ flex: 1 }}
          >
            <DatePicker allowClear={false} style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item
            name="add"
            label={t('calendar.calcAdd')}
            rules={[{ required: true }]}
            tooltip={t('calendar.calcAddHelp')}
            style={{ width: 110 }}
          >
            <InputNumber min={-3660} max={3660} precision={0} style={{ width: '100%' }} />
          </Form.Item>
        </Flex>
        <Button type="primary" htmlType="submit" loading={loading} block>
          {t('calendar.calcSubmit')}
        </Button>
      </Form>
      {result && (
        <Alert
          style={{ marginTop: 16 }}
          type="success"
          title={t(result.add >= 0 ? 'calendar.calcResult' : 'calendar.calcResultBack', {
            from: result.from,
            add: Math.abs(result.add),
          })}
          description={
            <Typography.Text strong style={{ fontSize: 18 }} data-testid="working-days-result">
              {result.date} {weekdayName(result.date, lang)}
            </Typography.Text>
          }
        />
      )}
      {error && <Alert style={{ marginTop: 16 }} type="error" showIcon title={error} />}
      <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0, fontSize: 12 }}>
        {t('calendar.calcHint')}
      </Typography.Paragraph>
    </Card>
  );
}
