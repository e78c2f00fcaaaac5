import { describe, expect, it } from 'vitest';
import {
  disposalCounts,
  disposalCountText,
  extendedDue,
  groupDecision,
  type RetentionSubject,
  recordYear,
  retentionDue,
  yearsKept,
} from './retention.js';

const subject = (s: Partial<RetentionSubject>): RetentionSubject => ({
  retention: 'D10',
  issueDate: null,
  receivedDate: null,
  createdAt: '2026-03-02T01:00:00.000Z',
  lifeEndDate: null,
  withdrawnAt: null,
  filed: false,
  extendedDue: null,
  ...s,
});

describe('retention dates (R-X1): the clock starts on 1 January of the year after', () => {
  const cases: [string, Partial<RetentionSubject>, string | null][] = [
    ['D10 of 2016 → 2027-01-01', { issueDate: '2016-06-30' }, '2027-01-01'],
    ['D10 issued on 31 December', { issueDate: '2016-12-31' }, '2027-01-01'],
    ['D10 issued on 1 January', { issueDate: '2016-01-01' }, '2027-01-01'],
    ['D30 of 2000', { retention: 'D30', issueDate: '2000-03-01' }, '2031-01-01'],
    ['a company period D5', { retention: 'D5', issueDate: '2020-05-05' }, '2026-01-01'],
    ['Y is never due', { retention: 'Y', issueDate: '1990-01-01' }, null],
    ['received date when there is no issue date', { receivedDate: '2018-02-01' }, '2029-01-01'],
    ['registration year (Shanghai) without dates', { createdAt: '2019-12-31T16:30:00.000Z' }, '2031-01-01'],
    ['L1 before the part’s life has ended', { retention: 'L1', issueDate: '2010-01-01' }, null],
    ['L1: life + 1 calendar year', { retention: 'L1', lifeEndDate: '2030-06-30' }, '2032-01-01'],
    [
      'obsolete original kept ≥ 1 year after withdrawal',
      { retention: 'D30', issueDate: '2010-01-01', withdrawnAt: '2026-03-02T01:00:00.000Z' },
      '2028-01-01',
    ],
    [
      'a filed record keeps its term when withdrawn',
      { issueDate: '2020-01-01', withdrawnAt: '2026-03-02T01:00:00.000Z', filed: true },
      '2031-01-01',
    ],
    ['an appraisal’s new date stands', { issueDate: '2016-01-01', extendedDue: '2038-01-01' }, '2038-01-01'],
    ['Y overrides an old appraisal date', { retention: 'Y', extendedDue: '2038-01-01' }, null],
  ];
  for (const [name, s, due] of cases) {
    it(name, () => expect(retentionDue(subject(s))).toBe(due));
  }

  it('keeps obsolete originals as long as configured', () => {
    const s = subject({ withdrawnAt: '2026-05-01T00:00:00.000Z' });
    expect(retentionDue(s, { obsoleteKeepYears: 3 })).toBe('2030-01-01');
    // Never less than one year, whatever the setting says.
    expect(retentionDue(s, { obsoleteKeepYears: 0 })).toBe('2028-01-01');
  });

  it('takes the record year from issue, else receipt, else registration', () => {
    expect(
      recordYear({ issueDate: '2015-01-01', receivedDate: '2016-01-01', createdAt: '2026-01-01T00:00:00Z' }),
    ).toBe(2015);
    expect(
      recordYear({ issueDate: null, receivedDate: '2016-01-01', createdAt: '2026-01-01T00:00:00Z' }),
    ).toBe(2016);
  });

  it('counts a kept record’s new term from the appraisal', () => {
    expect(extendedDue('D10', '2027-01-05', null)).toBe('2038-01-01');
    expect(extendedDue('Y', '2027-01-05', null)).toBeNull();
    expect(extendedDue('L1', '2027-01-05', '2029-03-01')).toBe('2031-01-01');
  });

  it('counts whole years kept from the start of the clock', () => {
    expect(yearsKept(2016, '2027-03-05')).toBe(10);
    expect(yearsKept(2016, '2026-12-31')).toBe(9);
    expect(yearsKept(2016, '2016-06-01')).toBe(0);
  });
});

describe('the appraisal group’s decision (R-X2)', () => {
  it('destroys only when every member says destroy', () => {
    const d = { decision: 'destroy' as const, due: null, retention: null };
    expect(groupDecision([d, d, d]).decision).toBe('destroy');
    expect(groupDecision([d, { decision: 'keep', retention: 'D10', due: '2038-01-01' }, d])).toEqual({
      decision: 'keep',
      retention: 'D10',
      due: '2038-01-01',
    });
  });

  it('keeps with the longest term proposed (permanent beats any date)', () => {
    const keep = (retention: string, due: string | null) => ({ decision: 'keep' as const, retention, due });
    expect(groupDecision([keep('D10', '2038-01-01'), keep('D30', '2058-01-01')]).retention).toBe('D30');
    expect(groupDecision([keep('D30', '2058-01-01'), keep('Y', null)]).retention).toBe('Y');
  });
});

describe('what a destruction register says became of its items', () => {
  const item = (status: 'listed' | 'blocked' | 'destroyed', heldReason: string | null = null) => ({
    status,
    heldReason,
  });
  it.each([
    ['signing', [item('listed'), item('listed')], '共 2 件'],
    ['approved', [item('listed'), item('listed', '诉讼：纠纷')], '共 2 件：冻结中 1 件'],
    [
      'destroyed',
      [item('destroyed'), item('listed'), item('blocked')],
      '共 3 件：已销毁 1 件，待监销确认 1 件，冻结未销毁 1 件',
    ],
    [
      'completed',
      [item('destroyed'), item('destroyed'), item('blocked')],
      '共 3 件：已销毁 2 件，冻结未销毁 1 件',
    ],
  ] as const)('%s: %s', (status, items, text) => {
    expect(disposalCountText(disposalCounts(status, [...items]), 'zh')).toBe(text);
  });
  it('says it in English too', () => {
    const counts = disposalCounts('completed', [item('destroyed'), item('blocked')]);
    expect(disposalCountText(counts, 'en')).toBe('2 in all: 1 destroyed, 1 on hold, not destroyed');
  });
});
