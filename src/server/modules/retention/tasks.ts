import type { RetentionTasks } from '../../../common/schemas/retention.js';
import type { Ctx } from '../../platform/context.js';
import { DomainError } from '../../platform/errors.js';
import { can } from '../../platform/policy/index.js';
import { signRefusal } from './disposal-signing.js';

// What waits for the signed-in person in appraisal and destruction: opinions to give,
// registers to sign or witness, and for the archivist batches to conclude and registers to
// carry out. The home page shows it, so that a member or witness finds the work without a menu.

const LIMIT = 50;

export async function myTasks(ctx: Ctx): Promise<RetentionTasks> {
  if (!ctx.actor) throw new DomainError('unauthenticated', 401);
  const actor = ctx.actor;
  const db = ctx.db;
  const opinions = await db
    .selectFrom('appraisals as a')
    .innerJoin('appraisal_members as m', 'm.appraisal_id', 'a.id')
    .select(['a.id', 'a.number', 'a.title'])
    .select((eb) =>
      eb
        .selectFrom('appraisal_items as ai')
        .select((e) => e.fn.countAll<number>().as('n'))
        .whereRef('ai.appraisal_id', '=', 'a.id')
        .where((w) =>
          w.not(
            w.exists(
              w
                .selectFrom('appraisal_opinions as o')
                .select('o.item_id')
                .whereRef('o.item_id', '=', 'ai.id')
                .where('o.user_id', '=', actor.id),
            ),
          ),
        )
        .as('pending'),
    )
    .where('a.status', '=', 'open')
    .where('m.user_id', '=', actor.id)
    .orderBy('a.created_at')
    .limit(LIMIT)
    .execute();

  const signing = await db
    .selectFrom('disposals')
    .select(['id', 'number', 'title', 'signer_steps', 'created_by'])
    .where('status', '=', 'signing')
    .orderBy('submitted_at')
    .limit(LIMIT)
    .execute();
  // The registers whose current step this person may sign, by the same rule as signing (R-X3).
  const toSign = [];
  for (const d of signing) {
    const { step, refusal } = await signRefusal(db, d, actor);
    if (step && !refusal) toSign.push({ id: d.id, number: d.number, title: d.title, step: step.label });
  }

  const witnessing = await db
    .selectFrom('disposals as x')
    .select(['x.id', 'x.number', 'x.title'])
    .where('x.status', '=', 'destroyed')
    .where('x.witness_ids', 'like', `%"${actor.id}"%`)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('disposal_signatures as s')
            .select('s.id')
            .whereRef('s.disposal_id', '=', 'x.id')
            .where('s.kind', '=', 'witness')
            .where('s.user_id', '=', actor.id),
        ),
      ),
    )
    .limit(LIMIT)
    .execute();

  const archivist = can(actor, 'disposal.manage');
  const toDestroy = archivist
    ? await db
        .selectFrom('disposals')
        .select(['id', 'number', 'title'])
        .where('status', '=', 'approved')
        .limit(LIMIT)
        .execute()
    : [];
  return {
    opinions: opinions
      .filter((o) => Number(o.pending) > 0)
      .map((o) => ({ id: o.id, number: o.number, title: o.title, pending: Number(o.pending) })),
    signatures: toSign,
    witness: witnessing,
    destroy: toDestroy,
  };
}
