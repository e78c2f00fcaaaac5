import { useCallback } from 'react';
import type { Case } from '../../../common/schemas/cases';
import { actionsApi } from '../../api/actions';
import { useT } from '../../i18n';
import { RaiseActionDrawer } from '../actions/ActionDrawers';
import { SourceActionsCard } from '../actions/SourceActionsCard';

// 纠正预防措施 on a case (R-Q4): the actions raised on it, each with its owner, due date and state;
// 新增措施 for whoever handles the case, 完成 for the owner, 验证 for quality.

export function CaseActionsCard({ c, onChanged }: { c: Case; onChanged: () => void }) {
  const t = useT();
  const fetch = useCallback(() => actionsApi.ofCase(c.id), [c.id]);
  return (
    <SourceActionsCard
      title={t('actions.section')}
      testId="case-actions"
      fetch={fetch}
      // A step may change who may raise.
      reloadKey={`${c.id}:${c.status}:${c.handler?.id ?? ''}:${c.actions.length}`}
      raiseDrawer={(p) => (
        <RaiseActionDrawer
          open={p.open}
          caseId={c.id}
          caseNumber={c.number}
          onClose={p.onClose}
          onDone={p.onDone}
        />
      )}
      emptyText={{ canRaise: t('actions.emptyCanRaise'), cannot: t('actions.empty') }}
      hideWhenEmpty
      onChanged={onChanged}
    />
  );
}
