import { useEffect, useState } from 'react';
import type { ActionTodo } from '../../../common/schemas/actions';
import type { CaseTodo } from '../../../common/schemas/cases';
import { actionsApi } from '../../api/actions';
import { casesApi } from '../../api/cases';
import { useAuth } from '../../auth/AuthContext';
import { type TodoTile, TodoTiles } from '../../components/TodoTiles';
import { useT } from '../../i18n';

const TILES: TodoTile<keyof CaseTodo>[] = [
  { key: 'toTriage', to: '/cases?status=new' },
  { key: 'toHandle', to: '/cases?view=mine&status=in_progress' },
  { key: 'dueToday', to: '/cases?view=mine', tone: 'warning' },
  { key: 'breached', to: '/cases?view=breached', tone: 'danger' },
  { key: 'toRevisit', to: '/cases?status=to_revisit' },
];

/** 我的待办 for complaints and service requests (R-W1): each number opens the cases behind it. */
export function CaseTodoTiles() {
  const t = useT();
  const [todo, setTodo] = useState<CaseTodo | null>(null);
  useEffect(() => {
    casesApi
      .todo()
      .then(setTodo)
      .catch(() => {});
  }, []);
  return (
    <TodoTiles
      title={t('cases.todo.title')}
      tiles={TILES}
      counts={todo}
      label={(key) => t(`cases.todo.${key}`)}
      testId={(key) => `case-todo-${key}`}
    />
  );
}

const ACTION_TILES: (TodoTile<keyof ActionTodo> & { oversee?: boolean })[] = [
  { key: 'open', to: '/actions?status=open' },
  { key: 'overdue', to: '/actions?overdue=true', tone: 'danger' },
  { key: 'toVerify', to: '/actions?view=all&status=done', tone: 'warning', oversee: true },
];

/** 我的待办 for corrective and preventive actions: mine open and overdue, and (quality) to verify. */
export function ActionTodoTiles() {
  const t = useT();
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
    <TodoTiles
      title={t('actions.todo.title')}
      tiles={tiles}
      counts={todo}
      label={(key) => t(`actions.todo.${key}`)}
      testId={(key) => `action-todo-${key}`}
    />
  );
}
