import { PlusOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Calendar,
  Card,
  Col,
  Empty,
  Flex,
  Row,
  Table,
  type TableColumnsType,
  Tag,
  Typography,
  theme,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import type { CalendarOverride, DayInfo } from '../../../../common/schemas/platform';
import { formatDateTime, todayInShanghai, weekdayName } from '../../../../common/time';
import { errorText } from '../../../api/client';
import { calendarApi } from '../../../api/platform';
import { useAuth } from '../../../auth/AuthContext';
import { PageContainer } from '../../../components/PageContainer';
import { useLang, useT } from '../../../i18n';
import { type CalendarMode, DayCell, ISO, Legend, MonthArrangements, visibleRange } from './days';
import { type EditorState, OverrideModal } from './OverrideModal';
import { WorkingDaysTool } from './WorkingDaysTool';

export default function CalendarPage() {
  const t = useT();
  const { lang } = useLang();
  const { can } = useAuth();
  const { message, modal } = App.useApp();
  const { token } = theme.useToken();
  const manage = can('calendar.manage');

  // `?month=2027-02` (or `?year=2027`) opens that month (year); the address follows the calendar.
  const [params, setParams] = useSearchParams();
  const [value, setValueState] = useState<Dayjs>(() => {
    const month = params.get('month');
    const year = params.get('year');
    if (month && /^\d{4}-\d{2}$/.test(month)) return dayjs(`${month}-01`);
    if (year && /^\d{4}$/.test(year)) return dayjs(`${year}-01-01`);
    return dayjs(todayInShanghai());
  });
  const [mode, setModeState] = useState<CalendarMode>(() => (params.get('year') ? 'year' : 'month'));
  const show = (next: Dayjs, nextMode: CalendarMode) => {
    setValueState(next);
    setModeState(nextMode);
    setParams(nextMode === 'year' ? { year: next.format('YYYY') } : { month: next.format('YYYY-MM') }, {
      replace: true,
    });
  };
  const [days, setDays] = useState<Map<string, DayInfo>>(new Map());
  const [statutory, setStatutory] = useState<{ min: number; max: number } | null>(null);
  const [daysLoading, setDaysLoading] = useState(true);
  const [daysError, setDaysError] = useState<string | null>(null);
  const [overrides, setOverrides] = useState<CalendarOverride[]>([]);
  const [overridesLoading, setOverridesLoading] = useState(true);
  const [editor, setEditor] = useState<EditorState>(null);
  const [version, setVersion] = useState(0);

  const [from, to] = visibleRange(value, mode);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `version` reloads after an override changed
  useEffect(() => {
    const controller = new AbortController();
    setDaysLoading(true);
    calendarApi
      .days(from, to, controller.signal)
      .then((res) => {
        setDays(new Map(res.days.map((d) => [d.date, d])));
        setStatutory(res.statutoryYears);
        setDaysError(null);
      })
      .catch((e) => {
        if (controller.signal.aborted) return;
        setDays(new Map());
        setDaysError(errorText(e));
      })
      .finally(() => {
        if (!controller.signal.aborted) setDaysLoading(false);
      });
    return () => controller.abort();
  }, [from, to, version]);

  const loadOverrides = useCallback(async () => {
    setOverridesLoading(true);
    try {
      setOverrides((await calendarApi.listOverrides()).items);
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setOverridesLoading(false);
    }
  }, [message]);

  useEffect(() => {
    loadOverrides();
  }, [loadOverrides]);

  const byDate = useMemo(() => new Map(overrides.map((o) => [o.date, o])), [overrides]);
  const year = value.year();

  const monthStats = useMemo(() => {
    if (mode !== 'month') return null;
    const prefix = value.format('YYYY-MM');
    let work = 0;
    let rest = 0;
    for (const d of days.values()) {
      if (!d.date.startsWith(prefix)) continue;
      if (d.working) work++;
      else rest++;
    }
    return work + rest > 0 ? { work, rest } : null;
  }, [days, mode, value]);

  const openDay = (date: string) => {
    if (!manage) return;
    setEditor({ date, existing: byDate.get(date) ?? null, day: days.get(date) ?? null });
  };

  const afterChange = () => {
    setEditor(null);
    setVersion((v) => v + 1);
    loadOverrides();
  };

  const confirmDelete = (o: CalendarOverride) =>
    modal.confirm({
      title: t('calendar.deleteConfirm', { date: o.date }),
      content: t('calendar.deleteConfirmContent'),
      okText: t('common.ok'),
      okButtonProps: { danger: true },
      onOk: async () => {
        try {
          await calendarApi.deleteOverride(o.date);
          message.success(t('calendar.overrideDeleted'));
          afterChange();
        } catch (e) {
          message.error(errorText(e));
        }
      },
    });

  const columns: TableColumnsType<CalendarOverride> = [
    {
      title: t('calendar.date'),
      dataIndex: 'date',
      width: 170,
      render: (d: string) => (
        <span>
          {d} <Typography.Text type="secondary">{weekdayName(d, lang)}</Typography.Text>
        </span>
      ),
    },
    {
      title: t('calendar.type'),
      dataIndex: 'working',
      width: 90,
      render: (w: boolean) => (
        <Tag color={w ? 'blue' : 'red'}>{w ? t('calendar.working') : t('calendar.notWorking')}</Tag>
      ),
    },
    { title: t('calendar.note'), dataIndex: 'note', render: (n: string | null) => n ?? '—' },
    {
      title: t('calendar.setBy'),
      dataIndex: 'updatedBy',
      width: 120,
      render: (n: string | null) => n ?? '—',
    },
    {
      title: t('calendar.setAt'),
      dataIndex: 'updatedAt',
      width: 170,
      render: (v: string) => formatDateTime(v),
    },
  ];
  if (manage) {
    columns.push({
      title: t('common.actions'),
      key: 'actions',
      width: 120,
      render: (_, o) => (
        <Flex style={{ marginInline: -8 }}>
          <Button
            type="link"
            size="small"
            onClick={() => setEditor({ date: o.date, existing: o, day: days.get(o.date) ?? null })}
          >
            {t('common.edit')}
          </Button>
          <Button type="link" size="small" danger onClick={() => confirmDelete(o)}>
            {t('common.delete')}
          </Button>
        </Flex>
      ),
    });
  }

  return (
    <PageContainer title={t('calendar.title')}>
      {statutory && year > statutory.max && (
        <Alert
          type="warning"
          showIcon
          title={t('calendar.yearNotBuiltIn', { year })}
          data-testid="year-notice"
        />
      )}
      {statutory && year < statutory.min && (
        <Alert type="info" showIcon title={t('calendar.yearBeforeBuiltIn', { year, min: statutory.min })} />
      )}
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={17}>
          <Card
            title={
              <Flex gap={12} align="baseline" wrap>
                <span>
                  {mode === 'year'
                    ? value.format(t('calendar.yearTitle'))
                    : value.format(t('calendar.monthTitle'))}
                </span>
                {monthStats && (
                  <Typography.Text type="secondary" style={{ fontSize: 13, fontWeight: 400 }}>
                    {t('calendar.monthSummary', monthStats)}
                  </Typography.Text>
                )}
              </Flex>
            }
            extra={<Button onClick={() => show(dayjs(todayInShanghai()), 'month')}>{t('home.today')}</Button>}
          >
            <Flex justify="space-between" align="center" wrap gap={8} style={{ marginBottom: 8 }}>
              <Legend />
              {manage && (
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {t('calendar.clickHint')}
                </Typography.Text>
              )}
            </Flex>
            {daysError && <Alert type="error" showIcon title={daysError} style={{ marginBottom: 8 }} />}
            <div style={{ opacity: daysLoading ? 0.6 : 1, transition: 'opacity .2s' }}>
              <Calendar
                value={value}
                mode={mode}
                onPanelChange={(d, m) => show(d, m)}
                onSelect={(d, info) => {
                  // A month clicked in the year view opens that month.
                  show(d, mode === 'year' && info.source === 'month' ? 'month' : mode);
                  if (info.source === 'date') openDay(d.format(ISO));
                }}
                cellRender={(current, info) => {
                  if (info.type === 'date') {
                    const day = days.get(current.format(ISO));
                    return day ? <DayCell day={day} inMonth={current.month() === value.month()} /> : null;
                  }
                  if (info.type === 'month') {
                    const prefix = current.format('YYYY-MM');
                    let count = 0;
                    const holidays = new Set<string>();
                    for (const d of days.values()) {
                      if (!d.date.startsWith(prefix)) continue;
                      if (d.working) count++;
                      else if (d.holiday) holidays.add(d.holiday);
                    }
                    return count ? (
                      <Flex vertical gap={4} style={{ fontSize: 12 }}>
                        <span style={{ color: token.colorPrimary }}>
                          {t('calendar.workingDaysInMonth', { count })}
                        </span>
                        {holidays.size > 0 && (
                          <Flex gap={4} wrap>
                            {[...holidays].map((h) => (
                              <Tag key={h} color="red" style={{ marginInlineEnd: 0 }}>
                                {h}
                              </Tag>
                            ))}
                          </Flex>
                        )}
                      </Flex>
                    ) : null;
                  }
                  return info.originNode;
                }}
              />
            </div>
          </Card>
        </Col>
        <Col xs={24} xl={7}>
          <Flex vertical gap={16}>
            <WorkingDaysTool />
            {mode === 'month' && <MonthArrangements days={days} month={value.format('YYYY-MM')} />}
          </Flex>
        </Col>
      </Row>
      <Card
        title={t('calendar.overrides')}
        extra={
          manage && (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => setEditor({ date: null, existing: null, day: null })}
            >
              {t('calendar.addOverride')}
            </Button>
          )
        }
      >
        <Typography.Paragraph type="secondary">{t('calendar.overridesHelp')}</Typography.Paragraph>
        <Table<CalendarOverride>
          rowKey="date"
          size="middle"
          columns={columns}
          dataSource={overrides}
          loading={overridesLoading}
          pagination={overrides.length > 10 ? { pageSize: 10, showSizeChanger: false } : false}
          locale={{
            emptyText: (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('calendar.overridesEmpty')} />
            ),
          }}
        />
      </Card>
      <OverrideModal state={editor} onClose={() => setEditor(null)} onSaved={afterChange} />
    </PageContainer>
  );
}
