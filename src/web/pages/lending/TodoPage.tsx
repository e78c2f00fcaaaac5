import { Card, Col, Row, Statistic, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useNavigate } from 'react-router';
import type { Todo } from '../../../common/schemas/lending';
import { lendingApi } from '../../api/lending';
import { useAuth } from '../../auth/AuthContext';
import { PageContainer } from '../../components/PageContainer';
import { useT } from '../../i18n';
import { ActionTodoTiles, CaseTodoTiles } from '../cases/CaseTodoTiles';
import { CreditTodoTiles } from '../credit/CreditTodoTiles';
import { FilingTodoTiles } from '../customers/FilingTodoTiles';
import { DocumentTodoTiles } from '../documents/DocumentTodoTiles';
import { OrderTodoTiles } from '../orders/OrderTodoTiles';
import { HomeRetentionCard } from '../retention/HomeRetentionCard';
import { SrTodoTiles } from '../special-requirements/SrTodoTiles';
import { SurveyTodoTiles } from '../surveys/SurveyTodoTiles';
import { VisitTodoTiles } from '../visits/VisitTodoTiles';

/** 我的待办 /todo (R-W1): approvals waiting, items to return or to issue, overdue loans, and
 * appraisal and destruction work. */
export default function TodoPage() {
  const t = useT();
  const navigate = useNavigate();
  const { can } = useAuth();
  const [todo, setTodo] = useState<Todo | null>(null);
  useEffect(() => {
    lendingApi
      .todo()
      .then(setTodo)
      .catch(() => {});
  }, []);
  const tile = (key: keyof Todo, to: string, danger = false) => (
    <Col xs={12} md={6}>
      <Card hoverable onClick={() => navigate(to)} data-testid={`todo-${key}`}>
        <Statistic
          title={t(`todo.${key}`)}
          value={todo?.[key] ?? 0}
          loading={!todo}
          styles={danger && todo?.[key] ? { content: { color: '#cf1322' } } : undefined}
        />
      </Card>
    </Col>
  );
  return (
    <PageContainer title={t('todo.title')} subTitle={t('todo.intro')}>
      <Typography.Title level={5} style={{ margin: 0 }}>
        {t('nav.lending')}
      </Typography.Title>
      <Row gutter={[16, 16]}>
        {tile('approvals', '/lending?view=approvals')}
        {tile('toReturn', '/lending/desk?tab=out')}
        {can('lending.desk') && tile('toIssue', '/lending/desk?tab=issue')}
        {tile('overdue', '/lending/desk?tab=overdue', true)}
      </Row>
      <FilingTodoTiles />
      {can('case.create') && <CaseTodoTiles />}
      <ActionTodoTiles />
      {can('customer.create') && <VisitTodoTiles />}
      <SurveyTodoTiles />
      <SrTodoTiles />
      <DocumentTodoTiles />
      <OrderTodoTiles />
      <CreditTodoTiles />
      <HomeRetentionCard />
    </PageContainer>
  );
}
