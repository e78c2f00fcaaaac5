import type { Db } from '../../db/index.js';
import type { FieldProblem } from '../../platform/errors.js';

// 项目档案: what a record linking to a project must hold to (seed 002). Used by the modules whose
// records link to a project (documents now; orders, requirements and cases when they do), so
// that the rule lives once: the project is one of the record's own customer archive, and open.

/**
 * The problem with linking a record of `customerId` to `projectId`, or null. `newLink`: the link
 * is being made now (a closed project takes no new records; one that stays linked may).
 */
export async function projectLinkProblem(
  db: Db,
  projectId: string,
  customerId: string | null | undefined,
  newLink: boolean,
  field = 'projectId',
): Promise<FieldProblem | null> {
  const project = await db
    .selectFrom('projects')
    .select(['id', 'customer_id', 'code', 'status'])
    .where('id', '=', projectId)
    .executeTakeFirst();
  if (!project) return { field, key: 'lookup', params: { value: projectId } };
  if (!customerId || project.customer_id !== customerId) return { field, key: 'project_other_archive' };
  if (newLink && project.status === 'closed')
    return { field, key: 'project_closed', params: { value: project.code } };
  return null;
}

/** How a record's history names its project: 项目编号 and name, or null for none. */
export async function projectLabel(db: Db, projectId: string | null | undefined): Promise<string | null> {
  if (!projectId) return null;
  const p = await db
    .selectFrom('projects')
    .select(['code', 'name'])
    .where('id', '=', projectId)
    .executeTakeFirst();
  return p ? `${p.code} ${p.name}` : projectId;
}
