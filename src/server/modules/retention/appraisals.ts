import { secrecyFromRank } from '../../../common/enums.js';
import { extendedDue, groupDecision } from '../../../common/retention.js';
import type {
  Appraisal,
  AppraisalItem,
  AppraisalSummary,
  CreateAppraisalInput,
  OpinionsInput,
} from '../../../common/schemas/retention.js';
import { todayInShanghai } from '../../../common/time.js';
import type { Db } from '../../db/index.js';
import { appendAudit } from '../../platform/audit/chain.js';
import { type Actor, type Ctx, nowIso, tx } from '../../platform/context.js';
import { DomainError, FieldErrors, type FieldProblem, notFound } from '../../platform/errors.js';
import { cursorValue, decodeCursor, encodeCursor } from '../../platform/http.js';
import { newId } from '../../platform/ids.js';
import { notify } from '../../platform/notify.js';
import { nextCode } from '../../platform/numbering.js';
import { assertReadable, authorize, authorizeRecord, can } from '../../platform/policy/index.js';
import { documentWithinClearance, secrecyOfDocuments } from '../../platform/policy/records.js';
import type { BlobStore } from '../../platform/storage.js';
import { loadDocumentSettings } from '../documents/config.js';
import * as files from '../documents/files.js';
import * as documentRepo from '../documents/repo.js';
import * as documents from '../documents/service.js';
import { dueDocuments } from './due.js';
import { isHeld } from './hold-query.js';
import { appraisalReport, fileReport, storeReport } from './reports.js';

// Appraisal (鉴定, R-X2): the archivist opens a batch of due records and names the appraisal
// group (archive and business department people). Each member records, per item, keep (with a
// new term and a reason) or destroy. When every opinion is in, the archivist concludes: an item
// is destroyed only when every member said so, otherwise it is kept with the term that keeps it
// longest. The batch's report (鉴定报告) is registered as a permanent record.

const NUMBER_PATTERN = 'JD{yyyy}-{seq:3}';
const MAX_ITEMS = 1000;

interface Member {
  userId: string;
  name: string;
  departmentName: string | null;
  side: 'archive' | 'business';
  clearance: number;
}

async function membersOf(db: Db, appraisalId: string): Promise<Member[]> {
  const rows = await db
    .selectFrom('appraisal_members as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .leftJoin('departments as dep', 'dep.id', 'u.department_id')
    .select(['m.user_id', 'm.side', 'u.name', 'u.clearance', 'dep.name as department_name'])
    .where('m.appraisal_id', '=', appraisalId)
    .orderBy('m.side')
    .orderBy('u.name')
    .execute();
  return rows.map((r) => ({
    userId: r.user_id,
    name: r.name,
    departmentName: r.department_name,
    side: r.side as Member['side'],
    clearance: Number(r.clearance),
  }));
}

export async function createAppraisal(ctx: Ctx, input: CreateAppraisalInput): Promise<Appraisal> {
  authorize(ctx, 'retention.appraise', { type: 'appraisal' });
  const r = await documents.reader(ctx);
  const id = await tx(ctx, async (t) => {
    const memberIds = [...new Set(input.memberIds)];
    const users = await t.db
      .selectFrom('users as u')
      .select(['u.id', 'u.name', 'u.active', 'u.clearance'])
      .select((eb) =>
        eb
          .exists(
            eb
              .selectFrom('user_roles as ur')
              .select('ur.role')
              .whereRef('ur.user_id', '=', 'u.id')
              .where('ur.role', '=', 'archivist'),
          )
          .as('archivist'),
      )
      .where('u.id', 'in', memberIds)
      .execute();
    const problems: FieldProblem[] = memberIds
      .map((m, i) => ({ m, i }))
      .filter(({ m }) => !users.some((u) => u.id === m))
      .map(({ m, i }) => ({ field: `memberIds.${i}`, key: 'lookup' as const, params: { value: m } }));
    if (problems.length) throw new FieldErrors(problems);
    const inactive = users.find((u) => !u.active);
    if (inactive)
      throw new DomainError('appraisal_member_inactive', 422, { name: inactive.name }, 'memberIds');
    const sides = users.map((u) => (Number(u.archivist) ? 'archive' : 'business'));
    if (!sides.includes('archive') || !sides.includes('business'))
      throw new DomainError('appraisal_members', 422, {}, 'memberIds');

    const today = todayInShanghai(t.now());
    const due = dueDocuments({ ...r, ctx: { ...r.ctx, db: t.db } }, input.filter ?? {}, today);
    let docs: { id: string; title: string; retention: string; retention_due: string | null }[];
    if (input.documentIds?.length) {
      const wanted = [...new Set(input.documentIds)];
      docs = await due
        .select(['d.id', 'd.title', 'd.retention', 'd.retention_due'])
        .where('d.id', 'in', wanted)
        .orderBy('d.retention_due')
        .orderBy('d.search_key')
        .execute();
      if (docs.length < wanted.length) {
        const missing = wanted.filter((w) => !docs.some((d) => d.id === w));
        const titles = await documents
          .filteredDocuments({ ...r, ctx: { ...r.ctx, db: t.db } }, {})
          .select('d.title')
          .where('d.id', 'in', missing.slice(0, 5))
          .execute();
        throw new DomainError('appraisal_not_due', 422, {
          titles: titles.map((x) => x.title).join('、') || missing.length,
        });
      }
    } else {
      docs = await due
        .select(['d.id', 'd.title', 'd.retention', 'd.retention_due'])
        .orderBy('d.retention_due')
        .orderBy('d.search_key')
        .limit(MAX_ITEMS)
        .execute();
      if (docs.length === 0) throw new DomainError('appraisal_nothing_due', 422);
    }
    // Nobody in the group may be shown a record above their clearance (R-P1).
    const secrecy = await secrecyOfDocuments(
      t.db,
      docs.map((d) => d.id),
    );
    for (const u of users) {
      const above = docs.filter((d) => (secrecy.get(d.id) ?? 0) > Number(u.clearance)).length;
      if (above > 0)
        throw new DomainError('appraisal_member_clearance', 422, { name: u.name, count: above }, 'memberIds');
    }

    const appraisalId = newId();
    const number = await nextCode(t, 'appraisal', NUMBER_PATTERN, { date: today });
    const now = nowIso(t);
    await t.db
      .insertInto('appraisals')
      .values({
        id: appraisalId,
        number,
        title: input.title,
        status: 'open',
        note: input.note,
        created_at: now,
        created_by: r.ctx.actor.id,
        concluded_at: null,
        concluded_by: null,
        report_document_id: null,
      })
      .execute();
    await t.db
      .insertInto('appraisal_members')
      .values(users.map((u, i) => ({ appraisal_id: appraisalId, user_id: u.id, side: sides[i] as string })))
      .execute();
    for (let i = 0; i < docs.length; i += 200) {
      await t.db
        .insertInto('appraisal_items')
        .values(
          docs.slice(i, i + 200).map((d, j) => ({
            id: newId(),
            appraisal_id: appraisalId,
            document_id: d.id,
            seq: i + j + 1,
            due: d.retention_due,
            retention: d.retention,
            outcome: null,
            new_retention: null,
            new_due: null,
            reason: null,
            disposal_id: null,
          })),
        )
        .execute();
    }
    await notify(
      t,
      memberIds.filter((m) => m !== r.ctx.actor.id),
      {
        kind: 'retention.appraisal',
        title: `请填写鉴定意见：${number} ${input.title}`,
        body: `共 ${docs.length} 件到期档案`,
        link: `/retention/appraisals/${appraisalId}`,
        // Every member is cleared for every item (checked above).
        secrecy: Math.max(0, ...secrecy.values()),
      },
    );
    await appendAudit(t, {
      action: 'appraisal.create',
      targetType: 'appraisal',
      targetId: appraisalId,
      targetLabel: `${number} ${input.title}`,
      secrecy: Math.max(0, ...secrecy.values()),
      details: { number, members: memberIds, documentIds: docs.map((d) => d.id) },
    });
    return appraisalId;
  });
  return getAppraisal(ctx, id);
}

async function findAppraisal(db: Db, id: string) {
  const row = await db.selectFrom('appraisals').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound();
  return row;
}

/** The batch's items within the reader's clearance, with the record's fields and held flag. */
async function itemsOf(db: Db, actor: Actor, appraisalId: string): Promise<AppraisalItem[]> {
  const rows = await documentRepo
    .withNames(documentRepo.documentsFrom(db))
    .innerJoin('appraisal_items as ai', 'ai.document_id', 'd.id')
    .select([
      'ai.id as item_id',
      'ai.seq',
      'ai.due as item_due',
      'ai.retention as item_retention',
      'ai.outcome',
      'ai.new_retention',
      'ai.new_due',
      'ai.reason',
    ])
    .select((eb) => isHeld(eb).as('held'))
    .where('ai.appraisal_id', '=', appraisalId)
    .where(documentWithinClearance(actor))
    .orderBy('ai.seq')
    .execute();
  const opinions = await db
    .selectFrom('appraisal_opinions')
    .selectAll()
    .where('appraisal_id', '=', appraisalId)
    .orderBy('at')
    .execute();
  const byItem = new Map<string, typeof opinions>();
  for (const o of opinions) byItem.set(o.item_id, [...(byItem.get(o.item_id) ?? []), o]);
  return rows.map((row) => ({
    id: row.item_id,
    seq: Number(row.seq),
    documentId: row.id,
    title: row.title,
    docNumber: row.doc_number,
    archiveNo: row.archive_no,
    categoryName: row.category_name,
    departmentName: row.department_name,
    retention: row.item_retention,
    due: row.item_due,
    recordYear: row.record_year === null ? null : Number(row.record_year),
    secrecy: secrecyFromRank(Number(row.secrecy)),
    carrier: row.carrier as AppraisalItem['carrier'],
    held: !!Number(row.held),
    outcome: row.outcome as AppraisalItem['outcome'],
    newRetention: row.new_retention,
    newDue: row.new_due,
    reason: row.reason,
    opinions: (byItem.get(row.item_id) ?? []).map((o) => ({
      userId: o.user_id,
      decision: o.decision as 'keep' | 'destroy',
      retention: o.retention,
      due: o.due,
      reason: o.reason,
      at: o.at,
    })),
  }));
}

async function userName(db: Db, id: string | null) {
  if (!id) return null;
  const u = await db.selectFrom('users').select(['id', 'name']).where('id', '=', id).executeTakeFirst();
  return u ? { id: u.id, name: u.name } : { id, name: id };
}

export async function getAppraisal(ctx: Ctx, id: string): Promise<Appraisal> {
  const row = await findAppraisal(ctx.db, id);
  const members = await membersOf(ctx.db, id);
  const memberIds = members.map((m) => m.userId);
  assertReadable(ctx, { type: 'appraisal', id, resource: { memberIds }, read: 'appraisal.read' });
  const items = await itemsOf(ctx.db, ctx.actor, id);
  await appendAudit(ctx, {
    action: 'appraisal.read',
    targetType: 'appraisal',
    targetId: id,
    targetLabel: `${row.number} ${row.title}`,
  });
  const open = row.status === 'open';
  return {
    id: row.id,
    number: row.number,
    title: row.title,
    status: row.status as Appraisal['status'],
    note: row.note,
    createdAt: row.created_at,
    createdBy: await userName(ctx.db, row.created_by),
    concludedAt: row.concluded_at,
    concludedBy: await userName(ctx.db, row.concluded_by),
    reportDocumentId: row.report_document_id,
    itemCount: items.length,
    members: members.map((m) => m.name),
    memberDetails: members.map(({ clearance: _, ...m }) => ({
      ...m,
      opinions: items.filter((i) => i.opinions.some((o) => o.userId === m.userId)).length,
    })),
    items,
    counts: {
      keep: items.filter((i) => i.outcome === 'keep').length,
      destroy: items.filter((i) => i.outcome === 'destroy').length,
    },
    can: {
      opine: open && can(ctx.actor, 'appraisal.opine', { memberIds }),
      conclude: open && can(ctx.actor, 'retention.appraise'),
    },
  };
}

/** Appraisal batches, newest first: every batch for those who oversee them, else one's own. */
export async function listAppraisals(
  ctx: Ctx,
  query: { cursor?: string | undefined; limit: number },
): Promise<{ items: AppraisalSummary[]; nextCursor: string | null }> {
  if (!ctx.actor) throw new DomainError('unauthenticated', 401);
  const actor = ctx.actor;
  const overseer = can(actor, 'appraisal.read', { memberIds: [] });
  const after = decodeCursor(query.cursor, cursorValue.text, cursorValue.text);
  let q = ctx.db
    .selectFrom('appraisals as a')
    .leftJoin('users as u', 'u.id', 'a.created_by')
    .selectAll('a')
    .select('u.name as created_by_name')
    // Counted like the items are shown: nothing above the reader's clearance (R-P1).
    .select((eb) =>
      eb
        .selectFrom('appraisal_items as ai')
        .innerJoin('documents as d', 'd.id', 'ai.document_id')
        .select((e) => e.fn.countAll<number>().as('n'))
        .whereRef('ai.appraisal_id', '=', 'a.id')
        .where(documentWithinClearance(actor))
        .as('item_count'),
    );
  if (!overseer)
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('appraisal_members as m')
          .select('m.user_id')
          .whereRef('m.appraisal_id', '=', 'a.id')
          .where('m.user_id', '=', actor.id),
      ),
    );
  if (after) {
    const [at, id] = after;
    q = q.where((eb) =>
      eb.or([eb('a.created_at', '<', at), eb.and([eb('a.created_at', '=', at), eb('a.id', '<', id)])]),
    );
  }
  const rows = await q
    .orderBy('a.created_at', 'desc')
    .orderBy('a.id', 'desc')
    .limit(query.limit + 1)
    .execute();
  const more = rows.length > query.limit;
  const page = more ? rows.slice(0, query.limit) : rows;
  const members = await (page.length
    ? ctx.db
        .selectFrom('appraisal_members as m')
        .innerJoin('users as u', 'u.id', 'm.user_id')
        .select(['m.appraisal_id', 'u.name'])
        .where(
          'm.appraisal_id',
          'in',
          page.map((p) => p.id),
        )
        .execute()
    : Promise.resolve([]));
  const last = page.at(-1);
  return {
    items: page.map((a) => ({
      id: a.id,
      number: a.number,
      title: a.title,
      status: a.status as AppraisalSummary['status'],
      createdAt: a.created_at,
      createdBy: { id: a.created_by, name: a.created_by_name ?? a.created_by },
      concludedAt: a.concluded_at,
      itemCount: Number(a.item_count ?? 0),
      members: members.filter((m) => m.appraisal_id === a.id).map((m) => m.name),
    })),
    nextCursor: more && last ? encodeCursor([last.created_at, last.id]) : null,
  };
}

/** A member's opinions on some or all items; each may be changed until the batch concludes. */
export async function putOpinions(ctx: Ctx, id: string, input: OpinionsInput): Promise<Appraisal> {
  await tx(ctx, async (t) => {
    const row = await findAppraisal(t.db, id);
    const memberIds = (await membersOf(t.db, id)).map((m) => m.userId);
    authorizeRecord(ctx, 'appraisal.opine', {
      type: 'appraisal',
      id,
      resource: { memberIds },
      read: 'appraisal.read',
    });
    if (row.status !== 'open') throw new DomainError('appraisal_closed', 409);
    const items = await t.db
      .selectFrom('appraisal_items as ai')
      .innerJoin('documents as d', 'd.id', 'ai.document_id')
      .select(['ai.id', 'd.life_end_date'])
      .where('ai.appraisal_id', '=', id)
      .execute();
    const lifeEnd = new Map(items.map((i) => [i.id, i.life_end_date]));
    const periods = (await loadDocumentSettings(t.db)).retentionPeriods;
    const today = todayInShanghai(t.now());
    const problems: FieldProblem[] = [];
    const values = input.opinions.map((o, i) => {
      if (!lifeEnd.has(o.itemId))
        throw new DomainError('appraisal_item_unknown', 422, {}, `opinions.${i}.itemId`);
      let due: string | null = null;
      if (o.decision === 'keep') {
        if (!o.retention || !o.reason)
          throw new DomainError('keep_needs_term', 422, {}, `opinions.${i}.retention`);
        if (!periods.includes(o.retention))
          problems.push({ field: `opinions.${i}.retention`, key: 'lookup', params: { value: o.retention } });
        due = extendedDue(o.retention, today, lifeEnd.get(o.itemId) ?? null);
        if (due !== null && due <= today)
          throw new DomainError('keep_term_expired', 422, { due }, `opinions.${i}.retention`);
      }
      return {
        item_id: o.itemId,
        user_id: t.actor?.id as string,
        appraisal_id: id,
        decision: o.decision,
        retention: o.decision === 'keep' ? (o.retention ?? null) : null,
        due,
        reason: o.reason,
        at: nowIso(t),
      };
    });
    if (problems.length) throw new FieldErrors(problems);
    for (const v of values) {
      await t.db
        .insertInto('appraisal_opinions')
        .values(v)
        .onConflict((oc) =>
          oc.columns(['item_id', 'user_id']).doUpdateSet({
            decision: v.decision,
            retention: v.retention,
            due: v.due,
            reason: v.reason,
            at: v.at,
          }),
        )
        .execute();
    }
    await appendAudit(t, {
      action: 'appraisal.opinion',
      targetType: 'appraisal',
      targetId: id,
      targetLabel: `${row.number} ${row.title}`,
      details: {
        number: row.number,
        opinions: values.map((v) => ({ itemId: v.item_id, decision: v.decision, retention: v.retention })),
      },
    });
  });
  return getAppraisal(ctx, id);
}

/** Concludes a batch once every member has judged every item; registers the report. */
export async function concludeAppraisal(ctx: Ctx, store: BlobStore, id: string): Promise<Appraisal> {
  authorize(ctx, 'retention.appraise', { type: 'appraisal', id });
  const actor = ctx.actor;
  const row = await findAppraisal(ctx.db, id);
  if (row.status !== 'open') throw new DomainError('appraisal_closed', 409);
  const members = await membersOf(ctx.db, id);
  // The whole batch, whatever the concluding archivist's clearance: it must cover every item.
  const items = await itemsOf(ctx.db, { ...actor, clearance: 3 }, id);
  const secrecy = Math.max(
    0,
    ...(
      await secrecyOfDocuments(
        ctx.db,
        items.map((i) => i.documentId),
      )
    ).values(),
  );
  if (secrecy > actor.clearance) throw new DomainError('clearance_too_low', 403);
  const missing = members
    .map((m) => ({
      name: m.name,
      n: items.filter((i) => !i.opinions.some((o) => o.userId === m.userId)).length,
    }))
    .filter((m) => m.n > 0);
  if (missing.length)
    throw new DomainError('appraisal_incomplete', 409, {
      missing: missing.reduce((s, m) => s + m.n, 0),
      members: missing.map((m) => `${m.name} ${m.n}`).join('、'),
    });
  const decisions = new Map(items.map((i) => [i.id, groupDecision(i.opinions)]));
  const today = todayInShanghai(ctx.now());
  const concluded = items.map((i) => {
    const d = decisions.get(i.id) as ReturnType<typeof groupDecision>;
    const reasons = i.opinions
      .filter((o) => o.decision === d.decision && o.reason)
      .map((o) => o.reason)
      .join('；');
    return { ...i, outcome: d.decision, newRetention: d.retention, newDue: d.due, reason: reasons || null };
  });
  const pdf = await appraisalReport({
    appraisal: row,
    members,
    items: concluded,
    concludedOn: today,
    by: actor.name,
  });
  const blob = await storeReport(store, pdf);
  const reportName = `档案鉴定报告-${row.number}.pdf`;

  const attached = await tx(ctx, async (t) => {
    const res = await t.db
      .updateTable('appraisals')
      .set({ status: 'concluded', concluded_at: nowIso(t), concluded_by: actor.id })
      .where('id', '=', id)
      .where('status', '=', 'open')
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) === 0) throw new DomainError('appraisal_closed', 409);
    for (const i of concluded) {
      await t.db
        .updateTable('appraisal_items')
        .set({ outcome: i.outcome, new_retention: i.newRetention, new_due: i.newDue, reason: i.reason })
        .where('id', '=', i.id)
        .execute();
      if (i.outcome === 'keep') {
        await t.db
          .updateTable('documents')
          .set({ retention: i.newRetention ?? i.retention, extended_due: i.newDue })
          .where('id', '=', i.documentId)
          .execute();
        await documents.refreshRetention(t, [i.documentId]);
      }
      await documents.recordEvent(t, i.documentId, 'appraise', {
        appraisal: row.number,
        appraisalId: id,
        decision: i.outcome,
        retention: i.newRetention,
        due: i.newDue,
        reason: i.reason,
      });
    }
    const { documentId: reportId, file } = await fileReport(t, store, {
      title: `档案鉴定报告 ${row.number} ${row.title}`,
      number: row.number,
      responsibleParty: '档案鉴定小组',
      secrecy,
      remarks: `鉴定 ${items.length} 件：继续保存 ${concluded.filter((i) => i.outcome === 'keep').length} 件，销毁 ${concluded.filter((i) => i.outcome === 'destroy').length} 件`,
      issueDate: today,
      blob,
      fileName: reportName,
    });
    await t.db.updateTable('appraisals').set({ report_document_id: reportId }).where('id', '=', id).execute();
    await appendAudit(t, {
      action: 'appraisal.conclude',
      targetType: 'appraisal',
      targetId: id,
      targetLabel: `${row.number} ${row.title}`,
      secrecy,
      details: {
        number: row.number,
        keep: concluded.filter((i) => i.outcome === 'keep').map((i) => i.documentId),
        destroy: concluded.filter((i) => i.outcome === 'destroy').map((i) => i.documentId),
        reportDocumentId: reportId,
      },
    });
    return file;
  });
  await files.afterAttach(ctx, store, blob, attached);
  return getAppraisal(ctx, id);
}
