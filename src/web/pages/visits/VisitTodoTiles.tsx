import { Card, Col, Row, Statistic, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useNavigate } from 'react-router';
import type { VisitTodo } from '../../../common/schemas/visits';
import { visitsApi } from '../../api/visits';
import { useT } from '../../i18n';

const COLORS = { warning: '#d46b08', danger: '#cf1322' };

/** 我的待办 for visits (R-W1): open, due today and overdue — the reader's own and, for a
 * department manager, the department's; each number opens the visits behind it. */
export function VisitTodoTiles() {
  const t = useT();
  const navigate = useNavigate();
  const [todo, setTodo] = useState<VisitTodo | null>(null);
  useEffect(() => {
    visitsApi
      .todo()
      .then(setTodo)
      .catch(() => {});
  }, []);
  const tiles: { key: string; value: number | undefined; to: string; tone?: keyof typeof COLORS }[] = [
    { key: 'mineToday', value: todo?.mine.dueToday, to: '/visits?view=mine&due=today', tone: 'warning' },
    { key: 'mineOverdue', value: todo?.mine.overdue, to: '/visits?view=mine&due=overdue', tone: 'danger' },
    { key: 'mineOpen', value: todo?.mine.open, to: '/visits?view=mine&due=open' },
    ...(todo?.department
      ? [
          {
            key: 'departmentOverdue',
            value: todo.department.overdue,
            to: '/visits?view=department&due=overdue',
            tone: 'danger' as const,
          },
        ]
      : []),
  ];
  return (
    <div>
      <Typography.Title level={5} style={{ marginTop: 0 }}>
        {t('visits.todo.title')}
      </Typography.Title>
      <Row gutter={[16, 16]}>
        {tiles.map(({ key, value, to, tone }) => (
          <Col xs={12} md={6} key={key}>
            <Card hoverable onClick={() => navigate(to)} data-testid={`visit-todo-${key}`}>
              <Statistic
                title={t(`visits.todo.${key}` as never)}
                value={value ?? 0}
                loading={!todo}
                styles={tone && value ? { content: { color: COLORS[tone] } } : undefined}
              />
            </Card>
          </Col>
        ))}
      </Row>
    </div>
  );
}
