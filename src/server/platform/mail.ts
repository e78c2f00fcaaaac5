import type { Transporter } from 'nodemailer';
import type { Db } from '../db/index.js';

// Notifications by e-mail (R-W2), when an SMTP server is configured (KEDANG_SMTP_URL): every
// in-app notification of the last day is also sent to its person's e-mail address, once.
// Notifications are written inside the transactions that cause them; the mail goes out
// afterwards from this outbox, so a rolled-back change never sends a message. Each message is
// claimed in the database first, so several servers send it once between them. A message the
// mail server refuses for now (a 4xx reply, or no connection) is tried again after 1, 5, 30
// and 120 minutes, within the day; a refusal for good (5xx) is recorded and not tried again.

export interface MailConfig {
  smtpUrl: string;
  from: string;
  /** The address people open Kedang at, for the link in a message. */
  publicUrl: string;
}

const WINDOW_MS = 24 * 60 * 60 * 1000;
const BATCH = 50;
/** Minutes to wait before the 2nd, 3rd, … try; after the last, the message stays unsent. */
export const RETRY_MINUTES = [1, 5, 30, 120];

/**
 * Another kind of message with an outbox of its own (survey invitations, modules/surveys/mail.ts),
 * sent at each look after the notifications, through the same connection, claimed and retried
 * the same way.
 */
export interface Outbox {
  send(mail: {
    transport: () => Promise<Transporter>;
    config: MailConfig;
    now: Date;
  }): Promise<{ sent: number; failed: number }>;
}

/** A refusal that may go away: an SMTP 4xx reply, or no reply at all (connection, timeout). */
export function temporary(err: unknown): boolean {
  const code = (err as { responseCode?: unknown })?.responseCode;
  return typeof code === 'number' ? code >= 400 && code < 500 : true;
}

export class MailSender {
  private transport: Promise<Transporter> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly db: Db,
    private readonly config: MailConfig,
    private readonly now: () => Date = () => new Date(),
    private readonly outboxes: readonly Outbox[] = [],
  ) {}

  private transporter(): Promise<Transporter> {
    if (!this.transport)
      this.transport = import('nodemailer').then((m) => m.default.createTransport(this.config.smtpUrl));
    return this.transport;
  }

  /** Sends what is waiting; returns how many messages went out. */
  async tick(): Promise<{ sent: number; failed: number }> {
    const now = this.now();
    const since = new Date(now.getTime() - WINDOW_MS).toISOString();
    const waiting = await this.db
      .selectFrom('notifications as n')
      .innerJoin('users as u', 'u.id', 'n.user_id')
      .select(['n.id', 'n.title', 'n.body', 'n.link', 'n.mail_attempts', 'u.email', 'u.name'])
      .where('n.mailed_at', 'is', null)
      .where('n.created_at', '>=', since)
      .where((eb) =>
        eb.or([eb('n.mail_retry_at', 'is', null), eb('n.mail_retry_at', '<=', now.toISOString())]),
      )
      .where('u.active', '=', 1)
      .where('u.email', 'is not', null)
      .orderBy('n.created_at')
      .limit(BATCH)
      .execute();
    let sent = 0;
    let failed = 0;
    for (const n of waiting) {
      const claimed = await this.db
        .updateTable('notifications')
        .set({ mailed_at: now.toISOString(), mail_attempts: n.mail_attempts + 1 })
        .where('id', '=', n.id)
        .where('mailed_at', 'is', null)
        .where('mail_attempts', '=', n.mail_attempts)
        .executeTakeFirst();
      if (Number(claimed.numUpdatedRows) === 0) continue;
      const link = n.link ? `${this.config.publicUrl.replace(/\/$/, '')}${n.link}` : this.config.publicUrl;
      try {
        await (await this.transporter()).sendMail({
          from: this.config.from,
          to: { name: n.name, address: n.email as string },
          subject: `【客档】${n.title}`,
          // Chinese text travels safely as base64 (and links stay whole, unlike quoted-printable).
          textEncoding: 'base64',
          text: [
            `${n.name}，您好：`,
            '',
            n.title,
            ...(n.body ? [n.body] : []),
            '',
            `打开：${link}`,
            '',
            '—— 客档 Kedang（系统邮件，请勿回复）',
          ].join('\n'),
        });
        sent++;
        if (n.mail_attempts > 0)
          await this.db
            .updateTable('notifications')
            .set({ mail_error: null })
            .where('id', '=', n.id)
            .execute();
      } catch (err) {
        failed++;
        const wait = temporary(err) ? RETRY_MINUTES[n.mail_attempts] : undefined;
        await this.db
          .updateTable('notifications')
          .set({
            mail_error: String(err instanceof Error ? err.message : err).slice(0, 500),
            // Unclaimed again, to be picked up once the wait is over.
            ...(wait === undefined
              ? {}
              : { mailed_at: null, mail_retry_at: new Date(now.getTime() + wait * 60_000).toISOString() }),
          })
          .where('id', '=', n.id)
          .execute();
      }
    }
    for (const outbox of this.outboxes) {
      const r = await outbox.send({ transport: () => this.transporter(), config: this.config, now });
      sent += r.sent;
      failed += r.failed;
    }
    return { sent, failed };
  }

  /** Looks for waiting messages every `intervalMs` until stopped. */
  start(intervalMs = 15_000, log: (message: string) => void = () => {}): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      this.running = this.running
        .then(() => this.tick())
        .then((r) => {
          if (r.failed) log(`mail: ${r.failed} message(s) could not be sent`);
        })
        .catch((err) => log(`mail: ${err instanceof Error ? err.message : String(err)}`));
    }, intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running.catch(() => undefined);
    if (this.transport) (await this.transport).close();
  }
}
