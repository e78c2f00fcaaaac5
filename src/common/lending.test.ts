import { describe, expect, it } from 'vitest';
import {
  addCalendarDays,
  approvalChain,
  type ChainInput,
  DEFAULT_APPROVAL_RULES,
  endOfDayShanghai,
  itemsLabel,
} from './lending.js';

const own = { ownDepartment: true, controlled: false, secrecy: 0 };
const input = (patch: Partial<ChainInput>): ChainInput => ({
  items: [own],
  external: false,
  totalDays: 7,
  maxDays: 14,
  requesterRoles: ['staff'],
  ...patch,
});

describe('approval chain (R-P2, default rules)', () => {
  const cases: [string, Partial<ChainInput>, string[]][] = [
    ['own department, 普通', {}, ['department_manager']],
    ['own department, 秘密', { items: [{ ...own, secrecy: 1 }] }, ['department_manager']],
    ['own department, 机密', { items: [{ ...own, secrecy: 2 }] }, ['department_manager', 'general_manager']],
    ['own department, 绝密', { items: [{ ...own, secrecy: 3 }] }, ['department_manager', 'general_manager']],
    [
      'a controlled record',
      { items: [{ ...own, controlled: true }] },
      ['department_manager', 'general_manager'],
    ],
    [
      'another department',
      { items: [{ ...own, ownDepartment: false }] },
      ['department_manager', 'general_manager'],
    ],
    [
      'one of several items elsewhere',
      { items: [own, { ...own, ownDepartment: false }] },
      ['department_manager', 'general_manager'],
    ],
    ['an outside borrower', { external: true }, ['department_manager', 'general_manager']],
    ['a renewal beyond two weeks', { totalDays: 15 }, ['department_manager', 'general_manager']],
    ['a renewal within two weeks', { totalDays: 14 }, ['department_manager']],
    ['a department manager’s own request', { requesterRoles: ['department_manager'] }, ['general_manager']],
    [
      'no department manager cleared for the records',
      { items: [{ ...own, secrecy: 1 }], uncleared: ['department_manager'] },
      ['general_manager'],
    ],
    [
      'a cleared department manager: the chain stands',
      { items: [{ ...own, secrecy: 2 }], uncleared: ['archivist'] },
      ['department_manager', 'general_manager'],
    ],
  ];
  for (const [name, patch, chain] of cases)
    it(name, () => expect(approvalChain(input(patch))).toEqual(chain));

  it('follows configured rules, in the fixed order of approvers', () => {
    const rules = {
      ...DEFAULT_APPROVAL_RULES,
      ownDepartment: [],
      controlled: ['general_manager', 'archivist'] as const,
    };
    expect(approvalChain(input({}), { ...rules, controlled: [...rules.controlled] })).toEqual([
      'general_manager',
    ]);
    expect(
      approvalChain(input({ items: [{ ...own, controlled: true }] }), {
        ...rules,
        controlled: [...rules.controlled],
      }),
    ).toEqual(['archivist', 'general_manager']);
    // An archivist's step nobody is cleared for goes to the general manager as well.
    expect(
      approvalChain(input({ items: [{ ...own, controlled: true }], uncleared: ['archivist'] }), {
        ...rules,
        controlled: [...rules.controlled],
      }),
    ).toEqual(['general_manager']);
  });
});

describe('loan dates', () => {
  it('counts calendar days, across the National Day holiday too', () => {
    expect(addCalendarDays('2026-09-28', 7)).toBe('2026-10-05');
    expect(addCalendarDays('2026-12-28', 7)).toBe('2027-01-04');
  });
  it('ends a grant at midnight in Shanghai after its last day', () => {
    expect(endOfDayShanghai('2026-10-05')).toBe('2026-10-05T16:00:00.000Z');
  });
});

describe('how a request names its records', () => {
  it('counts all of them after 等 (等 1 件 for two would read as one in all)', () => {
    expect(itemsLabel('2015年检验记录', 1)).toBe('2015年检验记录');
    expect(itemsLabel('2015年检验记录', 2)).toBe('2015年检验记录 等 2 件');
    expect(itemsLabel('Report', 3, 'en')).toBe('Report (3 items)');
  });
});
