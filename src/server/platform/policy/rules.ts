import type { Role } from '../../../common/enums.js';
import type { Actor } from '../context.js';

// Who may do what. Every permission decision in Kedang is a line in this table (or a rule
// function next to it); routes and services ask `authorize`/`can` and never look at roles.
// Modules add their actions here so that the whole policy can be read, and tested, in one place.

export type Rule = (actor: Actor, resource?: unknown) => boolean;

const anyone: Rule = () => true;
const roles =
  (...allowed: Role[]): Rule =>
  (actor) =>
    actor.roles.some((r) => allowed.includes(r));

export const RULES = {
  // Organisation: everyone signed in can see the department tree (pickers, owners);
  // only administrators change users and departments.
  'department.read': anyone,
  'department.manage': roles('admin'),
  'user.manage': roles('admin'),

  // Own account: password, API tokens.
  'account.manage_own': anyone,

  // Working-day calendar.
  'calendar.read': anyone,
  'calendar.manage': roles('admin'),

  // Audit trail (R-L1): administrators and auditors read, verify and export it.
  'audit.read': roles('admin', 'auditor'),
  'audit.verify': roles('admin', 'auditor'),
  'audit.export': roles('admin', 'auditor'),
} satisfies Record<string, Rule>;

export type Action = keyof typeof RULES;
