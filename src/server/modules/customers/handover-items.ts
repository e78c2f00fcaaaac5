import type { HandoverModule, HandoverPreview } from '../../../common/schemas/customers.js';
import type { Db } from '../../db/index.js';
import { appendAudit } from '../../platform/audit/chain.js';
import { nowIso, type TxCtx } from '../../platform/context.js';
import { newId } from '../../platform/ids.js';

// What else the person leaving holds (R-C9: 工作变动或因故离职时应将经办的文件材料向接办人员交接清楚),
// module by module: open visit tasks, complaint cases they handle or answer for, special-requirement
// reviews they own and acknowledgements they owe, distributed document copies not yet signed for,
// and loans out. The preview lists them (only what the manager is cleared for, R-P1); the handover
// moves each to the successor of its customer's archive (else the main successor) when that
// successor is cleared for it, with a history entry where the module keeps one; loans are not
// moved — they are returned, and the person cannot be deactivated while any is out.

const SHOWN = 20;

type OpenItems = HandoverPreview['openItems'];

/**
 * The open items of a person within the reader's clearance, by module. They are counted like the
 * archives (the reader may hand them over); an item names its record only when the reader may open
 * the customer archive it belongs to (`visible`), else it shows no more than its kind and date.
 */
export async function openItemsOf(
  db: Db,
  userId: string,
  clearance: number,
  visible: (customerIds: string[]) => Promise<Set<string>>,
): Promise<OpenItems> {
  const [visits, cases, reviews, acks, copies, loans] = await Promise.all([
    db
      .selectFrom('visit_tasks as v')
      .innerJoin('customers as c', 'c.id', 'v.customer_id')
      .select(['v.id', 'c.id as cid', 'c.archive_code', 'c.name', 'v.due_date'])
      .where('v.assignee_id', '=', userId)
      .where('v.status', '=', 'open')
      .where('c.secrecy', '<=', clearance)
      .orderBy('v.due_date')
      .execute(),
    db
      .selectFrom('cases as k')
      .innerJoin('customers as c', 'c.id', 'k.customer_id')
      .select(['k.id', 'c.id as cid', 'k.number', 'c.name'])
      .where((eb) => eb.or([eb('k.handler_id', '=', userId), eb('k.responsible_user_id', '=', userId)]))
      .where('k.status', '!=', 'closed')
      .where('k.secrecy', '<=', clearance)
      .where('c.secrecy', '<=', clearance)
      .orderBy('k.number')
      .execute(),
    db
      .selectFrom('sr_reviews as w')
      .innerJoin('sr_requirements as r', 'r.id', 'w.requirement_id')
      .innerJoin('customers as c', 'c.id', 'r.customer_id')
      .select(['w.id', 'c.id as cid', 'r.number', 'r.title'])
      // The person who carries out an applicable requirement (落实负责人), while it is not done.
      .where('w.owner_id', '=', userId)
      .where('w.decision', '=', 'applicable')
      .where('r.status', 'in', ['pending_review', 'in_review'])
      .where('r.secrecy', '<=', clearance)
      .where('c.secrecy', '<=', clearance)
      .orderBy('r.number')
      .execute(),
    db
      .selectFrom('sr_acknowledgements as a')
      .innerJoin('sr_distributions as d', 'd.id', 'a.distribution_id')
      .innerJoin('customers as c', 'c.id', 'd.customer_id')
      .leftJoin('sr_requirements as r', 'r.id', 'd.requirement_id')
      .select(['a.id', 'c.id as cid', 'c.name', 'r.number', 'd.distributed_at'])
      .where('a.user_id', '=', userId)
      .where('a.acknowledged_at', 'is', null)
      .where('c.secrecy', '<=', clearance)
      .where((eb) => eb.or([eb('r.secrecy', 'is', null), eb('r.secrecy', '<=', clearance)]))
      .orderBy('d.distributed_at')
      .execute(),
    db
      .selectFrom('document_copies as p')
      .innerJoin('documents as d', 'd.id', 'p.document_id')
      .leftJoin('customers as c', 'c.id', 'd.customer_id')
      .select(['p.id', 'c.id as cid', 'd.title', 'd.doc_number', 'p.copy_no', 'p.distributed_at'])
      .where('p.user_id', '=', userId)
      .where('p.received_at', 'is', null)
      .where('p.recall_status', '=', 'none')
      .where('d.secrecy', '<=', clearance)
      .where((eb) => eb.or([eb('c.secrecy', 'is', null), eb('c.secrecy', '<=', clearance)]))
      .orderBy('p.distributed_at')
      .execute(),
    db
      .selectFrom('loans')
      .select(['id', 'due_date', 'mode'])
      .where('borrower_id', '=', userId)
      .where('returned_at', 'is', null)
      .orderBy('due_date')
      .execute(),
  ]);
  const seen = await visible([
    ...new Set([...visits, ...cases, ...reviews, ...acks, ...copies].flatMap((x) => (x.cid ? [x.cid] : []))),
  ]);
  const may = (cid: string | null) => !!cid && seen.has(cid);
  const entry = (module: HandoverModule, moves: boolean, items: { id: string; label: string }[]) => ({
    module,
    count: items.length,
    moves,
    items: items.slice(0, SHOWN),
  });
  return [
    entry(
      'visits',
      true,
      visits.map((v) => ({
        id: v.id,
        label: may(v.cid) ? `${v.archive_code} ${v.name} ${v.due_date}` : `回访 ${v.due_date}`,
      })),
    ),
    entry(
      'cases',
      true,
      cases.map((k) => ({ id: k.id, label: may(k.cid) ? `${k.number} ${k.name}` : k.number })),
    ),
    entry(
      'sr_reviews',
      true,
      reviews.map((w) => ({ id: w.id, label: may(w.cid) ? `${w.number} ${w.title}` : '特殊要求评审' })),
    ),
    entry(
      'sr_acknowledgements',
      true,
      acks.map((a) => ({
        id: a.id,
        label: may(a.cid)
          ? `${a.number ?? ''} ${a.name}`.trim()
          : `特殊要求确认 ${a.distributed_at.slice(0, 10)}`,
      })),
    ),
    entry(
      'document_copies',
      true,
      // A document is named only when the reader may open its archive; the others (and documents
      // without an archive, read under their own rules) by date only.
      copies.map((p) => ({
        id: p.id,
        label: may(p.cid)
          ? `${p.doc_number ? `${p.doc_number} ` : ''}${p.title} 第${p.copy_no}份`
          : `文件副本 ${p.distributed_at.slice(0, 10)}`,
      })),
    ),
    // Loans are not shown by content: some may be of records above the reader's clearance.
    entry(
      'loans',
      false,
      loans.map((l) => ({
        id: l.id,
        label: `${l.mode === 'physical' ? '实物' : '电子'}借阅 应还 ${l.due_date}`,
      })),
    ),
  ];
}

/** How many loans a person still has out (a person with loans out is not deactivated). */
export async function loansOut(db: Db, userId: string): Promise<number> {
  const row = await db
    .selectFrom('loans')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('borrower_id', '=', userId)
    .where('returned_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

interface Successor {
  id: string;
  name: string;
  clearance: number;
}

/**
 * Moves what the person leaving holds to the successors (visit tasks are moved by the visits
 * module): each item to the successor of its customer's archive, else to `fallback`, when they
 * are cleared for it. Returns how many were moved, by module.
 */
export async function moveOpenItems(
  t: TxCtx,
  input: {
    handoverId: string;
    from: { id: string; name: string };
    customerTo: Map<string, string>;
    fallback: string;
    successors: Successor[];
    clearance: number;
  },
): Promise<Record<string, number>> {
  const now = nowIso(t);
  const actorId = t.actor?.id ?? null;
  const actorName = t.actor?.name ?? null;
  const who = (customerId: string | null, secrecy: number) => {
    const to = input.successors.find(
      (s) => s.id === ((customerId && input.customerTo.get(customerId)) || input.fallback),
    );
    return to && to.clearance >= secrecy ? to : undefined;
  };
  const note = (to: Successor) => `交接：${input.from.name} → ${to.name}`;
  let secrecy = 0;
  const seen = (n: number) => {
    secrecy = Math.max(secrecy, n);
  };
  const moved: Record<string, number> = {
    cases: 0,
    sr_reviews: 0,
    sr_acknowledgements: 0,
    document_copies: 0,
  };

  // Complaint cases they handle or answer for.
  const cases = await t.db
    .selectFrom('cases as k')
    .innerJoin('customers as c', 'c.id', 'k.customer_id')
    .select([
      'k.id',
      'k.customer_id',
      'k.handler_id',
      'k.responsible_user_id',
      'k.secrecy',
      'c.secrecy as cs',
    ])
    .where((eb) =>
      eb.or([eb('k.handler_id', '=', input.from.id), eb('k.responsible_user_id', '=', input.from.id)]),
    )
    .where('k.status', '!=', 'closed')
    .where('k.secrecy', '<=', input.clearance)
    .where('c.secrecy', '<=', input.clearance)
    .execute();
  for (const k of cases) {
    const level = Math.max(Number(k.secrecy), Number(k.cs));
    const to = who(k.customer_id, level);
    if (!to) continue;
    seen(level);
    await t.db
      .updateTable('cases')
      .set({
        ...(k.handler_id === input.from.id ? { handler_id: to.id } : {}),
        ...(k.responsible_user_id === input.from.id ? { responsible_user_id: to.id } : {}),
      })
      .where('id', '=', k.id)
      .execute();
    await t.db
      .insertInto('case_events')
      .values({
        id: newId(),
        case_id: k.id,
        at: now,
        actor_id: actorId,
        actor_name: actorName,
        kind: 'reassigned',
        note: note(to),
      })
      .execute();
    moved.cases = (moved.cases ?? 0) + 1;
  }

  // Applicable special requirements they carry out (the review's 负责人), not yet implemented.
  const reviews = await t.db
    .selectFrom('sr_reviews as w')
    .innerJoin('sr_requirements as r', 'r.id', 'w.requirement_id')
    .innerJoin('customers as c', 'c.id', 'r.customer_id')
    .innerJoin('departments as dp', 'dp.id', 'w.department_id')
    .select([
      'w.id',
      'w.requirement_id',
      'r.customer_id',
      'r.secrecy',
      'c.secrecy as cs',
      'dp.name as department',
    ])
    .where('w.owner_id', '=', input.from.id)
    .where('w.decision', '=', 'applicable')
    .where('r.status', 'in', ['pending_review', 'in_review'])
    .where('r.secrecy', '<=', input.clearance)
    .where('c.secrecy', '<=', input.clearance)
    .execute();
  for (const w of reviews) {
    const level = Math.max(Number(w.secrecy), Number(w.cs));
    const to = who(w.customer_id, level);
    if (!to) continue;
    seen(level);
    await t.db.updateTable('sr_reviews').set({ owner_id: to.id }).where('id', '=', w.id).execute();
    await t.db
      .insertInto('sr_history')
      .values({
        id: newId(),
        requirement_id: w.requirement_id,
        at: now,
        actor_id: actorId,
        actor_name: actorName,
        // As the requirement's own history writes a review: 适用（负责人 …）.
        field: `review:${w.department}`,
        old_value: `适用（负责人 ${input.from.name}）`,
        new_value: `适用（负责人 ${to.name}）`,
        note: note(to),
      })
      .execute();
    moved.sr_reviews = (moved.sr_reviews ?? 0) + 1;
  }

  // Acknowledgements they owe (the successor owes them now, unless already asked).
  const acks = await t.db
    .selectFrom('sr_acknowledgements as a')
    .innerJoin('sr_distributions as d', 'd.id', 'a.distribution_id')
    .innerJoin('customers as c', 'c.id', 'd.customer_id')
    .leftJoin('sr_requirements as r', 'r.id', 'd.requirement_id')
    .select([
      'a.id',
      'a.distribution_id',
      'd.customer_id',
      'd.requirement_id',
      'c.secrecy as cs',
      'r.secrecy',
    ])
    .where('a.user_id', '=', input.from.id)
    .where('a.acknowledged_at', 'is', null)
    .where('c.secrecy', '<=', input.clearance)
    .where((eb) => eb.or([eb('r.secrecy', 'is', null), eb('r.secrecy', '<=', input.clearance)]))
    .execute();
  for (const a of acks) {
    const level = Math.max(Number(a.secrecy ?? 0), Number(a.cs));
    const to = who(a.customer_id, level);
    if (!to) continue;
    const already = await t.db
      .selectFrom('sr_acknowledgements')
      .select('id')
      .where('distribution_id', '=', a.distribution_id)
      .where('user_id', '=', to.id)
      .executeTakeFirst();
    if (already) continue;
    seen(level);
    await t.db
      .updateTable('sr_acknowledgements')
      .set({ user_id: to.id, reminded_at: null })
      .where('id', '=', a.id)
      .execute();
    if (a.requirement_id)
      await t.db
        .insertInto('sr_history')
        .values({
          id: newId(),
          requirement_id: a.requirement_id,
          at: now,
          actor_id: actorId,
          actor_name: actorName,
          field: 'acknowledgement',
          old_value: input.from.name,
          new_value: to.name,
          note: note(to),
        })
        .execute();
    moved.sr_acknowledgements = (moved.sr_acknowledgements ?? 0) + 1;
  }

  // Document copies distributed to them and not yet signed for.
  const copies = await t.db
    .selectFrom('document_copies as p')
    .innerJoin('documents as d', 'd.id', 'p.document_id')
    .leftJoin('customers as c', 'c.id', 'd.customer_id')
    .select([
      'p.id',
      'p.document_id',
      'p.version_id',
      'p.copy_no',
      'd.customer_id',
      'd.secrecy',
      'c.secrecy as cs',
    ])
    .where('p.user_id', '=', input.from.id)
    .where('p.received_at', 'is', null)
    .where('p.recall_status', '=', 'none')
    .where('d.secrecy', '<=', input.clearance)
    .where((eb) => eb.or([eb('c.secrecy', 'is', null), eb('c.secrecy', '<=', input.clearance)]))
    .execute();
  for (const p of copies) {
    const level = Math.max(Number(p.secrecy), Number(p.cs ?? 0));
    const to = who(p.customer_id, level);
    if (!to) continue;
    seen(level);
    await t.db
      .updateTable('document_copies')
      .set({ user_id: to.id, recipient: to.name })
      .where('id', '=', p.id)
      .execute();
    await t.db
      .insertInto('document_events')
      .values({
        id: newId(),
        document_id: p.document_id,
        at: now,
        actor_id: actorId,
        actor_name: actorName,
        kind: 'handover',
        version_id: p.version_id,
        details: JSON.stringify({
          copyNo: p.copy_no,
          from: input.from.name,
          to: to.name,
          handoverId: input.handoverId,
        }),
      })
      .execute();
    moved.document_copies = (moved.document_copies ?? 0) + 1;
  }

  if (Object.values(moved).some((n) => n > 0))
    await appendAudit(t, {
      action: 'customer.handover_move',
      targetType: 'user',
      targetId: input.from.id,
      secrecy,
      details: { handoverId: input.handoverId, moved },
    });
  return moved;
}
