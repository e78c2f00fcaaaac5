import { useEffect, useState } from 'react';
import { ordersApi } from '../../api/orders';
import { type TodoTile, TodoTiles } from '../../components/TodoTiles';
import { useT } from '../../i18n';

// 我的待办 for orders and contract review: each count of GET /api/orders/todo is a tile, read by its
// key, so a count the endpoint adds (amendment reviews, 更改通知 to acknowledge) is one line here
// and one label `orders.todo.<key>`. A key the endpoint does not (yet) answer is not shown.
const TILES: TodoTile[] = [
  { key: 'toReview', to: '/orders?status=in_review' },
  { key: 'toSign', to: '/orders?status=in_review', tone: 'warning' },
  // Amendments (R-K4) are on accepted orders.
  { key: 'amendmentsToReview', to: '/orders?status=accepted' },
  { key: 'amendmentsToSign', to: '/orders?status=accepted', tone: 'warning' },
  { key: 'noticesToAcknowledge', to: '/orders?status=accepted' },
];

/** Reviews my department must answer and orders I must sign; each number opens the orders behind it. */
export function OrderTodoTiles() {
  const t = useT();
  const [todo, setTodo] = useState<Record<string, number> | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    ordersApi
      .todo()
      .then((x) => setTodo({ ...x }))
      .catch(() => setFailed(true));
  }, []);
  if (failed) return null;
  return (
    <TodoTiles
      title={t('orders.todo.title')}
      tiles={TILES.filter(({ key }) => !todo || typeof todo[key] === 'number')}
      counts={todo}
      label={(key) => t(`orders.todo.${key}` as 'orders.todo.toReview')}
      testId={(key) => `order-todo-${key}`}
    />
  );
}
