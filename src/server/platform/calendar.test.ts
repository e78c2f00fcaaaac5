import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, createTestApp, seedUser, signIn, type TestApp } from '../test-support/app.js';
import { addDays, WorkCalendar } from './calendar.js';

// Facts from the State Council notices (国务院办公厅关于部分节假日安排的通知):
// 国办发明电〔2024〕12号 for 2025 and 国办发明电〔2025〕7号 for 2026.
const range = (from: string, to: string): string[] => {
  const out: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(d);
  return out;
};

const OFFICIAL = {
  2025: {
    off: [
      '2025-01-01', // 元旦
      ...range('2025-01-28', '2025-02-04'), // 春节
      ...range('2025-04-04', '2025-04-06'), // 清明节
      ...range('2025-05-01', '2025-05-05'), // 劳动节
      ...range('2025-05-31', '2025-06-02'), // 端午节
      ...range('2025-10-01', '2025-10-08'), // 国庆节、中秋节
    ],
    workingWeekends: ['2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11'],
  },
  2026: {
    off: [
      ...range('2026-01-01', '2026-01-03'), // 元旦
      ...range('2026-02-15', '2026-02-23'), // 春节
      ...range('2026-04-04', '2026-04-06'), // 清明节
      ...range('2026-05-01', '2026-05-05'), // 劳动节
      ...range('2026-06-19', '2026-06-21'), // 端午节
      ...range('2026-09-25', '2026-09-27'), // 中秋节
      ...range('2026-10-01', '2026-10-07'), // 国庆节
    ],
    workingWeekends: ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10'],
  },
};

describe('working-day calendar against the official schedules', () => {
  const cal = new WorkCalendar();
  for (const [year, facts] of Object.entries(OFFICIAL)) {
    it(`agrees with the State Council notice on every day of ${year}`, () => {
      const off = new Set(facts.off);
      const working = new Set(facts.workingWeekends);
      const wrong: string[] = [];
      for (const d of range(`${year}-01-01`, `${year}-12-31`)) {
        const dow = new Date(`${d}T00:00:00Z`).getUTCDay();
        const expected = working.has(d) || (dow !== 0 && dow !== 6 && !off.has(d));
        if (cal.isWorkingDay(d) !== expected) wrong.push(`${d} expected ${expected ? 'working' : 'off'}`);
      }
      expect(wrong).toEqual([]);
    });
  }

  it('counts working days across 春节 2026 and its adjusted weekends', () => {
    expect(cal.isWorkingDay('2026-02-14')).toBe(true); // Saturday, 调休上班
    expect(cal.isWorkingDay('2026-02-15')).toBe(false);
    expect(cal.isWorkingDay('2026-02-23')).toBe(false); // Monday, still holiday
    expect(cal.isWorkingDay('2026-02-28')).toBe(true); // Saturday, 调休上班
    expect(cal.addWorkingDays('2026-02-13', 1)).toBe('2026-02-14');
    expect(cal.addWorkingDays('2026-02-14', 1)).toBe('2026-02-24');
    expect(cal.addWorkingDays('2026-02-13', 5)).toBe('2026-02-27');
    expect(cal.addWorkingDays('2026-02-24', -1)).toBe('2026-02-14');
    expect(cal.addWorkingDays('2026-02-16', 0)).toBe('2026-02-16');
    expect(cal.workingDaysBetween('2026-02-13', '2026-02-28')).toBe(6);
    expect(cal.workingDaysBetween('2026-02-28', '2026-02-13')).toBe(-6);
    expect(cal.workingDaysBetween('2026-02-13', '2026-02-13')).toBe(0);
  });

  it('counts working days across months and years as counting day by day does', () => {
    const overridden = new WorkCalendar(new Map([['2025-03-15', { working: true, note: null }]]));
    const dayByDay = (c: WorkCalendar, a: string, b: string) => {
      let n = 0;
      for (let d = addDays(a, 1); d <= b; d = addDays(d, 1)) if (c.isWorkingDay(d)) n++;
      return n;
    };
    const pairs: [string, string][] = [
      ['2024-01-31', '2024-02-01'],
      ['2024-02-29', '2024-03-01'],
      ['2023-12-31', '2026-12-31'],
      ['2024-12-15', '2026-02-14'],
      ['2025-02-28', '2025-04-01'],
      ['2025-03-01', '2025-03-31'],
      ['2025-01-01', '2025-01-01'],
    ];
    for (const c of [cal, overridden])
      for (const [a, b] of pairs) {
        expect(c.workingDaysBetween(a, b), `${a}…${b}`).toBe(dayByDay(c, a, b));
        expect(c.workingDaysBetween(b, a), `${b}…${a}`).toBe(0 - dayByDay(c, a, b) || 0);
      }
    // A whole year counted by months: one more working day with a Saturday made working.
    expect(overridden.workingDaysBetween('2024-12-31', '2025-12-31')).toBe(
      cal.workingDaysBetween('2024-12-31', '2025-12-31') + 1,
    );
  });

  it('skips the 2025 National Day week: the day after 09-30 is 10-09', () => {
    expect(cal.addWorkingDays('2025-09-30', 1)).toBe('2025-10-09');
    expect(cal.addWorkingDays('2025-09-26', 1)).toBe('2025-09-28'); // Sunday, 调休上班
  });

  it('lets overrides win over the statutory calendar', () => {
    const withShutdown = new WorkCalendar(
      new Map([
        ['2026-03-03', { working: false, note: '停电' }],
        ['2026-03-07', { working: true, note: '盘点' }],
      ]),
    );
    expect(withShutdown.isWorkingDay('2026-03-03')).toBe(false);
    expect(withShutdown.isWorkingDay('2026-03-07')).toBe(true);
    expect(withShutdown.dayInfo('2026-03-03')).toMatchObject({ source: 'override', note: '停电' });
    expect(withShutdown.addWorkingDays('2026-03-02', 1)).toBe('2026-03-04');
  });
});

describe('calendar API', () => {
  let t: TestApp;
  let admin: Client;
  let staff: Client;

  beforeAll(async () => {
    t = await createTestApp();
    await seedUser(t, 'staff1', ['staff']);
    admin = await signIn(t.app, 'admin');
    staff = await signIn(t.app, 'staff1');
  });
  afterAll(() => t.close());

  it('answers working-day arithmetic for any signed-in user', async () => {
    const res = await staff.get('/api/calendar/working-days?from=2026-02-13&add=2');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ date: '2026-02-24' });
    const between = await staff.get('/api/calendar/working-days?from=2026-02-13&to=2026-02-28');
    expect(between.json()).toEqual({ count: 6 });
  });

  it('refuses bad dates with a field error', async () => {
    const res = await staff.get('/api/calendar/working-days?from=2026-02-30&add=1');
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json().errors).toEqual([expect.objectContaining({ field: 'querystring.from', code: 'date' })]);
    const neither = await staff.get('/api/calendar/working-days?from=2026-02-03');
    expect(neither.statusCode).toBe(400);
  });

  it('requires sign-in', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/calendar/working-days?from=2026-02-13&add=1',
    });
    expect(res.statusCode).toBe(401);
  });

  it('lets an administrator add a year the package does not know yet, and audits it', async () => {
    // 2027 is not in the package: 01-01 is a plain Friday until the company enters it.
    const before = await staff.get('/api/calendar/working-days?from=2026-12-31&add=1');
    expect(before.json()).toEqual({ date: '2027-01-01' });
    const put = await admin.put('/api/calendar/overrides/2027-01-01', { working: false, note: '元旦' });
    expect(put.statusCode).toBe(200);
    expect(put.json()).toMatchObject({
      date: '2027-01-01',
      working: false,
      note: '元旦',
      updatedBy: '管理员',
    });
    const after = await staff.get('/api/calendar/working-days?from=2026-12-31&add=1');
    expect(after.json()).toEqual({ date: '2027-01-04' });

    const days = await staff.get('/api/calendar/days?from=2027-01-01&to=2027-01-04');
    expect(days.json().days.map((d: { working: boolean }) => d.working)).toEqual([false, false, false, true]);
    expect(days.json().statutoryYears.max).toBeGreaterThanOrEqual(2026);

    const audit = await admin.get('/api/audit?action=calendar.override_set');
    expect(audit.json().items[0]).toMatchObject({
      targetId: '2027-01-01',
      actorLogin: 'admin',
      outcome: 'success',
    });

    const del = await admin.delete('/api/calendar/overrides/2027-01-01');
    expect(del.statusCode).toBe(204);
    expect((await staff.get('/api/calendar/working-days?from=2026-12-31&add=1')).json()).toEqual({
      date: '2027-01-01',
    });
    expect((await admin.delete('/api/calendar/overrides/2027-01-01')).statusCode).toBe(404);
  });

  it('does not let other users change the calendar, and records the attempt', async () => {
    const res = await staff.put('/api/calendar/overrides/2027-01-05', { working: false, note: null });
    expect(res.statusCode).toBe(403);
    const overrides = await admin.get('/api/calendar/overrides');
    expect(overrides.json().items).toEqual([]);
    const audit = await admin.get('/api/audit?actor=staff1&outcome=denied');
    expect(audit.json().items[0]).toMatchObject({ action: 'calendar.manage', targetId: '2027-01-05' });
  });
});
