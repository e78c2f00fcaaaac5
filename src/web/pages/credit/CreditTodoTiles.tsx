import { List, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { type CreditApproval, creditApi } from '../../api/credit';
import { type TodoTile, TodoTiles } from '../../components/TodoTiles';
import { useT } from '../../i18n';

// 我的待办 for credit (R-A4, R-W1): limit and class requests and admissions waiting for the
// reader's approval, with the list of them (each opens the customer's 信用 tab).
const TILES: TodoTile[] = [
  { key: 'limitRequests', to: '/credit?filter=limited', tone: 'warning' },
  { key: 'classRequests', to: '/credit?filter=all', tone: 'warning' },
  { key: 'admissions', to: '/credit?filter=all', tone: 'warning' },
];

export function CreditTodoTiles() {
  const t = useT();
  const [todo, setTodo] = useState<Record<string, number> | null>(null);
  const [items, setItems] = useState<CreditApproval[]>([]);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    creditApi
      .todo()
      .then((x) => setTodo({ ...x }))
      .catch(() => setFailed(true));
    creditApi
      .approvals()
      .then((x) => setItems(x.items))
      .catch(() => setFailed(true));
  }, []);
  if (failed) return null;
  return (
    <div>
      <TodoTiles
        title={t('credit.todo.title')}
        tiles={TILES}
        counts={todo}
        label={(key) => t(`credit.todo.${key}` as 'credit.todo.limitRequests')}
        testId={(key) => `credit-todo-${key}`}
      />
      {items.length > 0 && (
        <List
          size="small"
          style={{ marginTop: 8 }}
          dataSource={items}
          renderItem={(x) => (
            <List.Item>
              <Link to={`/customers/${x.customer.id}?tab=credit`}>
                {x.customer.archiveCode} {x.customer.name}
              </Link>
              <Typography.Text type="secondary">
                {x.summary} · {x.requestedBy?.name}
              </Typography.Text>
            </List.Item>
          )}
        />
      )}
    </div>
  );
}
