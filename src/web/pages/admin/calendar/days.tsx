import { type CalendarProps, Card, Flex, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import type { DayInfo } from '../../../../common/schemas/platform';
import { weekdayOf } from '../../../../common/time';
import { useT } from '../../../i18n';

// How a day of the working calendar looks: 班/休 badges, colours, the legend.

export const ISO = 'YYYY-MM-DD';

export type CalendarMode = NonNullable<CalendarProps<Dayjs>['mode']>;

export type DayKind = 'workday' | 'weekend' | 'holiday' | 'adjusted';

export function kindOf(day: DayInfo): DayKind {
  const weekend = [0, 6].includes(weekdayOf(day.date));
  if (day.working) return weekend ? 'adjusted' : 'workday';
  return day.holiday || !weekend ? 'holiday' : 'weekend';
}

const KIND_STYLE: Record<DayKind, { badge: string; badgeText: string; bg: string; text: string }> = {
  workday: { badge: '#e6f4ff', badgeText: '#1677ff', bg: 'transparent', text: '#1677ff' },
  adjusted: { badge: '#fa8c16', badgeText: '#fff', bg: '#fff7e6', text: '#d46b08' },
  weekend: { badge: '#f0f0f0', badgeText: '#595959', bg: '#fafafa', text: '#8c8c8c' },
  holiday: { badge: '#f5222d', badgeText: '#fff', bg: '#fff1f0', text: '#cf1322' },
};

export const OVERRIDE_COLOR = '#722ed1';

/** The first and last date shown by the calendar for a month (six weeks) or a year. */
export function visibleRange(value: Dayjs, mode: CalendarMode): [string, string] {
  if (mode === 'year') return [value.startOf('year').format(ISO), value.endOf('year').format(ISO)];
  const start = value.startOf('month').startOf('week');
  return [start.format(ISO), start.add(41, 'day').format(ISO)];
}

export function Badge({ kind, text }: { kind: DayKind; text: string }) {
  const s = KIND_STYLE[kind];
  return (
    <span
      style={{
        display: 'inline-block',
        minWidth: 18,
        padding: '0 3px',
        borderRadius: 4,
        textAlign: 'center',
        fontSize: 12,
        lineHeight: '18px',
        background: s.badge,
        color: s.badgeText,
        flex: 'none',
      }}
    >
      {text}
    </span>
  );
}

export function DayCell({ day, inMonth }: { day: DayInfo; inMonth: boolean }) {
  const t = useT();
  const kind = kindOf(day);
  const s = KIND_STYLE[kind];
  const override = day.source === 'override';
  const caption =
    kind === 'adjusted'
      ? day.holiday
        ? t('calendar.adjustedFor', { name: day.holiday })
        : t('calendar.legend.adjusted')
      : day.holiday;
  return (
    <div
      className="kd-day"
      data-date={day.date}
      data-working={day.working ? 'true' : 'false'}
      style={{
        height: '100%',
        padding: '4px 6px',
        borderRadius: 6,
        background: s.bg,
        border: override ? `1px dashed ${OVERRIDE_COLOR}` : '1px solid transparent',
        opacity: inMonth ? 1 : 0.45,
      }}
    >
      <Flex gap={4} align="center">
        <Badge kind={kind} text={day.working ? t('calendar.work') : t('calendar.rest')} />
        {caption && (
          <span className="kd-day-label" style={{ color: s.text }}>
            {caption}
          </span>
        )}
      </Flex>
      {override && day.note && (
        <span className="kd-day-label" style={{ color: OVERRIDE_COLOR }} title={day.note}>
          {day.note}
        </span>
      )}
    </div>
  );
}

export function Legend() {
  const t = useT();
  const items: [DayKind, string, string][] = [
    ['workday', t('calendar.work'), t('calendar.legend.workday')],
    ['weekend', t('calendar.rest'), t('calendar.legend.weekend')],
    ['holiday', t('calendar.rest'), t('calendar.legend.holiday')],
    ['adjusted', t('calendar.work'), t('calendar.legend.adjusted')],
  ];
  return (
    <Flex gap={16} wrap align="center" style={{ fontSize: 12 }}>
      {items.map(([kind, badge, text]) => (
        <Flex key={kind} gap={4} align="center">
          <Badge kind={kind} text={badge} />
          <span>{text}</span>
        </Flex>
      ))}
      <Flex gap={4} align="center">
        <span
          style={{
            display: 'inline-block',
            width: 18,
            height: 14,
            border: `1px dashed ${OVERRIDE_COLOR}`,
            borderRadius: 3,
          }}
        />
        <span>{t('calendar.legend.override')}</span>
      </Flex>
    </Flex>
  );
}

interface Arrangement {
  from: string;
  to: string;
  working: boolean;
  label: string;
  override: boolean;
}

/** Days of a month that differ from the plain weekday rule, consecutive days taken together. */
function arrangements(days: Map<string, DayInfo>, month: string, t: ReturnType<typeof useT>): Arrangement[] {
  const out: Arrangement[] = [];
  const list = [...days.values()]
    .filter((d) => d.date.startsWith(month))
    .sort((a, b) => a.date.localeCompare(b.date));
  for (const d of list) {
    const weekend = [0, 6].includes(weekdayOf(d.date));
    const special = d.source === 'override' || d.holiday || d.working === weekend;
    if (!special) continue;
    const override = d.source === 'override';
    const label = override
      ? (d.note ?? t('calendar.legend.override'))
      : d.working
        ? d.holiday
          ? t('calendar.adjustedFor', { name: d.holiday })
          : t('calendar.legend.adjusted')
        : (d.holiday ?? t('calendar.legend.holiday'));
    const last = out.at(-1);
    if (
      last &&
      last.label === label &&
      last.working === d.working &&
      last.override === override &&
      dayjs(last.to).add(1, 'day').format(ISO) === d.date
    ) {
      last.to = d.date;
    } else {
      out.push({ from: d.date, to: d.date, working: d.working, label, override });
    }
  }
  return out;
}

export function MonthArrangements({ days, month }: { days: Map<string, DayInfo>; month: string }) {
  const t = useT();
  const items = arrangements(days, month, t);
  const short = (d: string) => dayjs(d).format(t('calendar.shortDate'));
  return (
    <Card title={t('calendar.arrangements')} size="small">
      {items.length === 0 ? (
        <Typography.Text type="secondary">{t('calendar.noArrangements')}</Typography.Text>
      ) : (
        <Flex vertical gap={8}>
          {items.map((a) => {
            const count = dayjs(a.to).diff(dayjs(a.from), 'day') + 1;
            return (
              <Flex key={a.from} gap={8} align="center" justify="space-between">
                <Flex gap={8} align="center" style={{ minWidth: 0 }}>
                  <Badge
                    kind={a.working ? 'adjusted' : 'holiday'}
                    text={a.working ? t('calendar.work') : t('calendar.rest')}
                  />
                  <Typography.Text ellipsis style={{ color: a.override ? OVERRIDE_COLOR : undefined }}>
                    {a.label}
                  </Typography.Text>
                </Flex>
                <Typography.Text type="secondary" style={{ flex: 'none', fontSize: 12 }}>
                  {a.from === a.to ? short(a.from) : `${short(a.from)} – ${short(a.to)}`}
                  {count > 1 ? ` · ${t('calendar.dayCount', { count })}` : ''}
                </Typography.Text>
              </Flex>
            );
          })}
        </Flex>
      )}
    </Card>
  );
}
