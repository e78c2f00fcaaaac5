import { type ExpressionBuilder, type SqlBool, sql } from 'kysely';
import { secrecyFromRank } from '../../../common/enums.js';
import type {
  CampaignFilters,
  CreateCampaignInput,
  SurveyCampaign,
  SurveyCampaignDetail,
  SurveyInvitation,
} from '../../../common/schemas/surveys.js';
import { SURVEY_CAMPAIGN_STATUS_LABELS, type SurveyCampaignStatus } from '../../../common/surveys.js';
import type { Db } from '../../db/index.js';
import type { Database, SurveyCampaignTable, SurveyInvitationTable } from '../../db/types.js';
import { appendAudit } from '../../platform/audit/chain.js';
import { type Ctx, nowIso, type TxCtx, tx } from '../../platform/context.js';
import { DomainError, FieldErrors, notFound } from '../../platform/errors.js';
import { cursorValue, decodeCursor, encodeCursor } from '../../platform/http.js';
import { newId } from '../../platform/ids.js';
import { nextCode } from '../../platform/numbering.js';
import { authorize, can } from '../../platform/policy/index.js';
import { ownersOf } from '../customers/repo.js';
import { newTokenKey } from './link.js';
import { namesOf, type Reader, reader, respondResource, visible } from './service.js';

// Survey campaigns (满意度调查, R-V3): prepared from customer filters as a draft with one
// invitation per customer, sent (each invitation with an e-mail gets its one-time link and its
// mail falls due; H2's mailer sends it), reminded, closed. Campaigns are the survey managers'
// (quality, the administrator, the general managers; department managers follow them); everyone
// else sees a campaign only through the invitations of archives they may see. Every count and
// list counts only invitations of archives the reader sees (R-P1).

/** 满意度调查 numbers: MY2026-01, per year. */
export const CAMPAIGN_NUMBER_PATTERN = 'MY{yyyy}-{seq:2}';
/** Rows an insert carries (invitations have 21 columns; far below every parameter limit). */
const BATCH = 200;

// Choosing customers ------------------------------------------------------------------------------

/** The departments and every department below them. */
async function subtree(db: Db, roots: readonly string[]): Promise<string[]> {
  if (roots.length === 0) return [];
  const rows = await db
    .withRecursive('tree(id)', (qb) =>
      qb
        .selectFrom('departments')
        .select('id')
        .where('id', 'in', [...roots])
        .unionAll((q) =>
          q.selectFrom('departments as d').innerJoin('tree', 'tree.id', 'd.parent_id').select('d.id'),
        ),
    )
    .selectFrom('tree')
    .select('id')
    .execute();
  return [...new Set(rows.map((r) => r.id))];
}

/** The filed archives the filters choose among those whose survey answers the reader sees
 * (aliased `c`): for quality and the general managers every archive within their clearance. */
async function chosen(r: Reader, f: CampaignFilters, db: Db = r.ctx.db) {
  let q = db
    .selectFrom('customers as c')
    .where('c.status', '=', 'filed')
    .where(visible(r) as never);
  if (f.categories.length) q = q.where('c.category', 'in', f.categories);
  if (f.grades.length) q = q.where('c.grade', 'in', f.grades);
  if (f.kinds.length) q = q.where('c.kind', 'in', f.kinds);
  if (f.departmentIds.length) {
    const ids = await subtree(db, f.departmentIds);
    q = ids.length ? q.where('c.department_id', 'in', ids) : q.where(sql<SqlBool>`1 = 0`);
  }
  if (f.boughtLast12Months) {
    const since = `${Number(r.today.slice(0, 4)) - 1}${r.today.slice(4)}`;
    q = q.where('c.first_purchase_date', '>=', since).where('c.first_purchase_date', '<=', r.today);
  }
  return q;
}

/** How many customers the filters choose, and how many of them have an e-mail address. */
export async function previewCampaign(
  ctx: Ctx,
  f: CampaignFilters,
): Promise<{ customers: number; withEmail: number }> {
  authorize(ctx, 'survey.manage', { type: 'survey_campaign' });
  const r = await reader(ctx);
  const row = await (await chosen(r, f))
    .select((eb) => [
      eb.fn.countAll<number>().as('customers'),
      eb.fn
        .sum<number>(
          sql`case when (c.email is not null and c.email <> '') or exists (select 1 from contacts ct where ct.customer_id = c.id and ct.active = 1 and ct.email is not null and ct.email <> '') then 1 else 0 end`,
        )
        .as('with_email'),
    ])
    .executeTakeFirstOrThrow();
  return { customers: Number(row.customers), withEmail: Number(row.with_email ?? 0) };
}

// Reading -------------------------------------------------------------------------------------

const mayManage = (r: Reader) => can(r.ctx.actor, 'survey.manage');
const mayFollow = (r: Reader) => can(r.ctx.actor, 'survey.read');

function campaignsFrom(db: Db) {
  return db
    .selectFrom('survey_campaigns as k')
    .innerJoin('survey_templates as tp', 'tp.id', 'k.template_id')
    .selectAll('k')
    .select(['tp.key as template_key', 'tp.name as template_name', 'tp.version as template_version']);
}
type CampaignRow = SurveyCampaignTable & {
  template_key: string;
  template_name: string;
  template_version: number;
};

/** SQL on `survey_campaigns as k`: the campaign invited an archive the reader sees. */
function reachesReader(r: Reader) {
  const seen = visible(r);
  return (eb: ExpressionBuilder<Database, never>) =>
    eb.exists(
      eb
        .selectFrom('survey_invitations as vi')
        .innerJoin('customers as c', 'c.id', 'vi.customer_id')
        .select(sql`1`.as('one'))
        .whereRef('vi.campaign_id', '=', 'k.id' as never)
        .where(seen as never),
    );
}

/** The campaign if the reader may see it (survey readers: all; others: through an invitation). */
async function findCampaign(r: Reader, id: string, db: Db = r.ctx.db): Promise<CampaignRow> {
  let q = campaignsFrom(db).where('k.id', '=', id);
  if (!mayFollow(r)) q = q.where(reachesReader(r) as never);
  const row = await q.executeTakeFirst();
  if (!row) throw notFound();
  return row as CampaignRow;
}

interface Progress {
  invited: number;
  sent: number;
  answered: number;
}

/** Progress and index of campaigns over the invitations and answers the reader may see. */
async function progressOf(
  r: Reader,
  ids: readonly string[],
): Promise<Map<string, Progress & { index: number | null }>> {
  const out = new Map<string, Progress & { index: number | null }>();
  if (ids.length === 0) return out;
  const db = r.ctx.db;
  const counts = await db
    .selectFrom('survey_invitations as i')
    .innerJoin('customers as c', 'c.id', 'i.customer_id')
    .where('i.campaign_id', 'in', [...ids])
    .where(visible(r) as never)
    .select((eb) => [
      'i.campaign_id',
      eb.fn.countAll<number>().as('invited'),
      eb.fn.sum<number>(sql`case when i.sent_at is not null then 1 else 0 end`).as('sent'),
      eb.fn.sum<number>(sql`case when i.answered_at is not null then 1 else 0 end`).as('answered'),
    ])
    .groupBy('i.campaign_id')
    .execute();
  const indexes = await db
    .selectFrom('survey_responses as s')
    .innerJoin('customers as c', 'c.id', 's.customer_id')
    .where('s.campaign_id', 'in', [...ids])
    .where(visible(r) as never)
    .select((eb) => ['s.campaign_id', eb.fn.avg<number>('s.index_score').as('idx')])
    .groupBy('s.campaign_id')
    .execute();
  const idx = new Map(indexes.map((x) => [x.campaign_id, x.idx]));
  for (const id of ids) out.set(id, { invited: 0, sent: 0, answered: 0, index: null });
  for (const c of counts) {
    const avg = idx.get(c.campaign_id);
    out.set(c.campaign_id, {
      invited: Number(c.invited),
      sent: Number(c.sent ?? 0),
      answered: Number(c.answered ?? 0),
      index: avg === null || avg === undefined ? null : Math.round(Number(avg) * 10) / 10,
    });
  }
  return out;
}

async function toCampaigns(r: Reader, rows: CampaignRow[]): Promise<SurveyCampaign[]> {
  const progress = await progressOf(
    r,
    rows.map((x) => x.id),
  );
  const names = await namesOf(
    r.ctx.db,
    rows.map((x) => x.created_by),
  );
  const manage = mayManage(r);
  return rows.map((row) => {
    const p = progress.get(row.id) ?? { invited: 0, sent: 0, answered: 0, index: null };
    const status = row.status as SurveyCampaignStatus;
    return {
      id: row.id,
      number: row.number,
      name: row.name,
      template: {
        id: row.template_id,
        key: row.template_key,
        name: row.template_name,
        version: Number(row.template_version),
      },
      status,
      filters: JSON.parse(row.filters) as CampaignFilters,
      periodLabel: row.period_label,
      closesOn: row.closes_on,
      remindAfterDays: Number(row.remind_after_days),
      lowIndex: Number(row.low_index),
      intro: row.intro,
      createdAt: row.created_at,
      createdBy: row.created_by
        ? { id: row.created_by, name: names.get(row.created_by) ?? row.created_by }
        : null,
      sentAt: row.sent_at,
      closedAt: row.closed_at,
      progress: { invited: p.invited, sent: p.sent, answered: p.answered },
      index: p.index,
      can: {
        send: manage && status === 'draft',
        remind: manage && status === 'running',
        close: manage && status === 'running',
      },
    };
  });
}

export async function listCampaigns(
  ctx: Ctx,
  f: { status?: SurveyCampaignStatus | undefined; cursor?: string | undefined; limit: number },
): Promise<{ items: SurveyCampaign[]; nextCursor: string | null }> {
  const r = await reader(ctx);
  const after = decodeCursor(f.cursor, cursorValue.text, cursorValue.text);
  let q = campaignsFrom(r.ctx.db);
  if (!mayFollow(r)) q = q.where(reachesReader(r) as never);
  if (f.status) q = q.where('k.status', '=', f.status);
  if (after)
    q = q.where((eb) =>
      eb.or([
        eb('k.created_at', '<', after[0]),
        eb.and([eb('k.created_at', '=', after[0]), eb('k.id', '<', after[1])]),
      ]),
    );
  const rows = (await q
    .orderBy('k.created_at', 'desc')
    .orderBy('k.id', 'desc')
    .limit(f.limit + 1)
    .execute()) as CampaignRow[];
  const page = rows.slice(0, f.limit);
  const last = rows.length > f.limit ? page.at(-1) : undefined;
  return {
    items: await toCampaigns(r, page),
    nextCursor: last ? encodeCursor([last.created_at, last.id]) : null,
  };
}

export async function getCampaign(
  ctx: Ctx,
  id: string,
  opts: { audit?: boolean } = {},
): Promise<SurveyCampaignDetail> {
  const r = await reader(ctx);
  const row = await findCampaign(r, id);
  const [campaign] = await toCampaigns(r, [row]);
  const byDepartment = await r.ctx.db
    .selectFrom('survey_invitations as i')
    .innerJoin('customers as c', 'c.id', 'i.customer_id')
    .leftJoin('departments as d', 'd.id', 'i.department_id')
    .where('i.campaign_id', '=', id)
    .where(visible(r) as never)
    .select((eb) => [
      'i.department_id',
      'd.name as department_name',
      eb.fn.countAll<number>().as('invited'),
      eb.fn.sum<number>(sql`case when i.sent_at is not null then 1 else 0 end`).as('sent'),
      eb.fn.sum<number>(sql`case when i.answered_at is not null then 1 else 0 end`).as('answered'),
    ])
    .groupBy(['i.department_id', 'd.name'])
    .orderBy('d.name')
    .execute();
  if (opts.audit !== false)
    await appendAudit(r.ctx, {
      action: 'survey.campaign_read',
      targetType: 'survey_campaign',
      targetId: row.id,
      targetLabel: `${row.number} ${row.name}`,
    });
  return {
    ...(campaign as SurveyCampaign),
    byDepartment: byDepartment.map((d) => ({
      department: d.department_id
        ? { id: d.department_id, name: d.department_name ?? d.department_id }
        : null,
      invited: Number(d.invited),
      sent: Number(d.sent ?? 0),
      answered: Number(d.answered ?? 0),
    })),
  };
}

export async function listInvitations(
  ctx: Ctx,
  campaignId: string,
  f: { state?: 'waiting' | 'answered' | undefined; cursor?: string | undefined; limit: number },
): Promise<{ items: SurveyInvitation[]; nextCursor: string | null }> {
  const r = await reader(ctx);
  await findCampaign(r, campaignId);
  const after = decodeCursor(f.cursor, cursorValue.text, cursorValue.text);
  let q = r.ctx.db
    .selectFrom('survey_invitations as i')
    .innerJoin('customers as c', 'c.id', 'i.customer_id')
    .leftJoin('departments as d', 'd.id', 'i.department_id')
    .leftJoin('survey_responses as sr', 'sr.id', 'i.response_id')
    .selectAll('i')
    .select([
      'sr.index_score as response_index',
      'c.name as customer_name',
      'c.archive_code as customer_code',
      'c.secrecy as customer_secrecy',
      'c.department_id as customer_department_id',
      'd.name as department_name',
    ])
    .where('i.campaign_id', '=', campaignId)
    .where(visible(r) as never);
  if (f.state === 'waiting') q = q.where('i.answered_at', 'is', null);
  if (f.state === 'answered') q = q.where('i.answered_at', 'is not', null);
  if (after)
    q = q.where((eb) =>
      eb.or([
        eb('c.archive_code', '>', after[0]),
        eb.and([eb('c.archive_code', '=', after[0]), eb('i.id', '>', after[1])]),
      ]),
    );
  const rows = await q
    .orderBy('c.archive_code')
    .orderBy('i.id')
    .limit(f.limit + 1)
    .execute();
  const page = rows.slice(0, f.limit);
  const last = rows.length > f.limit ? page.at(-1) : undefined;
  const campaign = await r.ctx.db
    .selectFrom('survey_campaigns')
    .select('status')
    .where('id', '=', campaignId)
    .executeTakeFirstOrThrow();
  const owners = await ownersOf(r.ctx.db, [...new Set(page.map((x) => x.customer_id))]);
  const names = await namesOf(
    r.ctx.db,
    page.map((x) => x.owner_id),
  );
  return {
    items: page.map((row) => ({
      id: row.id,
      campaignId: row.campaign_id,
      customer: { id: row.customer_id, name: row.customer_name, code: row.customer_code },
      contactName: row.contact_name,
      email: row.email,
      department: row.department_id
        ? { id: row.department_id, name: row.department_name ?? row.department_id }
        : null,
      owner: row.owner_id ? { id: row.owner_id, name: names.get(row.owner_id) ?? row.owner_id } : null,
      sentAt: row.sent_at,
      reminders: Number(row.reminders),
      mailError: row.mail_error,
      answeredAt: row.answered_at,
      responseId: row.response_id,
      index: row.response_index === null ? null : Number(row.response_index),
      secrecy: secrecyFromRank(Number(row.customer_secrecy)),
      can: {
        respond:
          campaign.status === 'running' &&
          !row.answered_at &&
          can(
            r.ctx.actor,
            'survey.respond',
            respondResource(
              r,
              { department_id: row.customer_department_id },
              (owners.get(row.customer_id) ?? []).map((o) => o.id),
            ),
          ),
      },
    })),
    nextCursor: last ? encodeCursor([last.customer_code, last.id]) : null,
  };
}

// Changes ---------------------------------------------------------------------------------------

/** A draft and its invitations: one per chosen customer, to the contact with an e-mail. */
export async function createCampaign(ctx: Ctx, input: CreateCampaignInput): Promise<SurveyCampaignDetail> {
  authorize(ctx, 'survey.manage', { type: 'survey_campaign' });
  const r = await reader(ctx);
  if (input.closesOn < r.today)
    throw new FieldErrors(
      [{ field: 'closesOn', key: 'date_order', params: { date: r.today } }],
      'validation_failed',
      {},
      400,
    );
  // The template id names a form that exists (the defaults are made when forms are listed).
  const id = newId();
  await tx(r.ctx, async (t: TxCtx) => {
    const template = await t.db
      .selectFrom('survey_templates')
      .select(['id', 'current', 'name', 'version'])
      .where('id', '=', input.templateId)
      .executeTakeFirst();
    if (!template) throw new DomainError('not_found', 404, {}, 'templateId');
    if (Number(template.current) !== 1) throw new DomainError('survey_template_old', 409, {}, 'templateId');

    const base = await chosen(r, input.filters, t.db);
    const customers = await base
      .select(['c.id', 'c.email', 'c.department_id'])
      .orderBy('c.archive_code')
      .execute();
    if (customers.length === 0) throw new DomainError('survey_no_customers', 422, {}, 'filters');
    const ids = base.select('c.id');
    // Contacts and owners of every chosen customer: two queries, whatever their number.
    const contacts = await t.db
      .selectFrom('contacts')
      .select(['id', 'customer_id', 'name', 'email', 'is_primary'])
      .where('customer_id', 'in', ids)
      .where('active', '=', 1)
      .orderBy('customer_id')
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    const owners = await t.db
      .selectFrom('customer_owners')
      .select(['customer_id', 'user_id'])
      .where('customer_id', 'in', ids)
      .orderBy('assigned_at')
      .orderBy('user_id')
      .execute();
    const contactsOf = new Map<string, typeof contacts>();
    for (const c of contacts) contactsOf.set(c.customer_id, [...(contactsOf.get(c.customer_id) ?? []), c]);
    const ownerOf = new Map<string, string>();
    for (const o of owners) if (!ownerOf.has(o.customer_id)) ownerOf.set(o.customer_id, o.user_id);

    const now = nowIso(t);
    const number = await nextCode(t, 'survey_campaign', CAMPAIGN_NUMBER_PATTERN, { date: r.today });
    await t.db
      .insertInto('survey_campaigns')
      .values({
        id,
        number,
        name: input.name,
        template_id: template.id,
        status: 'draft',
        filters: JSON.stringify(input.filters),
        period_label: input.periodLabel,
        closes_on: input.closesOn,
        remind_after_days: input.remindAfterDays,
        low_index: input.lowIndex,
        intro: input.intro,
        created_at: now,
        created_by: r.ctx.actor.id,
        sent_at: null,
        sent_by: null,
        closed_at: null,
        closed_by: null,
        updated_at: now,
      })
      .execute();
    const has = (e: string | null | undefined): e is string => !!e?.trim();
    const rows: SurveyInvitationTable[] = customers.map((c) => {
      const list = contactsOf.get(c.id) ?? [];
      const primary = list.find((x) => Number(x.is_primary) === 1);
      // Its primary contact if it has an e-mail, else the first contact with one, else the
      // customer's own address (to the primary contact's name), else by phone.
      const mailed = primary && has(primary.email) ? primary : list.find((x) => has(x.email));
      const named = mailed ?? primary ?? list[0] ?? null;
      const email = mailed?.email?.trim() ?? (has(c.email) ? c.email.trim() : null);
      return {
        id: newId(),
        campaign_id: id,
        customer_id: c.id,
        contact_id: named?.id ?? null,
        contact_name: named?.name ?? null,
        email,
        token_key: null,
        department_id: c.department_id,
        owner_id: ownerOf.get(c.id) ?? null,
        mail_due_at: null,
        mailed_at: null,
        mail_attempts: 0,
        mail_retry_at: null,
        mail_error: null,
        sent_at: null,
        reminders: 0,
        reminded_at: null,
        opened_at: null,
        answered_at: null,
        response_id: null,
        created_at: now,
      };
    });
    for (let i = 0; i < rows.length; i += BATCH)
      await t.db
        .insertInto('survey_invitations')
        .values(rows.slice(i, i + BATCH))
        .execute();
    await appendAudit(t, {
      action: 'survey.campaign_create',
      targetType: 'survey_campaign',
      targetId: id,
      targetLabel: `${number} ${input.name}`,
      details: {
        template: `${template.name} v${template.version}`,
        filters: input.filters,
        invited: rows.length,
        withEmail: rows.filter((x) => x.email).length,
        closesOn: input.closesOn,
      },
    });
  });
  return getCampaign(ctx, id, { audit: false });
}

/** Loads a campaign for a state change, locked on PostgreSQL: 403 unless a survey manager. */
async function changing(r: Reader, t: TxCtx, id: string, from: SurveyCampaignStatus): Promise<CampaignRow> {
  authorize(r.ctx, 'survey.manage', { type: 'survey_campaign', id });
  await t.db
    .updateTable('survey_campaigns')
    .set({ updated_at: nowIso(t) })
    .where('id', '=', id)
    .execute();
  const row = await findCampaign(r, id, t.db);
  if (row.status !== from)
    throw new DomainError('survey_wrong_status', 409, {
      status: SURVEY_CAMPAIGN_STATUS_LABELS[row.status as SurveyCampaignStatus]?.[r.ctx.lang] ?? row.status,
    });
  return row;
}

/** Draft → running: every invitation with an e-mail gets its link and its mail falls due. */
export async function sendCampaign(ctx: Ctx, id: string): Promise<SurveyCampaignDetail> {
  const r = await reader(ctx);
  await tx(r.ctx, async (t) => {
    const row = await changing(r, t, id, 'draft');
    if (row.closes_on < r.today) throw new DomainError('survey_expired', 409, { date: row.closes_on });
    const now = nowIso(t);
    const mailed = await t.db
      .selectFrom('survey_invitations')
      .select('id')
      .where('campaign_id', '=', id)
      .where('email', 'is not', null)
      .where('token_key', 'is', null)
      .execute();
    // One statement a batch: `token_key = case id when … then … end`.
    for (let i = 0; i < mailed.length; i += 500) {
      const chunk = mailed.slice(i, i + 500);
      const cases = sql.join(
        chunk.map((x) => sql`when ${x.id} then ${newTokenKey()}`),
        sql` `,
      );
      await t.db
        .updateTable('survey_invitations')
        .set({ token_key: sql<string>`case id ${cases} end`, mail_due_at: now })
        .where(
          'id',
          'in',
          chunk.map((x) => x.id),
        )
        .execute();
    }
    await t.db
      .updateTable('survey_campaigns')
      .set({ status: 'running', sent_at: now, sent_by: r.ctx.actor.id, updated_at: now })
      .where('id', '=', id)
      .execute();
    await appendAudit(t, {
      action: 'survey.send',
      targetType: 'survey_campaign',
      targetId: id,
      targetLabel: `${row.number} ${row.name}`,
      details: { mails: mailed.length },
    });
  });
  return getCampaign(ctx, id, { audit: false });
}

/** Those who have not answered (and have an e-mail) are mailed again. */
export async function remindCampaign(ctx: Ctx, id: string): Promise<SurveyCampaignDetail> {
  const r = await reader(ctx);
  await tx(r.ctx, async (t) => {
    const row = await changing(r, t, id, 'running');
    if (row.closes_on < r.today) throw new DomainError('survey_expired', 409, { date: row.closes_on });
    const now = nowIso(t);
    // Due again and unclaimed: the mailer sends a reminder to those whose invitation went out
    // (those whose first mail has not gone out yet are still being tried by the mailer).
    const res = await t.db
      .updateTable('survey_invitations')
      .set({ mail_due_at: now, mailed_at: null, mail_attempts: 0, mail_retry_at: null, mail_error: null })
      .where('campaign_id', '=', id)
      .where('answered_at', 'is', null)
      .where('email', 'is not', null)
      .where('token_key', 'is not', null)
      .where('sent_at', 'is not', null)
      .executeTakeFirst();
    await t.db.updateTable('survey_campaigns').set({ updated_at: now }).where('id', '=', id).execute();
    await appendAudit(t, {
      action: 'survey.remind',
      targetType: 'survey_campaign',
      targetId: id,
      targetLabel: `${row.number} ${row.name}`,
      details: { mails: Number(res.numUpdatedRows) },
    });
  });
  return getCampaign(ctx, id, { audit: false });
}

/** Running → closed: no more answers; mail not yet sent is not sent. */
export async function closeCampaign(ctx: Ctx, id: string): Promise<SurveyCampaignDetail> {
  const r = await reader(ctx);
  await tx(r.ctx, async (t) => {
    const row = await changing(r, t, id, 'running');
    const now = nowIso(t);
    await t.db
      .updateTable('survey_campaigns')
      .set({ status: 'closed', closed_at: now, closed_by: r.ctx.actor.id, updated_at: now })
      .where('id', '=', id)
      .execute();
    await t.db
      .updateTable('survey_invitations')
      .set({ mail_due_at: null })
      .where('campaign_id', '=', id)
      .where('mailed_at', 'is', null)
      .execute();
    await appendAudit(t, {
      action: 'survey.close',
      targetType: 'survey_campaign',
      targetId: id,
      targetLabel: `${row.number} ${row.name}`,
    });
  });
  return getCampaign(ctx, id, { audit: false });
}
