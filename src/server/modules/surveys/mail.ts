import { todayInShanghai } from '../../../common/time.js';
import type { Db } from '../../db/index.js';
import { type Outbox, RETRY_MINUTES, temporary } from '../../platform/mail.js';
import { displayCompanyName, linkToken } from './link.js';

// Survey invitations by e-mail (R-V3): an invitation whose mail is due (`mail_due_at`, set when a
// campaign is sent or a reminder queued) goes out from this outbox with the platform's mail
// sender (platform/mail.ts): claimed in the database first (`mailed_at`), so several servers send
// it once between them; a refusal for now is tried again after the notifications' waits, one for
// good is recorded in `mail_error`. The first mail sets `sent_at`; a later one is a reminder.
// Only invitations that may still be answered are looked at: a running campaign before the end
// of its closing day, not answered yet.

const BATCH = 50;

/** The public page of a link. */
export function surveyUrl(publicUrl: string, token: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/s/${token}`;
}

export function invitationText(m: {
  company: string;
  contactName: string | null;
  campaignName: string;
  intro: string | null;
  url: string;
  closesOn: string;
  reminder: boolean;
}): string {
  return [
    `${m.contactName ? `${m.contactName}` : '尊敬的客户'}，您好：`,
    '',
    m.reminder
      ? `我们还没有收到您对《${m.campaignName}》的回复。您的意见对我们很重要，恳请抽出几分钟填写。`
      : `${m.company}诚邀您参加《${m.campaignName}》，您的意见将帮助我们改进产品和服务。`,
    ...(m.intro ? ['', m.intro] : []),
    '',
    '请点击下面的链接填写问卷（手机、电脑均可打开），该链接仅供您使用，提交一次后即失效：',
    m.url,
    '',
    `填写截止日期：${m.closesOn}`,
    '',
    '感谢您的支持！',
    m.company,
    '',
    '（本邮件由系统发送，请勿直接回复）',
  ].join('\n');
}

/** The outbox of survey invitations, for the MailSender of `kedang serve`. */
export function surveyOutbox(db: Db): Outbox {
  return {
    async send({ transport, config, now }) {
      const at = now.toISOString();
      const waiting = await db
        .selectFrom('survey_invitations as i')
        .innerJoin('survey_campaigns as k', 'k.id', 'i.campaign_id')
        .select([
          'i.id',
          'i.email',
          'i.contact_name',
          'i.token_key',
          'i.mail_attempts',
          'i.sent_at',
          'k.name as campaign_name',
          'k.intro',
          'k.closes_on',
        ])
        .where('i.mailed_at', 'is', null)
        .where('i.mail_due_at', '<=', at)
        .where((eb) => eb.or([eb('i.mail_retry_at', 'is', null), eb('i.mail_retry_at', '<=', at)]))
        .where('i.email', 'is not', null)
        .where('i.token_key', 'is not', null)
        .where('i.answered_at', 'is', null)
        .where('k.status', '=', 'running')
        .where('k.closes_on', '>=', todayInShanghai(now))
        .orderBy('i.mail_due_at')
        .orderBy('i.id')
        .limit(BATCH)
        .execute();
      if (waiting.length === 0) return { sent: 0, failed: 0 };
      const company = await displayCompanyName(db);
      let sent = 0;
      let failed = 0;
      for (const inv of waiting) {
        const claimed = await db
          .updateTable('survey_invitations')
          .set({ mailed_at: at, mail_attempts: inv.mail_attempts + 1 })
          .where('id', '=', inv.id)
          .where('mailed_at', 'is', null)
          .where('mail_attempts', '=', inv.mail_attempts)
          .executeTakeFirst();
        if (Number(claimed.numUpdatedRows) === 0) continue;
        const reminder = inv.sent_at !== null;
        try {
          const url = surveyUrl(config.publicUrl, await linkToken(db, inv.token_key as string));
          await (await transport()).sendMail({
            from: config.from,
            to: { name: inv.contact_name ?? '', address: inv.email as string },
            subject: `【${company}】${inv.campaign_name}`,
            // Chinese text travels safely as base64 (and the link stays whole).
            textEncoding: 'base64',
            text: invitationText({
              company,
              contactName: inv.contact_name,
              campaignName: inv.campaign_name,
              intro: inv.intro,
              url,
              closesOn: inv.closes_on,
              reminder,
            }),
          });
          sent++;
          // The attempts count the tries of the message under way; the next reminder starts at 0.
          await db
            .updateTable('survey_invitations')
            .set({
              mail_attempts: 0,
              mail_retry_at: null,
              mail_error: null,
              ...(reminder
                ? { reminded_at: at, reminders: (eb) => eb('reminders', '+', 1) }
                : { sent_at: at }),
            })
            .where('id', '=', inv.id)
            .execute();
        } catch (err) {
          failed++;
          const wait = temporary(err) ? RETRY_MINUTES[inv.mail_attempts] : undefined;
          await db
            .updateTable('survey_invitations')
            .set({
              mail_error: String(err instanceof Error ? err.message : err).slice(0, 500),
              // Unclaimed again, to be picked up once the wait is over; else left claimed, unsent.
              ...(wait === undefined
                ? {}
                : { mailed_at: null, mail_retry_at: new Date(now.getTime() + wait * 60_000).toISOString() }),
            })
            .where('id', '=', inv.id)
            .execute();
        }
      }
      return { sent, failed };
    },
  };
}
