import { todayInShanghai } from '../../../common/time.js';
import { appendAudit } from '../../platform/audit/chain.js';
import { addDays } from '../../platform/calendar.js';
import { type Ctx, nowIso, tx } from '../../platform/context.js';

// The daily `survey_reminders` (R-V3): in a running campaign that reminds (remind_after_days > 0),
// an invitation not answered whose last mail (the reminder, else the first one) went out at least
// that many days ago (Shanghai dates) is queued again: its mail is due now and the outbox
// (surveys/mail.ts) sends it as a reminder. Not after the campaign's closing day, when the link no
// longer opens; closing a campaign is left to people. An invitation whose mail is still under way
// (queued, or being retried) or was refused (an address that does not work) is left alone.

export async function surveyDaily(ctx: Ctx): Promise<{ campaigns: number; reminders: number }> {
  const today = todayInShanghai(ctx.now());
  const campaigns = await ctx.db
    .selectFrom('survey_campaigns')
    .select(['id', 'number', 'name', 'remind_after_days'])
    .where('status', '=', 'running')
    .where('remind_after_days', '>', 0)
    .where('closes_on', '>=', today)
    .orderBy('id')
    .execute();
  let reminders = 0;
  let reminded = 0;
  for (const k of campaigns) {
    // Last mailed on or before this Shanghai date: before the start of the next day there.
    const cutoff = new Date(
      `${addDays(today, -Number(k.remind_after_days) + 1)}T00:00:00+08:00`,
    ).toISOString();
    const queued = await tx(ctx, async (t) => {
      const at = nowIso(t);
      const r = await t.db
        .updateTable('survey_invitations')
        .set({ mail_due_at: at, mailed_at: null, mail_attempts: 0, mail_retry_at: null, mail_error: null })
        .where('campaign_id', '=', k.id)
        .where('answered_at', 'is', null)
        .where('email', 'is not', null)
        .where('token_key', 'is not', null)
        .where('sent_at', 'is not', null)
        // Not queued or being retried right now, and not refused by the mail server.
        .where('mailed_at', 'is not', null)
        .where('mail_error', 'is', null)
        .where((eb) =>
          eb.or([
            eb.and([eb('reminded_at', 'is', null), eb('sent_at', '<', cutoff)]),
            eb('reminded_at', '<', cutoff),
          ]),
        )
        .executeTakeFirst();
      const n = Number(r.numUpdatedRows);
      if (n > 0)
        await appendAudit(t, {
          action: 'survey.remind',
          targetType: 'survey_campaign',
          targetId: k.id,
          targetLabel: `${k.number} ${k.name}`,
          details: { mails: n, automatic: true, afterDays: Number(k.remind_after_days) },
        });
      return n;
    });
    reminders += queued;
    if (queued > 0) reminded++;
  }
  return { campaigns: reminded, reminders };
}
