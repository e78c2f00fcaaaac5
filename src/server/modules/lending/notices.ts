import type { Role } from '../../../common/enums.js';
import type { Loan } from '../../../common/schemas/lending.js';
import type { Db } from '../../db/index.js';
import type { AccessRequestTable } from '../../db/types.js';
import { type Ctx, type TxCtx, tx } from '../../platform/context.js';
import { activeUsersWithRoles, clearedFor, notify } from '../../platform/notify.js';
import { closeExpired } from './approvals.js';
import { chaseOverdue } from './loans.js';
import type { Step } from './requests.js';

// Who hears of what in lending (R-W2): the approvers of the step waiting now, the requester when
// their request is decided, the archivist when paper is to be issued, the general manager of
// loss or damage, and borrower and archivists of an overdue loan (催还, R-P5). Every text names
// a record, so it carries the request's effective secrecy (R-P9): approvers are only those
// cleared for it, and anyone else below it is told without the record's title.

/** Department managers of the department and of every department above it. */
async function managersOf(db: Db, departmentId: string | null): Promise<string[]> {
  if (!departmentId) return [];
  const tree = await db
    .withRecursive('up(id, parent_id)', (qb) =>
      qb
        .selectFrom('departments')
        .select(['id', 'parent_id'])
        .where('id', '=', departmentId)
        .unionAll((q) =>
          q
            .selectFrom('departments as d')
            .innerJoin('up', 'up.parent_id', 'd.id')
            .select(['d.id', 'd.parent_id']),
        ),
    )
    .selectFrom('up')
    .select('id')
    .execute();
  const rows = await db
    .selectFrom('users as u')
    .innerJoin('user_roles as r', 'r.user_id', 'u.id')
    .select('u.id')
    .distinct()
    .where('u.active', '=', 1)
    .where('r.role', '=', 'department_manager')
    .where(
      'u.department_id',
      'in',
      tree.map((d) => d.id),
    )
    .execute();
  return rows.map((r) => r.id);
}

/**
 * Who may take a step of a request of this effective secrecy: the active holders of its role —
 * for a department manager's step, the managers of the requester's department or one above it —
 * who are cleared for every item (R-P1), never the requester.
 */
export async function approversOf(
  db: Db,
  role: Step['role'],
  row: Pick<AccessRequestTable, 'requester_id' | 'requester_department_id'>,
  secrecy: number,
): Promise<string[]> {
  const holders =
    role === 'department_manager'
      ? await managersOf(db, row.requester_department_id)
      : await activeUsersWithRoles(db, [role]);
  return clearedFor(
    db,
    holders.filter((p) => p !== row.requester_id),
    secrecy,
  );
}

/** Tells the people who may take the step that a request waits for them. */
export async function notifyStep(
  t: TxCtx,
  row: Pick<AccessRequestTable, 'id' | 'number' | 'requester_id' | 'requester_department_id'>,
  step: Step | undefined,
  /** The request's records as texts name them (「… 等 2 件」). */
  what: string,
  secrecy: number,
): Promise<void> {
  if (!step) return;
  await notify(t, await approversOf(t.db, step.role, row, secrecy), {
    kind: 'lending.approval',
    title: `待审批：${row.number} ${what}`,
    body: step.label,
    link: `/lending/requests/${row.id}`,
    secrecy,
  });
}

export async function notifyRequester(
  t: TxCtx,
  row: Pick<AccessRequestTable, 'id' | 'number' | 'requester_id'>,
  title: string,
  body: string | null,
  secrecy: number,
): Promise<void> {
  await notify(t, [row.requester_id], {
    kind: 'lending.decision',
    title: `${row.number} ${title}`,
    body,
    link: `/lending/requests/${row.id}`,
    secrecy,
  });
}

/** Tells the archivists; those cleared below the record read only what is to be done. */
export async function notifyArchivists(
  t: TxCtx,
  text: { title: string; body?: string | null },
  link: string,
  secrecy: number,
): Promise<void> {
  await notifyCleared(
    t,
    ['archivist'],
    { kind: 'lending.desk', title: text.title, body: text.body ?? null, link },
    secrecy,
  );
}

export async function notifyManagement(
  t: TxCtx,
  text: { title: string; body: string },
  link: string,
  secrecy: number,
): Promise<void> {
  await notifyCleared(t, ['general_manager'], { kind: 'lending.incident', ...text, link }, secrecy);
}

/**
 * Desk work and incidents go only to the holders of the role cleared for the records: the
 * others could not act on them, and even a neutral note would tell them that a record above
 * their clearance is lent, and to whom (R-P1).
 */
async function notifyCleared(
  t: TxCtx,
  roles: Role[],
  n: { kind: string; title: string; body: string | null; link: string },
  secrecy: number,
): Promise<void> {
  const people = await clearedFor(t.db, await activeUsersWithRoles(t.db, roles), secrecy);
  await notify(t, people, { ...n, secrecy });
}

/** The scheduler's daily `lending_reminders`: expired access closed, overdue loans chased. */
export async function lendingDaily(ctx: Ctx): Promise<{ reminded: number; closed: number }> {
  const { closed } = await closeExpired(ctx);
  const { reminded } = await sendReminders(ctx);
  return { reminded, closed };
}

/** Overdue loans: the borrower and the archivists are reminded (R-P5). */
export async function sendReminders(ctx: Ctx): Promise<{ reminded: number }> {
  const sent = await chaseOverdue(ctx, async (loan: Loan & { secrecy: number }, overdueDays: number) => {
    await tx(ctx, async (t) => {
      const late = overdueDays > 0;
      const title = late
        ? `催还：${loan.label} 已超期 ${overdueDays} 个工作日（应还 ${loan.dueDate}）`
        : `今日应还：${loan.label}`;
      await notify(t, [loan.borrower.id], {
        kind: 'lending.overdue',
        title,
        body: loan.requestNumber,
        link: '/lending/desk?tab=out',
        secrecy: loan.secrecy,
      });
      await notifyArchivists(
        t,
        {
          title: `${title} · ${loan.borrower.name}`,
          body: loan.requestNumber,
        },
        '/lending/desk?tab=overdue',
        loan.secrecy,
      );
    });
  });
  return { reminded: sent.length };
}
