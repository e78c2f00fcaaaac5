import type { z } from 'zod';
import type {
  Contact,
  ContactInput,
  HistoryEntry,
  Interaction,
  interactionBody,
  TimelineItem,
  updateContactBody,
} from '../../../common/schemas/customers.js';
import { appendAudit } from '../../platform/audit/chain.js';
import { type Ctx, nowIso, type TxCtx, tx } from '../../platform/context.js';
import { FieldErrors, notFound } from '../../platform/errors.js';
import { cursorValue, decodeCursor, encodeCursor } from '../../platform/http.js';
import { newId } from '../../platform/ids.js';
import { authorize } from '../../platform/policy/index.js';
import { visitsOnInteraction } from '../visits/plans.js';
import { loadLookups } from './config.js';
import * as repo from './repo.js';
import { assertEditable, findVisible, type Reader, reader, reindex, resourceOf } from './service.js';

// Contacts (联系人), interactions (往来记录, R-C7) and the archive's timeline of changes (R-C6).

/** Loads a visible archive and checks that the reader may change it. */
async function editable(r: Reader, t: TxCtx, customerId: string): Promise<repo.CustomerRow> {
  const row = await findVisible(r, customerId, t.db);
  const owners = (await repo.ownersOf(t.db, [customerId])).get(customerId) ?? [];
  authorize(r.ctx, 'customer.update', {
    type: 'customer',
    id: customerId,
    resource: resourceOf(
      r,
      row,
      owners.map((o) => o.id),
    ),
  });
  assertEditable(r.ctx, row);
  return row;
}

async function checkRole(t: TxCtx, role: string | null | undefined): Promise<void> {
  if (!role) return;
  const lookups = await loadLookups(t.db);
  if (!lookups.some((l) => l.list === 'contact_role' && l.code === role && l.active)) {
    throw new FieldErrors([{ field: 'role', key: 'lookup', params: { value: role } }]);
  }
}

function contactSummary(c: Pick<Contact, 'name' | 'title' | 'phone' | 'mobile' | 'email'>) {
  return { name: c.name, title: c.title, phone: c.phone, mobile: c.mobile, email: c.email };
}

export async function listContacts(ctx: Ctx, customerId: string): Promise<Contact[]> {
  const r = await reader(ctx);
  await findVisible(r, customerId);
  return repo.contactsOf(ctx.db, customerId);
}

export async function addContact(ctx: Ctx, customerId: string, input: ContactInput): Promise<Contact> {
  const r = await reader(ctx);
  const actor = r.ctx.actor;
  const id = newId();
  await tx(ctx, async (t) => {
    const customer = await editable(r, t, customerId);
    await checkRole(t, input.role);
    const now = nowIso(t);
    if (input.isPrimary) {
      await t.db
        .updateTable('contacts')
        .set({ is_primary: 0 })
        .where('customer_id', '=', customerId)
        .execute();
    }
    await t.db
      .insertInto('contacts')
      .values({
        id,
        customer_id: customerId,
        name: input.name,
        title: input.title,
        role: input.role ?? null,
        phone: input.phone ?? null,
        mobile: input.mobile ?? null,
        email: input.email ?? null,
        wechat: input.wechat,
        is_primary: input.isPrimary ? 1 : 0,
        notes: input.notes,
        active: 1,
        created_at: now,
        updated_at: now,
      })
      .execute();
    await touch(t, customerId, actor.id, now);
    await repo.insertHistory(t.db, [
      {
        id: newId(),
        customerId,
        at: now,
        actorId: actor.id,
        actorName: actor.name,
        kind: 'contact',
        field: 'contact',
        oldValue: null,
        newValue: contactSummary({
          ...input,
          title: input.title,
          phone: input.phone ?? null,
          mobile: input.mobile ?? null,
          email: input.email ?? null,
        }),
      },
    ]);
    await reindex(t.db, customerId);
    await appendAudit(t, {
      action: 'customer.contact_add',
      targetType: 'customer',
      targetId: customerId,
      targetLabel: `${customer.archive_code} ${customer.name}`,
      secrecy: customer.secrecy,
      details: { contactId: id, name: input.name },
    });
  });
  const contacts = await repo.contactsOf(ctx.db, customerId);
  return contacts.find((c) => c.id === id) as Contact;
}

export async function updateContact(
  ctx: Ctx,
  customerId: string,
  contactId: string,
  input: z.output<typeof updateContactBody>,
): Promise<Contact> {
  const r = await reader(ctx);
  const actor = r.ctx.actor;
  await tx(ctx, async (t) => {
    const customer = await editable(r, t, customerId);
    const row = await t.db
      .selectFrom('contacts')
      .selectAll()
      .where('id', '=', contactId)
      .where('customer_id', '=', customerId)
      .executeTakeFirst();
    if (!row) throw notFound();
    await checkRole(t, input.role);
    const before = repo.toContact(row);
    const now = nowIso(t);
    const next = {
      name: input.name ?? row.name,
      title: input.title === undefined ? row.title : input.title,
      role: input.role === undefined ? row.role : input.role,
      phone: input.phone === undefined ? row.phone : input.phone,
      mobile: input.mobile === undefined ? row.mobile : input.mobile,
      email: input.email === undefined ? row.email : input.email,
      wechat: input.wechat === undefined ? row.wechat : input.wechat,
      is_primary: input.isPrimary === undefined ? row.is_primary : input.isPrimary ? 1 : 0,
      notes: input.notes === undefined ? row.notes : input.notes,
      active: input.active === undefined ? row.active : input.active ? 1 : 0,
    };
    if (next.is_primary === 1 && row.is_primary !== 1) {
      await t.db
        .updateTable('contacts')
        .set({ is_primary: 0 })
        .where('customer_id', '=', customerId)
        .execute();
    }
    await t.db
      .updateTable('contacts')
      .set({ ...next, updated_at: now })
      .where('id', '=', contactId)
      .execute();
    const after = repo.toContact({ ...row, ...next, updated_at: now });
    await touch(t, customerId, actor.id, now);
    await repo.insertHistory(t.db, [
      {
        id: newId(),
        customerId,
        at: now,
        actorId: actor.id,
        actorName: actor.name,
        kind: 'contact',
        field: after.active ? 'contact' : 'contact_removed',
        oldValue: { ...contactSummary(before), active: before.active, isPrimary: before.isPrimary },
        newValue: { ...contactSummary(after), active: after.active, isPrimary: after.isPrimary },
      },
    ]);
    await reindex(t.db, customerId);
    await appendAudit(t, {
      action: 'customer.contact_update',
      targetType: 'customer',
      targetId: customerId,
      targetLabel: `${customer.archive_code} ${customer.name}`,
      secrecy: customer.secrecy,
      details: { contactId, changes: input },
    });
  });
  const contacts = await repo.contactsOf(ctx.db, customerId);
  return contacts.find((c) => c.id === contactId) as Contact;
}

/** Any change inside the archive counts as an update of it (for staleness, R-C11). */
async function touch(t: TxCtx, customerId: string, actorId: string, now: string): Promise<void> {
  await t.db
    .updateTable('customers')
    .set({ updated_at: now, updated_by: actorId })
    .where('id', '=', customerId)
    .execute();
}

// Interactions -----------------------------------------------------------------------------------

export async function listInteractions(ctx: Ctx, customerId: string): Promise<Interaction[]> {
  const r = await reader(ctx);
  await findVisible(r, customerId);
  const rows = await repo
    .interactionsQuery(ctx.db)
    .where('i.customer_id', '=', customerId)
    .orderBy('i.occurred_on', 'desc')
    .orderBy('i.created_at', 'desc')
    .limit(1000)
    .execute();
  return rows.map(repo.toInteraction);
}

/** Interactions are records: added, never edited; a correction is a new entry. */
export async function addInteraction(
  ctx: Ctx,
  customerId: string,
  input: z.output<typeof interactionBody>,
): Promise<Interaction> {
  const r = await reader(ctx);
  const id = newId();
  if (input.occurredOn > r.today) throw new FieldErrors([{ field: 'occurredOn', key: 'future_date' }]);
  if (input.nextStepDue && input.nextStepDue < input.occurredOn) {
    throw new FieldErrors([{ field: 'nextStepDue', key: 'date_order', params: { date: input.occurredOn } }]);
  }
  await tx(ctx, async (t) => {
    const customer = await editable(r, t, customerId);
    await insertInteraction(t, customer, id, input);
    await visitsOnInteraction(t, { customerId, interactionId: id, kind: input.kind });
  });
  const row = await repo.interactionsQuery(ctx.db).where('i.id', '=', id).executeTakeFirstOrThrow();
  return repo.toInteraction(row);
}

async function insertInteraction(
  t: TxCtx,
  customer: Pick<repo.CustomerRow, 'id' | 'archive_code' | 'name' | 'secrecy'>,
  id: string,
  input: Omit<z.output<typeof interactionBody>, 'nextStepDue'> & { nextStepDue?: string | null | undefined },
  extra: Record<string, unknown> = {},
): Promise<void> {
  const now = nowIso(t);
  const actorId = t.actor?.id ?? 'system';
  await t.db
    .insertInto('interactions')
    .values({
      id,
      customer_id: customer.id,
      kind: input.kind,
      occurred_on: input.occurredOn,
      participants: input.participants,
      summary: input.summary,
      next_step: input.nextStep,
      next_step_due: input.nextStepDue ?? null,
      created_by: actorId,
      created_at: now,
    })
    .execute();
  await touch(t, customer.id, actorId, now);
  await appendAudit(t, {
    action: 'customer.interaction_add',
    targetType: 'customer',
    targetId: customer.id,
    targetLabel: `${customer.archive_code} ${customer.name}`,
    secrecy: customer.secrecy,
    details: { interactionId: id, kind: input.kind, occurredOn: input.occurredOn, ...extra },
  });
}

/**
 * An interaction another module records in the archive's timeline inside its own transaction
 * (a visit done, R-V2), after it has checked that its actor may. It sets no visit plan off.
 */
export async function recordInteraction(
  t: TxCtx,
  customerId: string,
  input: Omit<z.output<typeof interactionBody>, 'nextStepDue'> & { nextStepDue?: string | null | undefined },
  origin: Record<string, unknown>,
): Promise<string> {
  const customer = await t.db
    .selectFrom('customers')
    .select(['id', 'archive_code', 'name', 'secrecy'])
    .where('id', '=', customerId)
    .executeTakeFirstOrThrow();
  const id = newId();
  await insertInteraction(t, { ...customer, secrecy: Number(customer.secrecy) }, id, input, origin);
  return id;
}

// History and timeline ---------------------------------------------------------------------------

export async function listHistory(
  ctx: Ctx,
  customerId: string,
  page: { cursor?: string | undefined; limit: number },
): Promise<{ items: HistoryEntry[]; nextCursor: string | null }> {
  const r = await reader(ctx);
  await findVisible(r, customerId);
  const after = decodeCursor(page.cursor, cursorValue.text, cursorValue.text);
  let q = repo.historyQuery(ctx.db).where('h.customer_id', '=', customerId);
  if (after) {
    q = q.where((eb) =>
      eb.or([eb('h.at', '<', after[0]), eb.and([eb('h.at', '=', after[0]), eb('h.id', '<', after[1])])]),
    );
  }
  const rows = await q
    .orderBy('h.at', 'desc')
    .orderBy('h.id', 'desc')
    .limit(page.limit + 1)
    .execute();
  const more = rows.length > page.limit;
  const items = (more ? rows.slice(0, page.limit) : rows).map(repo.toHistoryEntry);
  const last = items.at(-1);
  return { items, nextCursor: more && last ? encodeCursor([last.at, last.id]) : null };
}

/** Changes and interactions together, newest first, as the customer page shows them. */
export async function timeline(
  ctx: Ctx,
  customerId: string,
  page: { cursor?: string | undefined; limit: number },
): Promise<{ items: TimelineItem[]; nextCursor: string | null }> {
  const r = await reader(ctx);
  await findVisible(r, customerId);
  const after = decodeCursor(page.cursor, cursorValue.text, cursorValue.text);
  let hq = repo.historyQuery(ctx.db).where('h.customer_id', '=', customerId);
  let iq = repo.interactionsQuery(ctx.db).where('i.customer_id', '=', customerId);
  if (after) {
    hq = hq.where((eb) =>
      eb.or([eb('h.at', '<', after[0]), eb.and([eb('h.at', '=', after[0]), eb('h.id', '<', after[1])])]),
    );
    iq = iq.where((eb) =>
      eb.or([
        eb('i.created_at', '<', after[0]),
        eb.and([eb('i.created_at', '=', after[0]), eb('i.id', '<', after[1])]),
      ]),
    );
  }
  const [history, interactions] = await Promise.all([
    hq
      .orderBy('h.at', 'desc')
      .orderBy('h.id', 'desc')
      .limit(page.limit + 1)
      .execute(),
    iq
      .orderBy('i.created_at', 'desc')
      .orderBy('i.id', 'desc')
      .limit(page.limit + 1)
      .execute(),
  ]);
  const merged: (TimelineItem & { id: string })[] = [
    ...history.map((h) => ({ type: 'history' as const, at: h.at, id: h.id, entry: repo.toHistoryEntry(h) })),
    ...interactions.map((i) => ({
      type: 'interaction' as const,
      at: i.created_at,
      id: i.id,
      interaction: repo.toInteraction(i),
    })),
  ].sort((a, b) => (a.at === b.at ? b.id.localeCompare(a.id) : b.at.localeCompare(a.at)));
  const more = merged.length > page.limit;
  const items = more ? merged.slice(0, page.limit) : merged;
  const last = items.at(-1);
  return {
    items: items.map(({ id: _id, ...item }) => item as TimelineItem),
    nextCursor: more && last ? encodeCursor([last.at, last.id]) : null,
  };
}
