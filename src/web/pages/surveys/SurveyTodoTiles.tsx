import { Card, Col, Row, Statistic, Typography } from 'antd';
import dayjs from 'dayjs';
import { useEffect, useState } from 'react';
import { useNavigate } from 'react-router';
import type { SurveyCampaign } from '../../../common/schemas/surveys';
import { todayInShanghai } from '../../../common/time';
import { surveysApi } from '../../api/surveys';
import { useAuth } from '../../auth/AuthContext';
import { useT } from '../../i18n';

const COLORS = { warning: '#d46b08', danger: '#cf1322' };

/** 我的待办 for surveys (R-W1): the running surveys that reach the reader's customers, how many
 * customers have not answered, those closing within a week, and (for quality) drafts not sent.
 * Hidden when there is nothing running or waiting. */
export function SurveyTodoTiles() {
  const t = useT();
  const navigate = useNavigate();
  const { can } = useAuth();
  const manage = can('survey.manage');
  const [running, setRunning] = useState<SurveyCampaign[] | null>(null);
  const [drafts, setDrafts] = useState<SurveyCampaign[]>([]);
  useEffect(() => {
    surveysApi
      .campaigns({ status: 'running' }, null, 100)
      .then((p) => setRunning(p.items))
      .catch(() => setRunning([]));
    if (manage)
      surveysApi
        .campaigns({ status: 'draft' }, null, 100)
        .then((p) => setDrafts(p.items))
        .catch(() => {});
  }, [manage]);
  if (!running || (running.length === 0 && drafts.length === 0)) return null;
  const weekAhead = dayjs(todayInShanghai()).add(7, 'day').format('YYYY-MM-DD');
  const waiting = running.reduce((n, c) => n + Math.max(0, c.progress.invited - c.progress.answered), 0);
  const closing = running.filter((c) => c.closesOn <= weekAhead).length;
  const tiles: {
    key: 'running' | 'waiting' | 'closing' | 'drafts';
    value: number;
    to: string;
    tone?: keyof typeof COLORS;
  }[] = [
    { key: 'running', value: running.length, to: '/surveys?status=running' },
    { key: 'waiting', value: waiting, to: '/surveys?status=running' },
    { key: 'closing', value: closing, to: '/surveys?status=running', tone: 'warning' },
    ...(manage ? [{ key: 'drafts' as const, value: drafts.length, to: '/surveys?status=draft' }] : []),
  ];
  return (
    <div>
      <Typography.Title level={5} style={{ marginTop: 0 }}>
        {t('surveys.todo.title')}
      </Typography.Title>
      <Row gutter={[16, 16]}>
        {tiles.map(({ key, value, to, tone }) => (
          <Col xs={12} md={6} key={key}>
            <Card hoverable onClick={() => navigate(to)} data-testid={`survey-todo-${key}`}>
              <Statistic
                title={t(`surveys.todo.${key}`)}
                value={value}
                styles={tone && value ? { content: { color: COLORS[tone] } } : undefined}
              />
            </Card>
          </Col>
        ))}
      </Row>
    </div>
  );
}
