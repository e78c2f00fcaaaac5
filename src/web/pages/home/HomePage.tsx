import { CalendarOutlined } from '@ant-design/icons';
import { Avatar, Card, Col, Descriptions, Flex, Row, Skeleton, Tag, Typography, theme } from 'antd';
import dayjs from 'dayjs';
import { useEffect, useState } from 'react';
import type { DayInfo } from '../../../common/schemas/platform';
import { hourInShanghai, todayInShanghai, weekdayName, weekdayOf } from '../../../common/time';
import { errorText } from '../../api/client';
import { calendarApi } from '../../api/platform';
import { useMe } from '../../auth/AuthContext';
import { RoleTags, SecrecyTag } from '../../components/labels';
import { PageContainer } from '../../components/PageContainer';
import { type Translate, translate, useLang, useT } from '../../i18n';
import { HomeRetentionCard } from '../retention/HomeRetentionCard';
import { DashboardPanels } from './DashboardPanels';

function greeting(t: Translate, name: string): string {
  const hour = hourInShanghai();
  if (hour < 5 || hour >= 18) return t('home.evening', { name });
  if (hour < 12) return t('home.morning', { name });
  return t('home.afternoon', { name });
}

export function formatLongDate(date: string, lang: 'zh' | 'en'): string {
  return `${dayjs(date).format(translate(lang, 'home.longDate'))} ${weekdayName(date, lang)}`;
}

/** 工作日 / 休息日 with the reason (holiday name, 调休, override note). */
export function DayStatus({ day }: { day: DayInfo }) {
  const t = useT();
  const weekend = [0, 6].includes(weekdayOf(day.date));
  return (
    <Flex gap={4} wrap align="center">
      <Tag color={day.working ? 'blue' : 'red'} style={{ marginInlineEnd: 0 }}>
        {day.working ? t('home.workingDay') : t('home.restDay')}
      </Tag>
      {day.holiday && <Tag color={day.working ? 'orange' : 'volcano'}>{day.holiday}</Tag>}
      {day.working && weekend && day.source !== 'weekday' && (
        <Tag color="orange">{t('home.adjustedWorkday')}</Tag>
      )}
      {day.source === 'override' && day.note && (
        <Tag color="purple">{t('home.overrideNote', { note: day.note })}</Tag>
      )}
    </Flex>
  );
}

function TodayCard() {
  const t = useT();
  const { lang } = useLang();
  const today = todayInShanghai();
  const [day, setDay] = useState<DayInfo | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    Promise.all([calendarApi.days(today, today), calendarApi.addWorkingDays(today, 1)])
      .then(([days, n]) => {
        if (!live) return;
        setDay(days.days[0] ?? null);
        setNext(n.date);
      })
      .catch((e) => live && setError(errorText(e)));
    return () => {
      live = false;
    };
  }, [today]);

  return (
    <Card
      title={
        <Flex gap={8} align="center">
          <CalendarOutlined />
          {t('home.today')}
        </Flex>
      }
      style={{ height: '100%' }}
    >
      {error ? (
        <Typography.Text type="danger">{error}</Typography.Text>
      ) : !day ? (
        <Skeleton active paragraph={{ rows: 2 }} title={false} />
      ) : (
        <Flex vertical gap={12}>
          <Typography.Text strong style={{ fontSize: 18 }} data-testid="today">
            {formatLongDate(today, lang)}
          </Typography.Text>
          <DayStatus day={day} />
          {next && (
            <Typography.Text type="secondary">
              {t('home.nextWorkingDay')}
              {t('common.colon')}
              <Typography.Text data-testid="next-working-day">{formatLongDate(next, lang)}</Typography.Text>
            </Typography.Text>
          )}
        </Flex>
      )}
    </Card>
  );
}

export default function HomePage() {
  const t = useT();
  const me = useMe();
  const { token } = theme.useToken();

  return (
    <PageContainer title={t('nav.home')}>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={15}>
          <Card style={{ height: '100%' }}>
            <Flex gap={20} align="flex-start">
              <Avatar size={64} style={{ background: token.colorPrimary, flex: 'none', fontSize: 28 }}>
                {me.name.slice(0, 1)}
              </Avatar>
              <div style={{ minWidth: 0, flex: 1 }}>
                <Typography.Title level={3} style={{ marginTop: 0 }}>
                  {greeting(t, me.name)}
                </Typography.Title>
                <Descriptions
                  column={{ xs: 1, sm: 2 }}
                  size="small"
                  items={[
                    { key: 'login', label: t('home.login'), children: me.login },
                    {
                      key: 'dept',
                      label: t('home.department'),
                      children: me.departmentName ?? (
                        <Typography.Text type="secondary">{t('home.noDepartment')}</Typography.Text>
                      ),
                    },
                    { key: 'roles', label: t('home.roles'), children: <RoleTags roles={me.roles} /> },
                    {
                      key: 'clearance',
                      label: t('home.clearance'),
                      children: <SecrecyTag level={me.clearance} />,
                    },
                  ]}
                />
              </div>
            </Flex>
          </Card>
        </Col>
        <Col xs={24} lg={9}>
          <TodayCard />
        </Col>
      </Row>
      <HomeRetentionCard />
      <DashboardPanels />
    </PageContainer>
  );
}
