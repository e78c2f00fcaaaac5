import { describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../../../common/enums.js';
import type { Actor } from '../context.js';
import {
  actionVerifyRefusal,
  can,
  canSeeSecrecy,
  disposalSignRefusal,
  documentSignRefusal,
} from './index.js';
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
type RoleAction = Exclude<
  Action,
  | 'customer.update'
  | 'customer.deactivate'
  | 'customer.file_approve'
  | 'customer.handover'
  | 'job.read'
  | 'document.update'
  | 'document.obsolete'
  | 'document.copy_sign'
  | 'document.secrecy_request'
  | 'appraisal.read'
  | 'appraisal.opine'
  | 'disposal.read'
  | 'disposal.sign'
  | 'disposal.witness'
  | 'lending.decide'
  | 'lending.read'
  | 'lending.own'
  | 'case.triage'
  | 'case.handle'
  | 'case.revisit'
  | 'case.update'
  | 'action.complete'
  | 'visit.complete'
  | 'visit.manage'
  | 'survey.respond'
  | `sr.${string}`
  | 'order.create'
  | 'order.update'
  | 'order.review'
  | 'order.approve'
  | 'order.withdraw'
  | 'order.acknowledge'
  | 'order.deliver'
  | 'credit.balance'
  | 'credit.investigate'
  | 'credit.request'
  | 'credit.decide'
  | 'credit.suspend'
  | 'credit.resume'
  | 'credit.admit'
  | 'credit.danger'
>;
const MATRIX: Record<RoleAction, Record<Role, boolean>> = {
  //                    admin  gm  dept  arch  qual  staff  auditor  deputy
  'department.read': row(Y, Y, Y, Y, Y, Y, Y, Y),
  'department.manage': row(Y, N, N, N, N, N, N, N),
  'user.manage': row(Y, N, N, N, N, N, N, N),
  'directory.read': row(Y, Y, Y, Y, Y, Y, Y, Y),
  'account.manage_own': row(Y, Y, Y, Y, Y, Y, Y, Y),
  'calendar.read': row(Y, Y, Y, Y, Y, Y, Y, Y),
  'calendar.manage': row(Y, N, N, N, N, N, N, N),
  'audit.read': row(Y, N, N, N, N, N, Y, N),
  'audit.verify': row(Y, N, N, N, N, N, Y, N),
  'audit.export': row(Y, N, N, N, N, N, Y, N),
  'customer.create': row(N, Y, Y, Y, N, Y, N, N),
  'customer.secrecy_lower': row(N, Y, N, N, N, N, N, N),
  'customer.merge': row(N, Y, N, Y, N, N, N, N),
  'customer.grant': row(Y, Y, N, N, N, N, N, N),
  'customer.import': row(N, Y, Y, Y, N, N, N, N),
  'customer.export': row(Y, Y, Y, Y, Y, Y, Y, Y),
  'customer.report': row(N, Y, Y, Y, N, N, Y, N),
  'customer.configure': row(Y, N, N, N, N, N, N, N),
  'customer_config.read': row(Y, Y, Y, Y, Y, Y, Y, Y),
  'document.create': row(N, Y, Y, Y, Y, Y, N, N),
  'document.export': row(Y, Y, Y, Y, Y, Y, Y, Y),
  'document.file': row(N, N, N, Y, N, N, N, N),
  'document.distribute': row(N, N, N, Y, N, N, N, N),
  'document.report': row(N, Y, N, Y, N, N, Y, N),
  'document.approval_read': row(N, Y, Y, N, N, N, N, Y),
  'document.secrecy_review': row(N, Y, N, Y, N, N, Y, N),
  'document.secrecy_approve': row(N, Y, N, N, N, N, N, N),
  'document.configure': row(Y, N, N, N, N, N, N, N),
  'integrity.run': row(Y, N, N, Y, N, N, Y, N),
  'document_config.read': row(Y, Y, Y, Y, Y, Y, Y, Y),
  'retention.due': row(N, Y, N, Y, N, N, Y, N),
  'retention.appraise': row(N, N, N, Y, N, N, N, N),
  'disposal.manage': row(N, N, N, Y, N, N, N, N),
  'hold.manage': row(N, Y, N, Y, N, N, N, N),
  'hold.read': row(N, Y, N, Y, N, N, Y, N),
  'retention.configure': row(Y, N, N, N, N, N, N, N),
  'lending.request': row(N, Y, Y, Y, Y, Y, N, N),
  'lending.desk': row(N, N, N, Y, N, N, N, N),
  'lending.oversee': row(N, Y, N, Y, N, N, Y, N),
  'lending.incidents': row(N, Y, N, Y, N, N, Y, N),
  'lending.configure': row(Y, N, N, N, N, N, N, N),
  'lending_config.read': row(Y, Y, Y, Y, Y, Y, Y, Y),
  'notification.read': row(Y, Y, Y, Y, Y, Y, Y, Y),
  'system.schedule': row(Y, N, N, N, N, N, N, N),
  'system.backup': row(Y, N, N, N, N, N, N, N),
  'case.create': row(N, Y, Y, Y, Y, Y, N, Y),
  'case.oversee': row(N, Y, N, N, Y, N, N, Y),
  'case.configure': row(Y, N, N, N, Y, N, N, N),
  'case.export': row(Y, Y, Y, Y, Y, Y, Y, Y),
  'case_config.read': row(Y, Y, Y, Y, Y, Y, Y, Y),
  'action.verify': row(N, Y, N, N, Y, N, N, Y),
  'action.oversee': row(N, Y, N, N, Y, N, N, Y),
  'visit.configure': row(Y, N, N, N, Y, N, N, N),
  'visit_config.read': row(Y, Y, Y, Y, Y, Y, Y, Y),
  'survey.manage': row(N, Y, N, N, Y, N, N, Y),
  'survey.read': row(N, Y, Y, N, Y, N, N, Y),
  'sr_config.read': row(Y, Y, Y, Y, Y, Y, Y, Y),
  'order.export': row(Y, Y, Y, Y, Y, Y, Y, Y),
  'order.configure': row(Y, N, N, N, N, N, N, N),
  'order_config.read': row(Y, Y, Y, Y, Y, Y, Y, Y),
  'credit.export': row(Y, Y, Y, Y, Y, Y, Y, Y),
  'credit.configure': row(Y, N, N, N, N, N, N, N),
  'credit_config.read': row(Y, Y, Y, Y, Y, Y, Y, Y),
  //                    admin  gm  dept  arch  qual  staff  auditor  deputy
  'analysis.read': row(Y, Y, Y, Y, Y, Y, Y, Y),
  'analysis.import': row(N, Y, Y, N, N, N, N, Y),
  'analysis.import_stock': row(N, Y, N, N, N, N, N, Y),
  'analysis.apply': row(N, Y, Y, N, N, N, N, Y),
  'analysis.configure': row(Y, N, N, N, N, N, N, N),
  'statistics.read': row(N, Y, Y, Y, N, N, Y, Y),
  'dashboard.sales': row(N, N, Y, N, N, Y, N, N),
  'dashboard.quality': row(N, N, N, N, Y, N, N, N),
  'dashboard.archive': row(N, N, N, Y, N, N, N, N),
  'dashboard.management': row(N, Y, N, N, N, N, N, Y),
};

// Record-level customer rules: the same role decides differently for its own, its
// department's and someone else's archive.
const OWN = { ownerIds: ['u1'], inActorDepartments: true };
const DEPT = { ownerIds: ['u2'], inActorDepartments: true };
const OTHER = { ownerIds: ['u2'], inActorDepartments: false };
//                         own dept other            own dept other
const RECORD: Record<Role, { update: boolean[]; deactivate: boolean[] }> = {
  admin: { update: [Y, N, N], deactivate: [N, N, N] },
  general_manager: { update: [Y, Y, Y], deactivate: [Y, Y, Y] },
  department_manager: { update: [Y, Y, N], deactivate: [Y, Y, N] },
  archivist: { update: [Y, Y, Y], deactivate: [Y, Y, Y] },
  quality: { update: [Y, N, N], deactivate: [N, N, N] },
  staff: { update: [Y, N, N], deactivate: [N, N, N] },
  auditor: { update: [Y, N, N], deactivate: [N, N, N] },
  deputy_general_manager: { update: [Y, N, N], deactivate: [N, N, N] },
};

function row(...allowed: boolean[]): Record<Role, boolean> {
  return Object.fromEntries(ROLES.map((r, i) => [r, allowed[i] as boolean])) as Record<Role, boolean>;
}

describe('policy matrix', () => {
  it('covers every action the rules define', () => {
    const recordLevel = [
      'customer.update',
      'customer.deactivate',
      'customer.file_approve',
      'customer.handover',
      'job.read',
      'document.update',
      'document.obsolete',
      'document.secrecy_request',
      'appraisal.read',
      'appraisal.opine',
      'disposal.read',
      'disposal.sign',
      'disposal.witness',
      'lending.decide',
      'lending.read',
      'lending.own',
      'case.triage',
      'case.handle',
      'case.revisit',
      'case.update',
      'action.complete',
      'visit.complete',
      'visit.manage',
      'survey.respond',
      'sr.create',
      'sr.update',
      'sr.requestReview',
      'sr.review',
      'sr.link',
      'sr.raiseAction',
      'sr.confirm',
      'sr.obsolete',
      'sr.recheck',
      'sr.inform',
      'sr.distribute',
      'sr.remind',
      'sr.acknowledge',
      'sr.revise',
      'sr.check',
      'sr.characteristics',
      'sr.export',
      'sr.configure',
      'order.create',
      'order.update',
      'order.review',
      'order.approve',
      'order.withdraw',
      'order.acknowledge',
      'order.deliver',
      'credit.balance',
      'credit.investigate',
      'credit.request',
      'credit.decide',
      'credit.suspend',
      'credit.resume',
      'credit.admit',
      'credit.danger',
      'document.copy_sign',
    ];
    expect([...Object.keys(MATRIX), ...recordLevel].sort()).toEqual(Object.keys(RULES).sort());
  });

  for (const [action, expected] of Object.entries(MATRIX) as [RoleAction, Record<Role, boolean>][]) {
    for (const role of ROLES) {
      it(`${role} ${expected[role] ? 'may' : 'may not'} ${action}`, () => {
        expect(can(actor([role]), action)).toBe(expected[role]);
      });
    }
  }

  for (const role of ROLES) {
    it(`${role} on own / department / other customer archives`, () => {
      const a = actor([role]);
      const got = (action: Action) => [OWN, DEPT, OTHER].map((r) => can(a, action, r));
      expect({ update: got('customer.update'), deactivate: got('customer.deactivate') }).toEqual(
        RECORD[role],
      );
      expect(can(a, 'customer.update')).toBe(false); // no archive, no decision
    });
  }

  // Documents: registered by the actor / in the actor's department / elsewhere.
  const MINE = { createdBy: 'u1', inActorDepartments: false };
  const OURS = { createdBy: 'u2', inActorDepartments: true };
  const THEIRS = { createdBy: 'u2', inActorDepartments: false };
  //                            mine ours theirs        mine ours theirs
  const DOCUMENT: Record<Role, { update: boolean[]; obsolete: boolean[] }> = {
    admin: { update: [N, N, N], obsolete: [N, N, N] },
    general_manager: { update: [Y, Y, Y], obsolete: [Y, Y, Y] },
    department_manager: { update: [Y, Y, N], obsolete: [N, Y, N] },
    archivist: { update: [Y, Y, Y], obsolete: [Y, Y, Y] },
    quality: { update: [Y, Y, N], obsolete: [N, N, N] },
    staff: { update: [Y, Y, N], obsolete: [N, N, N] },
    auditor: { update: [N, N, N], obsolete: [N, N, N] },
    deputy_general_manager: { update: [N, N, N], obsolete: [N, N, N] },
  };
  for (const role of ROLES) {
    it(`${role} on own / department / other documents`, () => {
      const a = actor([role]);
      const got = (action: Action) => [MINE, OURS, THEIRS].map((d) => can(a, action, d));
      expect({ update: got('document.update'), obsolete: got('document.obsolete') }).toEqual(DOCUMENT[role]);
      expect(can(a, 'document.update')).toBe(false);
      // A level change is asked for by those who may withdraw the document (R-P10).
      expect(got('document.secrecy_request')).toEqual(DOCUMENT[role].obsolete);
    });
  }

  // Cases: nobody judges a complaint they are named responsible for; a complaint about a
  // department manager is triaged by the general manager only.
  it('lets the right people triage, handle and revisit a case, never the person responsible', () => {
    const base = {
      responsible: false,
      responsibleIsManager: false,
      managesReceiving: false,
      handler: false,
      receiver: false,
      managesHandling: false,
      revisitRole: 'quality',
    };
    const who = (action: Action, resource: object) =>
      ROLES.filter((r) => can(actor([r]), action, { ...base, ...resource }));
    expect(who('case.triage', {})).toEqual(['general_manager', 'quality']);
    expect(who('case.triage', { managesReceiving: true })).toEqual([
      'general_manager',
      'department_manager',
      'quality',
    ]);
    expect(who('case.triage', { responsibleIsManager: true, managesReceiving: true })).toEqual([
      'general_manager',
    ]);
    expect(who('case.triage', { responsible: true, managesReceiving: true })).toEqual([]);
    expect(who('case.handle', {})).toEqual(['quality']);
    expect(who('case.handle', { handler: true })).toEqual(ROLES.slice());
    expect(who('case.handle', { handler: true, responsible: true })).toEqual([]);
    expect(who('case.handle', { managesHandling: true })).toEqual(['department_manager', 'quality']);
    expect(who('case.update', { receiver: true })).toEqual(ROLES.slice());
    expect(who('case.update', { receiver: true, responsible: true })).toEqual([]);
    expect(who('case.revisit', {})).toEqual(['quality']);
    expect(who('case.revisit', { revisitRole: 'staff' })).toEqual(['staff']);
    expect(who('case.revisit', { responsible: true })).toEqual([]);
    expect(can(actor(['quality']), 'case.handle')).toBe(false);
  });

  // Visits: the assignee, the archive's owners and its department's manager visit; owners and
  // managers (and the general manager) plan, cancel and reassign; nobody without a resource.
  it('lets the assignee, owners and the managing department visit, and owners and managers manage', () => {
    const base = { assignee: false, owner: false, managesArchive: false };
    const who = (action: Action, resource: object) =>
      ROLES.filter((r) => can(actor([r]), action, { ...base, ...resource }));
    expect(who('visit.complete', {})).toEqual(['general_manager']);
    expect(who('visit.complete', { assignee: true })).toEqual(ROLES.slice());
    expect(who('visit.complete', { owner: true })).toEqual(ROLES.slice());
    expect(who('visit.complete', { managesArchive: true })).toEqual([
      'general_manager',
      'department_manager',
    ]);
    expect(who('visit.manage', { assignee: true })).toEqual(['general_manager']);
    expect(who('visit.manage', { owner: true })).toEqual(ROLES.slice());
    expect(who('visit.manage', { managesArchive: true })).toEqual(['general_manager', 'department_manager']);
    expect(can(actor(['staff']), 'visit.complete')).toBe(false);
  });

  // Surveys: the archive's owner, its department's manager and quality type in answers.
  it('lets owners, the managing department manager and quality enter a survey answer', () => {
    const who = (resource: object) =>
      ROLES.filter((r) =>
        can(actor([r]), 'survey.respond', { owner: false, managesArchive: false, ...resource }),
      );
    expect(who({})).toEqual(['quality']);
    expect(who({ owner: true })).toEqual(ROLES.slice());
    expect(who({ managesArchive: true })).toEqual(['department_manager', 'quality']);
    expect(can(actor(['quality']), 'survey.respond')).toBe(false);
  });

  // Customer special requirements: sales (the archive's owners, their manager) registers and
  // routes; the departments asked review their own part; quality confirms and distributes.
  it('lets sales register, the asked departments review and quality confirm a special requirement', () => {
    const base = { owner: false, managesArchive: false };
    const who = (action: Action, resource: object) =>
      ROLES.filter((r) => can(actor([r]), action, { ...base, ...resource }));
    expect(who('sr.create', {})).toEqual(['quality']);
    expect(who('sr.create', { owner: true })).toEqual(ROLES.slice());
    expect(who('sr.create', { managesArchive: true })).toEqual(['department_manager', 'quality']);
    expect(who('sr.update', { managesArchive: true })).toEqual(['department_manager', 'quality']);
    expect(who('sr.requestReview', {})).toEqual(['quality']);
    expect(who('sr.review', {})).toEqual([]);
    expect(who('sr.review', { owner: true })).toEqual([]);
    expect(who('sr.review', { inReviewDepartment: true })).toEqual(ROLES.slice());
    expect(who('sr.review', { managesReviewDepartment: true })).toEqual(['department_manager']);
    expect(who('sr.link', { inOwnerDepartment: true })).toEqual(ROLES.slice());
    expect(who('sr.link', {})).toEqual(['quality']);
    expect(who('sr.raiseAction', { owner: true })).toEqual(['quality']);
    expect(who('sr.confirm', { owner: true, inReviewDepartment: true })).toEqual(['quality']);
    expect(who('sr.obsolete', { owner: true })).toEqual(ROLES.slice());
    expect(who('sr.obsolete', {})).toEqual(['quality']);
    expect(who('sr.recheck', {})).toEqual(['quality']);
    expect(who('sr.inform', { inOwnerDepartment: true })).toEqual(ROLES.slice());
    expect(who('sr.distribute', { owner: true })).toEqual(['quality']);
    expect(who('sr.remind', {})).toEqual(['quality']);
    expect(who('sr.revise', { owner: true })).toEqual(['quality']);
    expect(who('sr.acknowledge', {})).toEqual([]);
    expect(who('sr.acknowledge', { recipient: true })).toEqual(ROLES.slice());
    expect(who('sr.check', { owner: true })).toEqual(ROLES.slice());
    expect(who('sr.check', { managesArchive: true })).toEqual(['quality']);
    expect(who('sr.characteristics', { engineering: true })).toEqual(ROLES.slice());
    expect(who('sr.characteristics', {})).toEqual(['quality']);
    expect(who('sr.export', {})).toEqual(ROLES.slice());
    expect(who('sr.configure', {})).toEqual(['admin', 'quality']);
    expect(can(actor(['quality']), 'sr.confirm')).toBe(false); // no requirement, no decision
  });

  // Corrective actions: the owner or whoever handles the source completes; quality, the general
  // manager and the deputy verify, never an action they own themselves.
  // Orders (R-K1 … R-K3): sales keeps them, the asked departments review, the route's signer signs.
  it('lets sales keep an order, the asked departments review and the right signer sign', () => {
    const base = { owner: false, managesArchive: false };
    const who = (action: Action, resource: object) =>
      ROLES.filter((r) => can(actor([r]), action, { ...base, ...resource }));
    expect(who('order.create', {})).toEqual(['general_manager']);
    expect(who('order.create', { owner: true })).toEqual(ROLES.slice());
    expect(who('order.update', { registrant: true })).toEqual(ROLES.slice());
    expect(who('order.update', { managesArchive: true })).toEqual(['general_manager', 'department_manager']);
    expect(who('order.review', { owner: true })).toEqual([]);
    expect(who('order.review', { inReviewDepartment: true })).toEqual(ROLES.slice());
    expect(who('order.review', { managesReviewDepartment: true })).toEqual(['department_manager']);
    expect(who('order.approve', { owner: true })).toEqual([]);
    expect(who('order.approve', { owner: true, signerRole: 'sales' })).toEqual(ROLES.slice());
    expect(who('order.approve', { registrant: true, signerRole: 'sales_manager' })).toEqual([
      'general_manager',
    ]);
    expect(who('order.approve', { managesArchive: true, signerRole: 'sales_manager' })).toEqual([
      'general_manager',
      'department_manager',
    ]);
    expect(
      who('order.approve', { owner: true, managesArchive: true, signerRole: 'general_manager' }),
    ).toEqual(['general_manager']);
    // A change notice (R-K4): members of the department it went to, not its managers above.
    expect(who('order.acknowledge', { inReviewDepartment: true })).toEqual(ROLES.slice());
    expect(who('order.acknowledge', { owner: true, managesReviewDepartment: true })).toEqual([]);
  });

  // Credit (R-A4): sales keeps a customer's credit; the archive's manager approves, the general
  // manager above the amount and always; nobody but the general manager decides their own request.
  it('lets sales keep credit, the manager approve and the general manager decide all', () => {
    const base = { owner: false, managesArchive: false };
    const who = (action: Action, resource: object) =>
      ROLES.filter((r) => can(actor([r]), action, { ...base, ...resource }));
    expect(who('credit.request', {})).toEqual(['general_manager']);
    expect(who('credit.request', { owner: true })).toEqual(ROLES.slice());
    expect(who('credit.request', { managesArchive: true })).toEqual([
      'general_manager',
      'department_manager',
    ]);
    expect(who('credit.balance', { amounts: true })).toEqual(ROLES.slice());
    expect(who('credit.suspend', { owner: true })).toEqual(ROLES.slice());
    expect(who('credit.resume', { owner: true })).toEqual(['general_manager']);
    expect(who('credit.decide', { owner: true, approverRole: 'department_manager' })).toEqual([
      'general_manager',
    ]);
    expect(who('credit.decide', { managesArchive: true, approverRole: 'department_manager' })).toEqual([
      'general_manager',
      'department_manager',
    ]);
    expect(
      who('credit.decide', { managesArchive: true, approverRole: 'department_manager', requester: true }),
    ).toEqual(['general_manager']);
    expect(who('credit.decide', { managesArchive: true, approverRole: 'general_manager' })).toEqual([
      'general_manager',
    ]);
  });

  it('lets the owner or the source handler complete an action, and never its owner verify it', () => {
    const who = (action: Action, resource: object) => ROLES.filter((r) => can(actor([r]), action, resource));
    const mine = { ownerId: 'u1' };
    const theirs = { ownerId: 'u2' };
    expect(who('action.complete', mine)).toEqual(ROLES.slice());
    expect(who('action.complete', theirs)).toEqual([]);
    expect(who('action.complete', { ...theirs, editsSource: true })).toEqual(ROLES.slice());
    expect(who('action.verify', theirs)).toEqual(['general_manager', 'quality', 'deputy_general_manager']);
    expect(who('action.verify', mine)).toEqual([]);
    expect(actionVerifyRefusal(actor(['quality']), mine)).toBe('action_verify_own');
    expect(actionVerifyRefusal(actor(['staff']), theirs)).toBe('forbidden');
  });

  // Appraisal and destruction: membership, witnesses and the signing step's role decide.
  it('lets appraisal members give opinions and read their batch; overseers read every batch', () => {
    const members = { memberIds: ['u1'] };
    const others = { memberIds: ['u2'] };
    for (const role of ROLES) {
      const a = actor([role]);
      expect(can(a, 'appraisal.opine', members)).toBe(true);
      expect(can(a, 'appraisal.opine', others)).toBe(false);
      expect(can(a, 'appraisal.read', members)).toBe(true);
      expect(can(a, 'appraisal.read', others)).toBe(
        ['archivist', 'general_manager', 'auditor'].includes(role),
      );
    }
  });

  it('lets the role of the current step sign a register, and only the named witnesses witness it', () => {
    for (const role of ROLES) {
      const a = actor([role]);
      expect(can(a, 'disposal.sign', { stepRole: 'general_manager', clearedForAll: true })).toBe(
        role === 'general_manager',
      );
      expect(can(a, 'disposal.sign')).toBe(false);
      expect(can(a, 'disposal.witness', { witnessIds: ['u1'] })).toBe(true);
      expect(can(a, 'disposal.witness', { witnessIds: ['u2'] })).toBe(false);
      expect(can(a, 'disposal.read', { witnessIds: ['u1'] })).toBe(true);
      expect(can(a, 'disposal.read', { witnessIds: [] })).toBe(
        ['archivist', 'general_manager', 'auditor', 'department_manager'].includes(role),
      );
    }
  });

  it('keeps the drafter, earlier signers and other departments’ managers from signing a register (R-X3)', () => {
    const manager = actor(['department_manager']);
    const step = { stepRole: 'department_manager', signerIds: ['u9'], drafterId: 'u8', clearedForAll: true };
    expect(can(manager, 'disposal.sign', { ...step, headsRecordsDepartment: true })).toBe(true);
    expect(disposalSignRefusal(manager, { ...step, headsRecordsDepartment: false })).toBe(
      'disposal_signer_department',
    );
    expect(
      disposalSignRefusal(manager, { ...step, headsRecordsDepartment: true, drafterId: manager.id }),
    ).toBe('disposal_signer_drafter');
    expect(
      disposalSignRefusal(manager, { ...step, headsRecordsDepartment: true, signerIds: [manager.id] }),
    ).toBe('disposal_already_signed');
    const archivist = actor(['archivist']);
    expect(disposalSignRefusal(archivist, { stepRole: 'archivist', drafterId: archivist.id })).toBe(
      'disposal_signer_drafter',
    );
    expect(
      disposalSignRefusal(archivist, { stepRole: 'archivist', drafterId: 'u8', clearedForAll: true }),
    ).toBeNull();
    // Clearance is asked last (R-P1): only someone who would otherwise sign learns of it.
    expect(disposalSignRefusal(archivist, { stepRole: 'archivist', drafterId: 'u8' })).toBe(
      'signer_clearance',
    );
    expect(
      disposalSignRefusal(manager, { ...step, headsRecordsDepartment: false, clearedForAll: false }),
    ).toBe('disposal_signer_department');
    expect(disposalSignRefusal(archivist, { ...step, headsRecordsDepartment: true })).toBe(
      'disposal_signer_role',
    );
  });

  it('lets only the step’s role decide a request, a department manager only in scope, never the requester', () => {
    for (const role of ROLES) {
      const a = actor([role]);
      expect(can(a, 'lending.decide', { stepRole: 'general_manager', requesterId: 'u2' })).toBe(
        role === 'general_manager',
      );
      expect(can(a, 'lending.decide', { stepRole: 'general_manager', requesterId: 'u1' })).toBe(false);
      expect(
        can(a, 'lending.decide', { stepRole: 'department_manager', requesterId: 'u2', inScope: true }),
      ).toBe(role === 'department_manager');
      expect(
        can(a, 'lending.decide', { stepRole: 'department_manager', requesterId: 'u2', inScope: false }),
      ).toBe(false);
      expect(can(a, 'lending.read', { requesterId: 'u1' })).toBe(true);
      expect(can(a, 'lending.own', { requesterId: 'u1' })).toBe(true);
      expect(can(a, 'lending.own', { requesterId: 'u2' })).toBe(false);
      expect(can(a, 'lending.read', { requesterId: 'u2', involved: true })).toBe(true);
      expect(can(a, 'lending.read', { requesterId: 'u2' })).toBe(
        ['archivist', 'general_manager', 'auditor'].includes(role),
      );
    }
  });

  it('shows a job to whoever queued it and to administrators', () => {
    expect(can(actor(['staff']), 'job.read', { createdBy: 'u1' })).toBe(true);
    expect(can(actor(['staff']), 'job.read', { createdBy: 'u2' })).toBe(false);
    expect(can(actor(['admin']), 'job.read', { createdBy: 'u2' })).toBe(true);
  });

  it('lets a department manager hand over only people of their own departments', () => {
    const manager = actor(['department_manager']);
    expect(can(manager, 'customer.handover', { ownerIds: [], inActorDepartments: true })).toBe(true);
    expect(can(manager, 'customer.handover', { ownerIds: [], inActorDepartments: false })).toBe(false);
    expect(
      can(actor(['general_manager']), 'customer.handover', { ownerIds: [], inActorDepartments: false }),
    ).toBe(true);
    expect(can(actor(['admin']), 'customer.handover')).toBe(true);
    expect(can(actor(['staff']), 'customer.handover', { ownerIds: [], inActorDepartments: true })).toBe(
      false,
    );
  });

  it("separates the duties of an internal document's approval (编制/审核/会签/批准)", () => {
    const manager = actor(['department_manager']);
    const gm = actor(['general_manager']);
    const deputy = actor(['deputy_general_manager']);
    const staff = actor(['staff']);
    const quality = actor(['quality']);
    const base = { authorId: 'author', inActorDepartments: true, headsCountersignDepartment: true };
    // Rows: who, step, facts → refusal.
    const table: [
      typeof manager,
      'review' | 'countersign' | 'approve',
      Partial<typeof base> & { reviewerId?: string },
      string | null,
    ][] = [
      [manager, 'review', {}, null],
      [manager, 'review', { inActorDepartments: false }, 'approval_signer_role'],
      [gm, 'review', { inActorDepartments: false }, null],
      [staff, 'review', {}, 'approval_signer_role'],
      [quality, 'review', {}, 'approval_signer_role'],
      [manager, 'countersign', {}, null],
      [manager, 'countersign', { headsCountersignDepartment: false }, 'approval_signer_role'],
      [gm, 'countersign', {}, 'approval_signer_role'],
      [gm, 'approve', {}, null],
      [deputy, 'approve', {}, null],
      [manager, 'approve', {}, 'approval_signer_role'],
      [gm, 'approve', { authorId: gm.id }, 'approval_author'],
      [manager, 'review', { authorId: manager.id }, 'approval_author'],
      [manager, 'countersign', { authorId: manager.id }, 'approval_author'],
      [gm, 'approve', { reviewerId: gm.id }, 'approval_reviewer_approves'],
    ];
    for (const [who, step, facts, refusal] of table)
      expect(documentSignRefusal(who, { ...base, ...facts, step }), `${who.roles} ${step}`).toBe(refusal);
  });

  it('lets only the recipient sign for a copy (谁接收谁签字)', () => {
    const person = { recipientUserId: 'u1', headsRecipientDepartment: false };
    const department = { recipientUserId: null, headsRecipientDepartment: true };
    expect(can(actor(['staff']), 'document.copy_sign', person)).toBe(true);
    expect(can(actor(['staff']), 'document.copy_sign', { ...person, recipientUserId: 'u2' })).toBe(false);
    expect(can(actor(['archivist']), 'document.copy_sign', { ...person, recipientUserId: 'u2' })).toBe(false);
    expect(can(actor(['department_manager']), 'document.copy_sign', department)).toBe(true);
    expect(can(actor(['staff']), 'document.copy_sign', department)).toBe(false);
    expect(
      can(actor(['department_manager']), 'document.copy_sign', {
        ...department,
        headsRecipientDepartment: false,
      }),
    ).toBe(false);
    expect(can(actor(['general_manager']), 'document.copy_sign', department)).toBe(false);
  });

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
