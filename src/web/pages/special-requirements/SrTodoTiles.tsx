import { useEffect, useState } from 'react';
import type { SrTodo } from '../../../common/schemas/special-requirements';
import { srApi } from '../../api/special-requirements';
import { type TodoTile, TodoTiles } from '../../components/TodoTiles';
import { useT } from '../../i18n';

const TILES: TodoTile<keyof SrTodo>[] = [
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
    <TodoTiles
      title={t('sr.todo.title')}
      tiles={TILES}
      counts={todo}
      label={(key) => t(`sr.todo.${key}`)}
      testId={(key) => `sr-todo-${key}`}
    />
  );
}
