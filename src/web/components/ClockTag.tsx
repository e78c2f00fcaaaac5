import { Tag, Tooltip } from 'antd';
import type { Clock } from '../../common/cases';
import type { CaseClock } from '../../common/schemas/cases';
import { formatDateTime } from '../../common/time';
import { useT } from '../i18n';

// A case's clock (R-Q3) as one tag: 「答复 剩余 3 小时」 (due today, orange), 「调查 已超期 1 个工作日」
// (red), 「处理 剩余 4 个工作日」, 「调查 已按期」 (green), 「答复 逾期完成」. The tooltip says when it is
// or was due and when it was met.

type Tone = 'success' | 'warning' | 'error' | 'processing' | 'volcano';

export function clockText(
  t: ReturnType<typeof useT>,
  c: CaseClock,
  withName = true,
): { text: string; tone: Tone } {
  const name = withName ? `${t(`cases.clock.short.${c.clock as Clock}`)} ` : '';
  if (c.state === 'met') return { text: `${name}${t('cases.clockTag.met')}`, tone: 'success' };
  if (c.state === 'late') return { text: `${name}${t('cases.clockTag.late')}`, tone: 'volcano' };
  const days = c.workingDaysLeft ?? 0;
  if (c.state === 'breached')
    return {
      text:
        days < 0
          ? `${name}${t('cases.clockTag.breachedDays', { days: -days })}`
          : `${name}${t('cases.clockTag.breached')}`,
      tone: 'error',
    };
  if (days <= 0)
    return {
      text:
        c.hoursLeft !== null && c.hoursLeft < 1
          ? `${name}${t('cases.clockTag.lessThanHour')}`
          : `${name}${t('cases.clockTag.hoursLeft', { hours: Math.floor(c.hoursLeft ?? 0) })}`,
      tone: 'warning',
    };
  return { text: `${name}${t('cases.clockTag.daysLeft', { days })}`, tone: 'processing' };
}

export function ClockTag({ clock, withName = true }: { clock: CaseClock; withName?: boolean }) {
  const t = useT();
  const { text, tone } = clockText(t, clock, withName);
  const due = t('cases.clockTag.due', { at: formatDateTime(clock.dueAt) });
  const met = clock.metAt ? ` · ${t('cases.clockTag.metAt', { at: formatDateTime(clock.metAt) })}` : '';
  return (
    <Tooltip title={`${t(`cases.clock.${clock.clock as Clock}`)}${t('common.colon')}${due}${met}`}>
      <Tag color={tone} style={{ marginInlineEnd: 4 }} data-testid={`clock-${clock.clock}`}>
        {text}
      </Tag>
    </Tooltip>
  );
}

/**
 * The clocks of a list row: each one still running (the revisit only once it has started),
 * or, when all are met, one tag for the lot (已按期 or 逾期完成).
 */
export function ClockTags({ clocks }: { clocks: CaseClock[] }) {
  const t = useT();
  const open = clocks.filter((c) => c.state === 'open' || c.state === 'breached');
  if (open.length > 0) {
    return (
      <span>
        {open.map((c) => (
          <ClockTag key={c.clock} clock={c} />
        ))}
      </span>
    );
  }
  if (clocks.length === 0) return <span>—</span>;
  const late = clocks.filter((c) => c.state === 'late');
  if (late.length > 0)
    return (
      <span>
        {late.map((c) => (
          <ClockTag key={c.clock} clock={c} />
        ))}
      </span>
    );
  return (
    <Tag color="success" data-testid="clock-all-met">
      {t('cases.clockTag.allMet')}
    </Tag>
  );
}
