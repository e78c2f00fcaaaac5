import { Card, Col, Row, Statistic, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useNavigate } from 'react-router';
import type { CaseTodo } from '../../../common/schemas/cases';
import { casesApi } from '../../api/cases';
import { useT } from '../../i18n';

const TILES: { key: keyof CaseTodo; to: string; tone?: 'warning' | 'danger' }[] = [
  { key: 'toTriage', to: '/cases?status=new' },
  { key: 'toHandle', to: '/cases?view=mine&status=in_progress' },
  { key: 'dueToday', to: '/cases?view=mine', tone: 'warning' },
  { key: 'breached', to: '/cases?view=breached', tone: 'danger' },
  { key: 'toRevisit', to: '/cases?status=to_revisit' },
];
const COLORS = { warning: '#d46b08', danger: '#cf1322' };

/** 我的待办 for complaints and service requests (R-W1): each number opens the cases behind it. */
export function CaseTodoTiles() {
  const t = useT();
  const navigate = useNavigate();
  const [todo, setTodo] = useState<CaseTodo | null>(null);
  useEffect(() => {
    casesApi
      .todo()
      .then(setTodo)
      .catch(() => {});
  }, []);
  return (
    <div>
      <Typography.Title level={5} style={{ marginTop: 0 }}>
        {t('cases.todo.title')}
      </Typography.Title>
      <Row gutter={[16, 16]}>
        {TILES.map(({ key, to, tone }) => (
          <Col xs={12} md={8} xl={4} key={key}>
            <Card hoverable onClick={() => navigate(to)} data-testid={`case-todo-${key}`}>
              <Statistic
                title={t(`cases.todo.${key}`)}
                value={todo?.[key] ?? 0}
                loading={!todo}
                styles={tone && todo?.[key] ? { content: { color: COLORS[tone] } } : undefined}
              />
            </Card>
          </Col>
        ))}
      </Row>
    </div>
  );
}
