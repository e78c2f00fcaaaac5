import { sql } from 'kysely';
import type { ActionKind, ActionStatus } from '../../../common/actions.js';
import { actionOverdue } from '../../../common/actions.js';
import type { ActionItem } from '../../../common/schemas/actions.js';
import type { Db } from '../../db/index.js';
import type { CorrectiveActionTable } from '../../db/types.js';
import { targetSecrecy } from '../../platform/policy/records.js';

// The SQL of corrective and preventive actions; no rules here.

/** Actions (aliased `a`) with the names of the people and department they name. */
export function actionsFrom(db: Db) {
  return db
    .selectFrom('corrective_actions as a')
    .leftJoin('users as uo', 'uo.id', 'a.owner_id')
    .leftJoin('users as ud', 'ud.id', 'a.done_by')
    .leftJoin('users as uv', 'uv.id', 'a.verified_by')
    .leftJoin('users as uc', 'uc.id', 'a.created_by')
    .leftJoin('departments as dep', 'dep.id', 'a.department_id')
    .selectAll('a')
    .select([
      'uo.name as owner_name',
      'ud.name as done_by_name',
      'uv.name as verified_by_name',
      'uc.name as created_by_name',
      'dep.name as department_name',
      // The one definition of an action's effective secrecy (its source's, now).
      targetSecrecy(sql.lit('corrective_action'), sql.ref('a.id')).as('effective_secrecy'),
    ]);
}
export type ActionQuery = ReturnType<typeof actionsFrom>;

export type ActionRow = CorrectiveActionTable & {
  owner_name: string | null;
  done_by_name: string | null;
  verified_by_name: string | null;
  created_by_name: string | null;
  department_name: string | null;
  effective_secrecy: number | string;
};

const person = (id: string | null, name: string | null) => (id ? { id, name: name ?? id } : null);

export function itemOf(row: ActionRow, today: string): ActionItem {
  const status = row.status as ActionStatus;
  return {
    id: row.id,
    kind: row.kind as ActionKind,
    description: row.description,
    owner: person(row.owner_id, row.owner_name),
    dueDays: Number(row.due_days),
    dueDate: row.due_date,
    status,
    overdue: actionOverdue({ status, dueDate: row.due_date }, today),
    result: row.result,
    doneAt: row.done_at,
    doneBy: person(row.done_by, row.done_by_name),
    verification: row.verification,
    verifiedAt: row.verified_at,
    verifiedBy: person(row.verified_by, row.verified_by_name),
    createdAt: row.created_at,
    createdBy: person(row.created_by, row.created_by_name),
  };
}

/** The actions of one source, oldest first (one query). The caller has checked the source is visible. */
export async function actionsOfSource(db: Db, sourceType: string, sourceId: string): Promise<ActionRow[]> {
  return (await actionsFrom(db)
    .where('a.source_type', '=', sourceType)
    .where('a.source_id', '=', sourceId)
    .orderBy('a.created_at')
    .orderBy('a.id')
    .execute()) as ActionRow[];
}
