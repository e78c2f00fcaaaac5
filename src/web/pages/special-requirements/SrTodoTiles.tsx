import { Card, Col, Row, Statistic, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useNavigate } from 'react-router';
import type { SrTodo } from '../../../common/schemas/special-requirements';
import { srApi } from '../../api/special-requirements';
import { useT } from '../../i18n';

const COLORS = { warning: '#d46b08', danger: '#cf1322' };
const TILES: { key: keyof SrTodo; to: string; tone?: keyof typeof COLORS }[] = [
  { key: 'toReview', to: '/special-requirements?status=in_review' },
  { key: 'toAcknowledge', to: '/special-requirements/acknowledgements' },
  { key: 'projectDue', to: '/special-requirements?status=pending_review', tone: 'warning' },
  { key: 'projectOverdue', to: '/special-requirements?overdue=true', tone: 'danger' },
  { key: 'needsRecheck', to: '/special-requirements?needsRecheck=true', tone: 'warning' },
  { key: 'checksDue', to: '/special-requirements', tone: 'warning' },
];

/** 我的待办 for customer special requirements: reviews waiting, acknowledgements, the project
 * team's 1-day clock, 需复核 and yearly checks due; each number opens the list behind it. */
export function SrTodoTiles() {
  const t = useT();
  const navigate = useNavigate();
  const [todo, setTodo] = useState<SrTodo | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    srApi
      .todo()
      .then(setTodo)
      .catch(() => setFailed(true));
  }, []);
  if (failed) return null;
  return (
    <div>
      <Typography.Title level={5} style={{ marginTop: 0 }}>
        {t('sr.todo.title')}
      </Typography.Title>
      <Row gutter={[16, 16]}>
        {TILES.map(({ key, to, tone }) => (
          <Col xs={12} md={8} xl={4} key={key}>
            <Card hoverable onClick={() => navigate(to)} data-testid={`sr-todo-${key}`}>
              <Statistic
                title={t(`sr.todo.${key}`)}
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
