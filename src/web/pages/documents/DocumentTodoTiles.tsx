import { useEffect, useState } from 'react';
import type { DocumentTodo } from '../../../common/schemas/documents';
import { documentsApi } from '../../api/documents';
import { type TodoTile, TodoTiles } from '../../components/TodoTiles';
import { useT } from '../../i18n';

// 我的待办 for document control (issue 18), counted by GET /api/documents/todo: versions waiting for
// my 审核/会签/批准 and copies waiting for my signature (签收, 交回签字) — both open 待我签署 —, and the
// standards of my departments due for a check (查新), which open the 查新 list.
const TILES: TodoTile<keyof DocumentTodo>[] = [
  { key: 'approvals', to: '/documents/copies/unsigned', tone: 'warning' },
  { key: 'copies', to: '/documents/copies/unsigned', tone: 'warning' },
  { key: 'standardChecks', to: '/documents/standard-checks' },
];

export function DocumentTodoTiles() {
  const t = useT();
  const [counts, setCounts] = useState<DocumentTodo | null>(null);
  useEffect(() => {
    documentsApi
      .todo()
      .then(setCounts)
      .catch(() => setCounts({ approvals: 0, copies: 0, standardChecks: 0 }));
  }, []);
  return (
    <TodoTiles
      title={t('documents.todo.title')}
      tiles={TILES}
      counts={counts}
      label={(key) => t(`documents.todo.${key}`)}
      testId={(key) => `document-todo-${key}`}
    />
  );
}
