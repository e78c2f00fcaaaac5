import { useEffect, useState } from 'react';
import { customersApi } from '../../api/customers';
import { type TodoTile, TodoTiles } from '../../components/TodoTiles';
import { useT } from '../../i18n';

// 我的待办 for 备案审批 (R-C5, R-W1): archives submitted for filing that the reader may approve
// or return; shown to whoever has some waiting.
const TILES: TodoTile<'pending'>[] = [{ key: 'pending', to: '/customers?filing=mine', tone: 'warning' }];

export function FilingTodoTiles() {
  const t = useT();
  const [todo, setTodo] = useState<{ pending: number } | null>(null);
  useEffect(() => {
    customersApi
      .filingTodo()
      .then(setTodo)
      .catch(() => {});
  }, []);
  if (!todo?.pending) return null;
  return (
    <TodoTiles
      title={t('customers.filingTodo.title')}
      tiles={TILES}
      counts={todo}
      label={() => t('customers.filingTodo.pending')}
      testId={() => 'filing-todo-pending'}
    />
  );
}
