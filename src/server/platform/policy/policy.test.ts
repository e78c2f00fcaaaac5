import { describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../../../common/enums.js';
import type { Actor } from '../context.js';
import { can, canSeeSecrecy } from './index.js';
import { type Action, RULES } from './rules.js';

const actor = (roles: Role[], clearance = 0): Actor => ({
  id: 'u1',
  login: 'u1',
  name: 'U1',
  departmentId: 'd1',
  roles,
  clearance,
  via: 'session',
  mustChangePassword: false,
});

// The expected permission matrix, written out by hand: a change to the rules must change
// this table too, deliberately.
const Y = true;
const N = false;
const MATRIX: Record<Action, Record<Role, boolean>> = {
  //                    admin  gm  dept  arch  qual  staff  auditor
  'department.read': row(Y, Y, Y, Y, Y, Y, Y),
  'department.manage': row(Y, N, N, N, N, N, N),
  'user.manage': row(Y, N, N, N, N, N, N),
  'account.manage_own': row(Y, Y, Y, Y, Y, Y, Y),
  'calendar.read': row(Y, Y, Y, Y, Y, Y, Y),
  'calendar.manage': row(Y, N, N, N, N, N, N),
  'audit.read': row(Y, N, N, N, N, N, Y),
  'audit.verify': row(Y, N, N, N, N, N, Y),
  'audit.export': row(Y, N, N, N, N, N, Y),
};

function row(...allowed: boolean[]): Record<Role, boolean> {
  return Object.fromEntries(ROLES.map((r, i) => [r, allowed[i] as boolean])) as Record<Role, boolean>;
}

describe('policy matrix', () => {
  it('covers every action the rules define', () => {
    expect(Object.keys(MATRIX).sort()).toEqual(Object.keys(RULES).sort());
  });

  for (const [action, expected] of Object.entries(MATRIX) as [Action, Record<Role, boolean>][]) {
    for (const role of ROLES) {
      it(`${role} ${expected[role] ? 'may' : 'may not'} ${action}`, () => {
        expect(can(actor([role]), action)).toBe(expected[role]);
      });
    }
  }

  it('combines roles: a user with several roles may do what any of them may', () => {
    expect(can(actor(['staff', 'auditor']), 'audit.read')).toBe(true);
    expect(can(actor(['staff', 'auditor']), 'user.manage')).toBe(false);
  });

  it('denies everything to nobody and to a user without roles', () => {
    expect(can(null, 'department.read')).toBe(false);
    expect(can(actor([]), 'audit.read')).toBe(false);
  });

  it('hides what is above the clearance (R-P1)', () => {
    const levels = [0, 1, 2, 3];
    for (const clearance of levels) {
      for (const secrecy of levels) {
        expect(canSeeSecrecy(actor(['admin'], clearance), secrecy)).toBe(secrecy <= clearance);
      }
    }
    expect(canSeeSecrecy(null, 0)).toBe(false);
  });
});
