import { renderHandoverNotice } from '../../../common/customers.js';
import { todayInShanghai } from '../../../common/time.js';
import type { Db } from '../../db/index.js';
import { appendAudit } from '../../platform/audit/chain.js';
import { type Ctx, nowIso, SYSTEM_ACTOR, type TxCtx, tx } from '../../platform/context.js';
import { newId } from '../../platform/ids.js';
import { type Outbox, RETRY_MINUTES, temporary } from '../../platform/mail.js';
import { companyName } from '../../platform/organisation.js';
import { loadSettings } from './config.js';
import { recordInteraction } from './contacts.js';

// The customer told of a handover (R-C9, seed 001 篇一: 交接应由公司及时通知有关客户). Each archive
// handed over gets one notice to its primary contact, from the template in the customer settings
// (handoverNoticeTemplate) with the successor's name, phone and e-mail: an e-mail when SMTP is
// configured and the contact has an address — queued in the handover's transaction and sent from
// this outbox by the platform's mail sender, so a rolled-back handover sends nothing — else a
// phone task (回访任务, way phone) for the successor. A sent mail becomes an interaction (往来记录)
// of the archive; a call becomes one when the successor records the visit.

const BATCH = 50;

export interface NoticeTarget {
  customerId: string;
  archiveCode: string;
  customerName: string;
  secrecy: number;
  contactId: string | null;
  contactName: string | null;
  email: string | null;
  channel: 'mail' | 'call';
}

/**
 * For each active archive (draft or filed), its primary contact (else its first active one) and how
 * it will be told.
 */
export async function noticeTargets(db: Db, customerIds: string[], mail: boolean): Promise<NoticeTarget[]> {
  const out: NoticeTarget[] = [];
  for (let i = 0; i < customerIds.length; i += 500) {
    const ids = customerIds.slice(i, i + 500);
    const [archives, contacts] = await Promise.all([
      db
        .selectFrom('customers')
        .select(['id', 'archive_code', 'name', 'secrecy'])
        .where('id', 'in', ids)
        // A customer no longer served (deactivated) is not told.
        .where('status', 'in', ['draft', 'filed'])
        .orderBy('archive_code')
        .execute(),
      db
        .selectFrom('contacts')
        .select(['id', 'customer_id', 'name', 'email', 'is_primary', 'created_at'])
        .where('customer_id', 'in', ids)
        .where('active', '=', 1)
        .orderBy('is_primary', 'desc')
        .orderBy('created_at')
        .orderBy('id')
        .execute(),
    ]);
    for (const a of archives) {
      const c = contacts.find((x) => x.customer_id === a.id);
      const email = c?.email?.trim() || null;
      out.push({
        customerId: a.id,
        archiveCode: a.archive_code,
        customerName: a.name,
        secrecy: Number(a.secrecy),
        contactId: c?.id ?? null,
        contactName: c?.name ?? null,
        email,
        channel: mail && email ? 'mail' : 'call',
      });
    }
  }
  return out;
}

interface Person {
  id: string;
  name: string;
  phone: string | null;
  email: string | null;
}

/**
 * The notices of a handover, in its transaction: a queued mail or a call task per archive.
 * Returns how many of each.
 */
export async function createNotices(
  t: TxCtx,
  input: {
    handoverId: string;
    fromName: string;
    pairs: readonly (readonly [customerId: string, toUserId: string])[];
    mail: boolean;
  },
): Promise<{ mail: number; call: number }> {
  const successorIds = [...new Set(input.pairs.map(([, to]) => to))];
  const people: Person[] = successorIds.length
    ? await t.db
        .selectFrom('users')
        .select(['id', 'name', 'phone', 'email'])
        .where('id', 'in', successorIds)
        .execute()
    : [];
  const settings = await loadSettings(t.db);
  const company = await companyName(t.db);
  const targets = await noticeTargets(
    t.db,
    input.pairs.map(([c]) => c),
    input.mail,
  );
  const now = nowIso(t);
  let mail = 0;
  let call = 0;
  for (const target of targets) {
    const to = people.find((p) => p.id === input.pairs.find(([c]) => c === target.customerId)?.[1]);
    if (!to) continue;
    const body = renderHandoverNotice(settings.handoverNoticeTemplate, {
      客户名称: target.customerName,
      联系人: target.contactName,
      新负责人: to.name,
      新负责人电话: to.phone,
      新负责人邮箱: to.email,
      原负责人: input.fromName,
      公司名称: company,
    });
    const subject = `【${company}】客户服务负责人变更通知`;
    const id = newId();
    let visitTaskId: string | null = null;
    if (target.channel === 'call') {
      visitTaskId = await callTask(t, {
        handoverId: input.handoverId,
        customerId: target.customerId,
        contactName: target.contactName,
        to,
        body,
        why: null,
      });
      call++;
    } else mail++;
    await t.db
      .insertInto('handover_notices')
      .values({
        id,
        handover_id: input.handoverId,
        customer_id: target.customerId,
        contact_id: target.contactId,
        contact_name: target.contactName,
        to_user_id: to.id,
        channel: target.channel,
        email: target.channel === 'mail' ? target.email : null,
        subject,
        body,
        visit_task_id: visitTaskId,
        interaction_id: null,
        created_at: now,
        mailed_at: null,
        mail_attempts: 0,
        mail_retry_at: null,
        mail_error: null,
        sent_at: null,
      })
      .execute();
    await appendAudit(t, {
      action: 'customer.handover_notice',
      targetType: 'customer',
      targetId: target.customerId,
      targetLabel: `${target.archiveCode} ${target.customerName}`,
      secrecy: target.secrecy,
      details: {
        handoverId: input.handoverId,
        noticeId: id,
        channel: target.channel,
        contactId: target.contactId,
        toUserId: to.id,
        ...(visitTaskId ? { visitTaskId } : {}),
      },
    });
  }
  return { mail, call };
}

/** A phone task for the successor: tell the contact who looks after them now (R-C9). */
async function callTask(
  t: TxCtx,
  input: {
    handoverId: string;
    customerId: string;
    contactName: string | null;
    to: { id: string; name: string; phone: string | null };
    body: string;
    /** Why a mail did not do (a refused address), if that is why. */
    why: string | null;
  },
): Promise<string> {
  const id = newId();
  const now = nowIso(t);
  const today = todayInShanghai(t.now());
  const { to } = input;
  await t.db
    .insertInto('visit_tasks')
    .values({
      id,
      customer_id: input.customerId,
      trigger: 'manual',
      rule_id: null,
      rule_name: null,
      source_type: 'handover',
      source_id: input.handoverId,
      plan_key: `handover:${input.handoverId}:${input.customerId}`,
      step: 1,
      offset_days: 0,
      day_kind: 'calendar',
      base_date: today,
      due_date: today,
      way: 'phone',
      assignee_id: to.id,
      status: 'open',
      note: `${input.why ? `${input.why}\n` : ''}交接告知：请致电${input.contactName ?? '客户'}，告知今后由您（${to.name}${to.phone ? `，${to.phone}` : ''}）负责该客户。告知内容：\n${input.body}`.slice(
        0,
        4000,
      ),
      visited_on: null,
      visit_way: null,
      contact: null,
      content: null,
      feedback: null,
      next_step: null,
      next_step_due: null,
      interaction_id: null,
      done_by: null,
      done_at: null,
      cancelled_at: null,
      cancelled_by: null,
      cancel_reason: null,
      cancel_note: null,
      reminded_at: null,
      created_at: now,
      created_by: t.actor?.id ?? 'system',
      updated_at: now,
    })
    .execute();
  return id;
}

/** The notices of handovers, counted: mails queued, mails sent, call tasks. */
export async function noticeCounts(
  db: Db,
  handoverIds: string[],
): Promise<Map<string, { mail: number; sent: number; call: number }>> {
  const out = new Map<string, { mail: number; sent: number; call: number }>();
  if (handoverIds.length === 0) return out;
  const rows = await db
    .selectFrom('handover_notices')
    .select(['handover_id', 'channel', 'sent_at'])
    .where('handover_id', 'in', handoverIds)
    .execute();
  for (const r of rows) {
    const c = out.get(r.handover_id) ?? { mail: 0, sent: 0, call: 0 };
    if (r.channel === 'call') c.call++;
    else {
      c.mail++;
      if (r.sent_at) c.sent++;
    }
    out.set(r.handover_id, c);
  }
  return out;
}

/** A mail that cannot be delivered becomes a call task for the successor, audited. */
async function callInstead(
  db: Db,
  n: {
    id: string;
    handover_id: string;
    customer_id: string;
    contact_name: string | null;
    to_user_id: string;
    body: string;
    email: string | null;
  },
  now: Date,
  err: unknown,
): Promise<void> {
  const ctx: Ctx = { db, actor: SYSTEM_ACTOR, now: () => now, requestId: null, ip: null, lang: 'zh' };
  await tx(ctx, async (t) => {
    const to = await t.db
      .selectFrom('users')
      .select(['id', 'name', 'phone'])
      .where('id', '=', n.to_user_id)
      .executeTakeFirst();
    const archive = await t.db
      .selectFrom('customers')
      .select(['archive_code', 'name', 'secrecy'])
      .where('id', '=', n.customer_id)
      .executeTakeFirst();
    if (!to || !archive) return;
    const visitTaskId = await callTask(t, {
      handoverId: n.handover_id,
      customerId: n.customer_id,
      contactName: n.contact_name,
      to,
      body: n.body,
      why: `交接告知邮件未能送达 ${n.email ?? ''}`.trim(),
    });
    await t.db
      .updateTable('handover_notices')
      .set({ visit_task_id: visitTaskId })
      .where('id', '=', n.id)
      .execute();
    await appendAudit(t, {
      action: 'customer.handover_notice',
      targetType: 'customer',
      targetId: n.customer_id,
      targetLabel: `${archive.archive_code} ${archive.name}`,
      secrecy: Number(archive.secrecy),
      details: {
        handoverId: n.handover_id,
        noticeId: n.id,
        channel: 'call',
        toUserId: to.id,
        visitTaskId,
        mailError: String(err instanceof Error ? err.message : err).slice(0, 200),
      },
    });
  });
}

/** The outbox of handover notices, for the MailSender of `kedang serve`. */
export function handoverNoticeOutbox(db: Db): Outbox {
  return {
    async send({ transport, config, now }) {
      const at = now.toISOString();
      const waiting = await db
        .selectFrom('handover_notices')
        .selectAll()
        .where('channel', '=', 'mail')
        .where('mailed_at', 'is', null)
        .where('email', 'is not', null)
        .where((eb) => eb.or([eb('mail_retry_at', 'is', null), eb('mail_retry_at', '<=', at)]))
        .orderBy('created_at')
        .orderBy('id')
        .limit(BATCH)
        .execute();
      let sent = 0;
      let failed = 0;
      for (const n of waiting) {
        const claimed = await db
          .updateTable('handover_notices')
          .set({ mailed_at: at, mail_attempts: n.mail_attempts + 1 })
          .where('id', '=', n.id)
          .where('mailed_at', 'is', null)
          .where('mail_attempts', '=', n.mail_attempts)
          .executeTakeFirst();
        if (Number(claimed.numUpdatedRows) === 0) continue;
        try {
          await (await transport()).sendMail({
            from: config.from,
            to: { name: n.contact_name ?? '', address: n.email as string },
            subject: n.subject,
            // Chinese text travels safely as base64.
            textEncoding: 'base64',
            text: `${n.body}\n\n（本邮件由系统发送，如需联系请使用上面的电话或邮箱）`,
          });
        } catch (err) {
          failed++;
          const wait = temporary(err) ? RETRY_MINUTES[n.mail_attempts] : undefined;
          await db
            .updateTable('handover_notices')
            .set({
              mail_error: String(err instanceof Error ? err.message : err).slice(0, 500),
              ...(wait === undefined
                ? {}
                : { mailed_at: null, mail_retry_at: new Date(now.getTime() + wait * 60_000).toISOString() }),
            })
            .where('id', '=', n.id)
            .execute();
          // Refused for good, or tried for the last time: the successor calls instead.
          if (wait === undefined) await callInstead(db, n, now, err).catch(() => undefined);
          continue;
        }
        sent++;
        // Sent: the archive's timeline shows it as an e-mail to the contact (往来记录), audited.
        const ctx: Ctx = {
          db,
          actor: SYSTEM_ACTOR,
          now: () => now,
          requestId: null,
          ip: null,
          lang: 'zh',
        };
        await tx(ctx, async (t) => {
          const interactionId = await recordInteraction(
            t,
            n.customer_id,
            {
              kind: 'email',
              occurredOn: todayInShanghai(now),
              participants: n.contact_name,
              summary: `交接告知邮件（发往 ${n.email}）：${n.subject}\n${n.body}`.slice(0, 5000),
              nextStep: null,
              nextStepDue: null,
            },
            { handoverId: n.handover_id, noticeId: n.id, origin: 'handover_notice' },
          );
          await t.db
            .updateTable('handover_notices')
            .set({ sent_at: at, interaction_id: interactionId, mail_error: null, mail_retry_at: null })
            .where('id', '=', n.id)
            .execute();
        });
      }
      return { sent, failed };
    },
  };
}
