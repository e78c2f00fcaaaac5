import { Card, Col, Row, Statistic, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useNavigate } from 'react-router';
import type { ActionTodo } from '../../../common/schemas/actions';
import type { CaseTodo } from '../../../common/schemas/cases';
import { actionsApi } from '../../api/actions';
import { casesApi } from '../../api/cases';
import { useAuth } from '../../auth/AuthContext';
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

const ACTION_TILES: { key: keyof ActionTodo; to: string; tone?: 'warning' | 'danger'; oversee?: boolean }[] =
  [
    { key: 'open', to: '/actions?status=open' },
    { key: 'overdue', to: '/actions?overdue=true', tone: 'danger' },
    { key: 'toVerify', to: '/actions?view=all&status=done', tone: 'warning', oversee: true },
  ];

/** 我的待办 for corrective and preventive actions: mine open and overdue, and (quality) to verify. */
export function ActionTodoTiles() {
  const t = useT();
  const navigate = useNavigate();
  const { can } = useAuth();
  const [todo, setTodo] = useState<ActionTodo | null>(null);
  useEffect(() => {
    actionsApi
      .todo()
      .then(setTodo)
      .catch(() => {});
  }, []);
  const tiles = ACTION_TILES.filter((x) => !x.oversee || can('action.oversee'));
  return (
    <div>
      <Typography.Title level={5} style={{ marginTop: 0 }}>
        {t('actions.todo.title')}
      </Typography.Title>
      <Row gutter={[16, 16]}>
        {tiles.map(({ key, to, tone }) => (
          <Col xs={12} md={8} xl={4} key={key}>
            <Card hoverable onClick={() => navigate(to)} data-testid={`action-todo-${key}`}>
              <Statistic
                title={t(`actions.todo.${key}`)}
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
