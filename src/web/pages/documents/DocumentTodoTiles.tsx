import { useEffect, useState } from 'react';
import { documentsApi } from '../../api/documents';
import { type TodoTile, TodoTiles } from '../../components/TodoTiles';
import { useT } from '../../i18n';

// 我的待办 for document control (issue 18): versions waiting for my 审核/会签/批准, and copies
// waiting for my signature (签收, 交回签字); both open 待我签署.
const TILES: TodoTile<'approvals' | 'copies'>[] = [
  { key: 'approvals', to: '/documents/copies/unsigned', tone: 'warning' },
  { key: 'copies', to: '/documents/copies/unsigned', tone: 'warning' },
];

export function DocumentTodoTiles() {
  const t = useT();
  const [counts, setCounts] = useState<{ approvals: number; copies: number } | null>(null);
  useEffect(() => {
    Promise.all([documentsApi.pendingApprovals(), documentsApi.unsignedCopies()])
      .then(([a, c]) =>
        setCounts({
          approvals: a.length,
          copies: c.filter((x) => x.can.acknowledge || x.can.signReturn).length,
        }),
      )
      .catch(() => setCounts({ approvals: 0, copies: 0 }));
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
