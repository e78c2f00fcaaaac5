import { Tag, Tooltip } from 'antd';
import {
  ACTION_KIND_LABELS,
  ACTION_STATUS_LABELS,
  type ActionKind,
  type ActionStatus,
} from '../../../common/actions';
import type { ActionItem } from '../../../common/schemas/actions';
import { formatDateTime, todayInShanghai, weekdayName } from '../../../common/time';
import { useLabel, useLang, useT } from '../../i18n';

// What the action pages share: the kind, status and due tags.

const KIND_COLORS: Record<ActionKind, string> = {
  containment: 'orange',
  corrective: 'blue',
  preventive: 'purple',
};

export function ActionKindTag({ kind }: { kind: ActionKind }) {
  const label = useLabel();
  return (
    <Tag color={KIND_COLORS[kind]} style={{ marginInlineEnd: 0 }}>
      {label(ACTION_KIND_LABELS[kind])}
    </Tag>
  );
}

const STATUS_COLORS: Record<ActionStatus, string> = {
  open: 'processing',
  done: 'cyan',
  verified: 'success',
  ineffective: 'error',
};

export function ActionStatusTag({ status }: { status: ActionStatus }) {
  const label = useLabel();
  return (
    <Tag color={STATUS_COLORS[status]} style={{ marginInlineEnd: 0 }}>
      {label(ACTION_STATUS_LABELS[status])}
    </Tag>
  );
}

/**
 * The due date as the case clocks show theirs: 「截止 10-15（周四）」 while open, orange on the
 * day, red once past (已逾期); after completion 按期完成 or 逾期完成.
 */
export function ActionDueTag({ action }: { action: ActionItem }) {
  const t = useT();
  const { lang } = useLang();
  const today = todayInShanghai();
  const tip = `${t('actions.due.tooltip', { date: action.dueDate, days: action.dueDays })}${
    action.doneAt ? ` · ${t('actions.due.doneAt', { at: formatDateTime(action.doneAt) })}` : ''
  }`;
  let color: string;
  let text: string;
  if (action.status !== 'open') {
    const late = action.doneAt !== null && todayInShanghai(new Date(action.doneAt)) > action.dueDate;
    color = late ? 'volcano' : 'success';
    text = late ? t('actions.due.doneLate') : t('actions.due.doneOnTime');
  } else if (action.overdue) {
    color = 'error';
    text = t('actions.due.overdue', { date: action.dueDate });
  } else if (action.dueDate === today) {
    color = 'warning';
    text = t('actions.due.today');
  } else {
    color = 'processing';
    text = t('actions.due.by', { date: action.dueDate, weekday: weekdayName(action.dueDate, lang) });
  }
  return (
    <Tooltip title={tip}>
      <Tag color={color} style={{ marginInlineEnd: 0 }} data-testid="action-due">
        {text}
      </Tag>
    </Tooltip>
  );
}
