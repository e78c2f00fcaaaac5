import type { Readable } from 'node:stream';
import type { DocumentListItem, DocumentListQuery } from '../../../common/schemas/documents.js';
import {
  type CreateProjectInput,
  PROJECT_STATUS_LABELS,
  type Project,
  type ProjectIndex,
  type ProjectStatus,
  type UpdateProjectInput,
} from '../../../common/schemas/projects.js';
import type { Db } from '../../db/index.js';
import type { ProjectTable } from '../../db/types.js';
import { appendAudit } from '../../platform/audit/chain.js';
import { type Ctx, nowIso, type TxCtx, tx } from '../../platform/context.js';
import type { CsvEncoding } from '../../platform/csv.js';
import { DomainError, FieldErrors, type FieldProblem, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { authorize, can } from '../../platform/policy/index.js';
import { caseVisible, orderVisible, requirementVisible } from '../../platform/policy/records.js';
import { loadDocumentSettings, retentionProblem } from '../documents/config.js';
import { exportRegister, type RegisterFormat } from '../documents/registers.js';
import { filteredDocuments, listDocuments } from '../documents/service.js';
import * as repo from './repo.js';
import {
  assertEditable,
  findVisible,
  type Reader,
  reader,
  recordCustomerEvent,
  resourceOf,
} from './service.js';

// 项目档案 (seed 002: 同一客户的不同项目档案应分别整理，但需建立关联索引): projects inside a customer
// archive. Whoever sees the archive sees its projects; whoever may change the archive manages
// them ('customer.update'). Each change is in the archive's history and the audit trail, at the
// archive's level (target customer). A project's catalogue is the documents linked to it, as the
// documents list shows them (the reader's clearance, effective secrecy, R-P9).

type Archive = repo.CustomerRow;

async function resource(r: Reader, row: Archive, db: Db) {
  const owners = (await repo.ownersOf(db, [row.id])).get(row.id) ?? [];
  return resourceOf(
    r,
    row,
    owners.map((o) => o.id),
  );
}

async function toProjects(r: Reader, archive: Archive, rows: ProjectTable[]): Promise<Project[]> {
  const ownerIds = [...new Set(rows.map((p) => p.owner_id).filter((id): id is string => !!id))];
  const users = ownerIds.length
    ? await r.ctx.db.selectFrom('users').select(['id', 'name']).where('id', 'in', ownerIds).execute()
    : [];
  const names = new Map(users.map((u) => [u.id, u.name]));
  const mayUpdate =
    can(r.ctx.actor, 'customer.update', await resource(r, archive, r.ctx.db)) &&
    archive.status !== 'merged' &&
    archive.status !== 'inactive';
  return rows.map((p) => ({
    id: p.id,
    customer: { id: archive.id, archiveCode: archive.archive_code, name: archive.name },
    name: p.name,
    code: p.code,
    startDate: p.start_date,
    endDate: p.end_date,
    owner: p.owner_id ? { id: p.owner_id, name: names.get(p.owner_id) ?? '' } : null,
    retention: p.retention,
    status: p.status as ProjectStatus,
    remarks: p.remarks,
    closedAt: p.closed_at,
    createdAt: p.created_at,
    updatedAt: p.updated_at,
    can: { update: mayUpdate },
  }));
}

/** The project with its archive, if the reader sees the archive; otherwise 404. */
async function findProject(
  r: Reader,
  id: string,
  db: Db = r.ctx.db,
): Promise<{ p: ProjectTable; archive: Archive }> {
  const p = await db.selectFrom('projects').selectAll().where('id', '=', id).executeTakeFirst();
  if (!p) throw notFound();
  const archive = await findVisible(r, p.customer_id, db);
  return { p, archive };
}

async function editable(r: Reader, t: TxCtx, archive: Archive): Promise<void> {
  authorize(r.ctx, 'customer.update', {
    type: 'customer',
    id: archive.id,
    resource: await resource(r, archive, t.db),
  });
  assertEditable(r.ctx, archive);
}

/** Rules zod cannot know: the code unique in the archive, the owner an active user, the
 * retention one the document settings use, the end not before the start. */
async function check(
  t: TxCtx,
  archive: Pick<Archive, 'id' | 'secrecy'>,
  input: Partial<CreateProjectInput>,
  current?: ProjectTable,
): Promise<void> {
  const customerId = archive.id;
  const problems: FieldProblem[] = [];
  if (input.code !== undefined && input.code !== current?.code) {
    const taken = await t.db
      .selectFrom('projects')
      .select('id')
      .where('customer_id', '=', customerId)
      .where('code', '=', input.code)
      .executeTakeFirst();
    if (taken) problems.push({ field: 'code', key: 'project_code_taken', params: { value: input.code } });
  }
  if (input.ownerId && input.ownerId !== current?.owner_id) {
    const user = await t.db
      .selectFrom('users')
      .select(['id', 'name', 'clearance'])
      .where('id', '=', input.ownerId)
      .where('active', '=', 1)
      .executeTakeFirst();
    if (!user) problems.push({ field: 'ownerId', key: 'lookup', params: { value: input.ownerId } });
    // The owner reads the project's records: cleared for the archive's level (R-P1).
    else if (Number(user.clearance) < Number(archive.secrecy))
      problems.push({ field: 'ownerId', key: 'project_owner_clearance', params: { name: user.name } });
  }
  if (input.retention) {
    const problem = retentionProblem(await loadDocumentSettings(t.db), input.retention);
    if (problem) problems.push(problem);
  }
  const start = input.startDate !== undefined ? input.startDate : (current?.start_date ?? null);
  const end = input.endDate !== undefined ? input.endDate : (current?.end_date ?? null);
  if (start && end && end < start)
    problems.push({ field: 'endDate', key: 'date_order', params: { date: start } });
  if (problems.length) throw new FieldErrors(problems);
}

const summary = (p: Pick<ProjectTable, 'code' | 'name' | 'status'>) => ({
  code: p.code,
  name: p.name,
  status: p.status,
});

async function audit(
  t: TxCtx,
  archive: Archive,
  action: string,
  projectId: string,
  details: Record<string, unknown>,
): Promise<void> {
  await appendAudit(t, {
    action,
    targetType: 'customer',
    targetId: archive.id,
    targetLabel: `${archive.archive_code} ${archive.name}`,
    secrecy: archive.secrecy,
    details: { projectId, ...details },
  });
}

async function touch(t: TxCtx, customerId: string, now: string): Promise<void> {
  await t.db
    .updateTable('customers')
    .set({ updated_at: now, updated_by: t.actor?.id ?? 'system' })
    .where('id', '=', customerId)
    .execute();
}

// Reading ---------------------------------------------------------------------------------------

export async function listProjects(ctx: Ctx, customerId: string): Promise<Project[]> {
  const r = await reader(ctx);
  const archive = await findVisible(r, customerId);
  const rows = await ctx.db
    .selectFrom('projects')
    .selectAll()
    .where('customer_id', '=', customerId)
    .orderBy('code')
    .limit(1000)
    .execute();
  return toProjects(r, archive, rows);
}

export async function getProject(ctx: Ctx, id: string): Promise<Project> {
  const r = await reader(ctx);
  const { p, archive } = await findProject(r, id);
  await appendAudit(ctx, {
    action: 'customer.project_read',
    targetType: 'customer',
    targetId: archive.id,
    targetLabel: `${archive.archive_code} ${archive.name}`,
    secrecy: archive.secrecy,
    details: { projectId: id },
  });
  return (await toProjects(r, archive, [p]))[0] as Project;
}

/** 卷内目录: the project's documents, as the documents list shows them (keyset pages). */
export async function projectCatalogue(
  ctx: Ctx,
  id: string,
  query: Omit<DocumentListQuery, 'customerId' | 'projectId'>,
): Promise<{ items: DocumentListItem[]; nextCursor: string | null }> {
  const r = await reader(ctx);
  const { p } = await findProject(r, id);
  return listDocuments(ctx, { ...query, customerId: p.customer_id, projectId: p.id });
}

/** 归档文件目录 of one project (R-D3), as .xlsx or CSV: its filed documents the reader may see. */
export async function exportProjectCatalogue(
  ctx: Ctx,
  id: string,
  format: RegisterFormat,
  encoding: CsvEncoding,
): Promise<{ stream: Readable; code: string; archiveCode: string }> {
  const r = await reader(ctx);
  const { p, archive } = await findProject(r, id);
  const stream = await exportRegister(
    ctx,
    'filed',
    { customerId: p.customer_id, projectId: p.id },
    false,
    format,
    encoding,
  );
  return { stream, code: p.code, archiveCode: archive.archive_code };
}

/** 关联索引: per project, how many of the records the reader may see are linked to it, and how
 * many of the archive's are linked to none. */
export async function projectIndex(ctx: Ctx, customerId: string): Promise<ProjectIndex> {
  const r = await reader(ctx);
  await findVisible(r, customerId);
  const projects = await ctx.db
    .selectFrom('projects')
    .select(['id', 'code', 'name', 'status'])
    .where('customer_id', '=', customerId)
    .orderBy('code')
    .limit(1000)
    .execute();
  // Each module's own visibility decides what is counted (R-P1: nothing above the reader's
  // clearance, not even in a count).
  const { actor } = r.ctx;
  const now = ctx.now();
  const tally = (rows: { project_id?: string | null; n: number | string }[]) =>
    new Map(rows.map((c) => [c.project_id ?? '', Number(c.n)]));
  const [documents, orders, requirements, cases] = await Promise.all([
    filteredDocuments(r, { customerId })
      .select((eb) => ['d.project_id', eb.fn.countAll<number>().as('n')])
      .groupBy('d.project_id')
      .execute()
      .then(tally),
    ctx.db
      .selectFrom('orders as o')
      .innerJoin('customers as c', 'c.id', 'o.customer_id')
      .where('o.customer_id', '=', customerId)
      .where(orderVisible(actor, r.scope, now))
      .select((eb) => ['o.project_id', eb.fn.countAll<number>().as('n')])
      .groupBy('o.project_id')
      .execute()
      .then(tally),
    ctx.db
      .selectFrom('sr_requirements as r')
      .innerJoin('customers as c', 'c.id', 'r.customer_id')
      .where('r.customer_id', '=', customerId)
      .where(requirementVisible(actor, r.scope, now))
      .select((eb) => ['r.project_id', eb.fn.countAll<number>().as('n')])
      .groupBy('r.project_id')
      .execute()
      .then(tally),
    ctx.db
      .selectFrom('cases as k')
      .innerJoin('customers as c', 'c.id', 'k.customer_id')
      .where('k.customer_id', '=', customerId)
      .where(caseVisible(actor, r.scope, now))
      .select((eb) => ['k.project_id', eb.fn.countAll<number>().as('n')])
      .groupBy('k.project_id')
      .execute()
      .then(tally),
  ]);
  const countsOf = (key: string) => ({
    documents: documents.get(key) ?? 0,
    orders: orders.get(key) ?? 0,
    requirements: requirements.get(key) ?? 0,
    cases: cases.get(key) ?? 0,
  });
  return {
    projects: projects.map((p) => ({
      id: p.id,
      code: p.code,
      name: p.name,
      status: p.status as ProjectStatus,
      counts: countsOf(p.id),
    })),
    unlinked: countsOf(''),
  };
}

// Changing --------------------------------------------------------------------------------------

export async function createProject(
  ctx: Ctx,
  customerId: string,
  input: CreateProjectInput,
): Promise<Project> {
  const r = await reader(ctx);
  const id = newId();
  await tx(ctx, async (t) => {
    const archive = await findVisible(r, customerId, t.db);
    await editable(r, t, archive);
    await check(t, archive, input);
    const now = nowIso(t);
    const actorId = r.ctx.actor.id;
    const row: ProjectTable = {
      id,
      customer_id: customerId,
      name: input.name,
      code: input.code,
      start_date: input.startDate,
      end_date: input.endDate,
      owner_id: input.ownerId ?? null,
      retention: input.retention ?? null,
      status: 'active',
      remarks: input.remarks,
      closed_at: null,
      closed_by: null,
      created_at: now,
      created_by: actorId,
      updated_at: now,
      updated_by: actorId,
    };
    await t.db.insertInto('projects').values(row).execute();
    await touch(t, customerId, now);
    await recordCustomerEvent(t, customerId, {
      kind: 'project',
      field: 'project',
      oldValue: null,
      newValue: summary(row),
    });
    await audit(t, archive, 'customer.project_create', id, { code: input.code, name: input.name });
  });
  return getQuiet(ctx, id);
}

const FIELDS = {
  name: 'name',
  code: 'code',
  startDate: 'start_date',
  endDate: 'end_date',
  ownerId: 'owner_id',
  retention: 'retention',
  remarks: 'remarks',
} as const satisfies Record<keyof UpdateProjectInput, keyof ProjectTable>;

export async function updateProject(ctx: Ctx, id: string, input: UpdateProjectInput): Promise<Project> {
  const r = await reader(ctx);
  await tx(ctx, async (t) => {
    const { p, archive } = await findProject(r, id, t.db);
    await editable(r, t, archive);
    if (p.status === 'closed') throw new DomainError('project_closed_edit', 409);
    await check(t, archive, input, p);
    const set: Partial<ProjectTable> = {};
    const changes: { field: string; from: unknown; to: unknown }[] = [];
    for (const [field, column] of Object.entries(FIELDS) as [
      keyof UpdateProjectInput,
      keyof ProjectTable,
    ][]) {
      const value = input[field];
      if (value === undefined) continue;
      const next = value ?? null;
      if (p[column] === next) continue;
      (set as Record<string, unknown>)[column] = next;
      changes.push({ field, from: p[column], to: next });
    }
    if (changes.length === 0) return;
    const now = nowIso(t);
    await t.db
      .updateTable('projects')
      .set({ ...set, updated_at: now, updated_by: r.ctx.actor.id })
      .where('id', '=', id)
      .execute();
    await touch(t, p.customer_id, now);
    await recordCustomerEvent(t, p.customer_id, {
      kind: 'project',
      field: 'project_update',
      oldValue: { ...summary(p), changes: changes.map((c) => ({ field: c.field, value: c.from })) },
      newValue: {
        ...summary({ ...p, ...set }),
        changes: changes.map((c) => ({ field: c.field, value: c.to })),
      },
    });
    await audit(t, archive, 'customer.project_update', id, { code: p.code, changes });
  });
  return getQuiet(ctx, id);
}

/** 关闭/重新打开: a closed project takes no new records; what is linked stays linked. */
export async function setProjectStatus(
  ctx: Ctx,
  id: string,
  to: ProjectStatus,
  note: string | null,
): Promise<Project> {
  const r = await reader(ctx);
  await tx(ctx, async (t) => {
    const { p, archive } = await findProject(r, id, t.db);
    await editable(r, t, archive);
    if (p.status === to)
      throw new DomainError('project_status_unchanged', 409, { status: PROJECT_STATUS_LABELS[to][ctx.lang] });
    const now = nowIso(t);
    await t.db
      .updateTable('projects')
      .set({
        status: to,
        closed_at: to === 'closed' ? now : null,
        closed_by: to === 'closed' ? r.ctx.actor.id : null,
        updated_at: now,
        updated_by: r.ctx.actor.id,
      })
      .where('id', '=', id)
      .execute();
    await touch(t, p.customer_id, now);
    await recordCustomerEvent(t, p.customer_id, {
      kind: 'project',
      field: to === 'closed' ? 'project_closed' : 'project_reopened',
      oldValue: summary(p),
      newValue: summary({ ...p, status: to }),
      note,
    });
    await audit(t, archive, to === 'closed' ? 'customer.project_close' : 'customer.project_reopen', id, {
      code: p.code,
      note,
    });
  });
  return getQuiet(ctx, id);
}

/** The project after a change, without a read entry in the trail (the change has one). */
async function getQuiet(ctx: Ctx, id: string): Promise<Project> {
  const r = await reader(ctx);
  const { p, archive } = await findProject(r, id);
  return (await toProjects(r, archive, [p]))[0] as Project;
}
