import type { Loan } from '../../../common/schemas/lending.js';
import type { Db } from '../../db/index.js';
import type { AccessRequestTable } from '../../db/types.js';
import { type Ctx, type TxCtx, tx } from '../../platform/context.js';
import { activeUsersWithRoles, notify } from '../../platform/notify.js';
import { closeExpired } from './approvals.js';
import { chaseOverdue } from './loans.js';
import type { Step } from './requests.js';

// Who hears of what in lending (R-W2): the approvers of the step waiting now, the requester when
// their request is decided, the archivist when paper is to be issued, the general manager of
// loss or damage, and borrower and archivists of an overdue loan (催还, R-P5).

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

/** Tells the people who may take the step that a request waits for them. */
export async function notifyStep(
  t: TxCtx,
  row: Pick<AccessRequestTable, 'id' | 'number' | 'requester_id' | 'requester_department_id'>,
  step: Step | undefined,
  first: string,
): Promise<void> {
  if (!step) return;
  const people =
    step.role === 'department_manager'
      ? await managersOf(t.db, row.requester_department_id)
      : await activeUsersWithRoles(t.db, [step.role]);
  await notify(
    t,
    people.filter((p) => p !== row.requester_id),
    {
      kind: 'lending.approval',
      title: `待审批：${row.number} ${first}`,
      body: step.label,
      link: `/lending/requests/${row.id}`,
    },
  );
}

export async function notifyRequester(
  t: TxCtx,
  row: Pick<AccessRequestTable, 'id' | 'number' | 'requester_id'>,
  title: string,
  body: string | null = null,
): Promise<void> {
  await notify(t, [row.requester_id], {
    kind: 'lending.decision',
    title: `${row.number} ${title}`,
    body,
    link: `/lending/requests/${row.id}`,
  });
}

export async function notifyArchivists(
  t: TxCtx,
  title: string,
  link: string,
  body: string | null = null,
): Promise<void> {
  await notify(t, await activeUsersWithRoles(t.db, ['archivist']), {
    kind: 'lending.desk',
    title,
    body,
    link,
  });
}

export async function notifyManagement(t: TxCtx, title: string, body: string, link: string): Promise<void> {
  await notify(t, await activeUsersWithRoles(t.db, ['general_manager']), {
    kind: 'lending.incident',
    title,
    body,
    link,
  });
}

/** The scheduler's daily `lending_reminders`: expired access closed, overdue loans chased. */
export async function lendingDaily(ctx: Ctx): Promise<{ reminded: number; closed: number }> {
  const { closed } = await closeExpired(ctx);
  const { reminded } = await sendReminders(ctx);
  return { reminded, closed };
}

/** Overdue loans: the borrower and the archivists are reminded (R-P5). */
export async function sendReminders(ctx: Ctx): Promise<{ reminded: number }> {
  const sent = await chaseOverdue(ctx, async (loan: Loan, overdueDays: number) => {
    await tx(ctx, async (t) => {
      const title =
        overdueDays > 0
          ? `催还：${loan.label} 已超期 ${overdueDays} 个工作日（应还 ${loan.dueDate}）`
          : `今日应还：${loan.label}`;
      await notify(t, [loan.borrower.id], {
        kind: 'lending.overdue',
        title,
        body: loan.requestNumber,
        link: '/lending/desk?tab=out',
      });
      await notifyArchivists(
        t,
        `${title} · ${loan.borrower.name}`,
        '/lending/desk?tab=overdue',
        loan.requestNumber,
      );
    });
  });
  return { reminded: sent.length };
}
