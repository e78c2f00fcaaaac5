import type { Readable } from 'node:stream';
import { type SelectQueryBuilder, sql } from 'kysely';
import { AUDIT_ACTION_LABELS, AUDIT_TARGET_LABELS } from '../../../common/audit-actions.js';
import {
  AUDIT_OUTCOME_LABELS,
  type AuditOutcome,
  SECRECY_LABELS,
  secrecyFromRank,
} from '../../../common/enums.js';
import type { AuditEntry, VerifyResult } from '../../../common/schemas/platform.js';
import { formatDateTime } from '../../../common/time.js';
import type { AuditLogTable, Database } from '../../db/types.js';
import { verifyAnchored } from '../../platform/audit/anchor.js';
import { appendAudit, exportSecrecy } from '../../platform/audit/chain.js';
import type { Actor, Ctx } from '../../platform/context.js';
import { DomainError } from '../../platform/errors.js';
import { cursorValue, decodeCursor, encodeCursor } from '../../platform/http.js';
import { authorize, withinClearance } from '../../platform/policy/index.js';
import { targetWithinClearance } from '../../platform/policy/records.js';
import { EXPORT_MAX_ROWS, streamWorkbook } from '../../platform/xlsx.js';

export interface AuditFilter {
  actor?: string | undefined;
  action?: string | undefined;
  targetType?: string | undefined;
  target?: string | undefined;
  outcome?: AuditOutcome | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

/** Start of a Shanghai calendar day as a UTC instant. */
function dayStart(date: string): string {
  return new Date(`${date}T00:00:00+08:00`).toISOString();
}

function filtered(
  ctx: Ctx & { actor: Actor },
  f: AuditFilter,
): SelectQueryBuilder<Database, 'audit_log', object> {
  // The level stored with the entry (what it was about when written), and its target's level now
  // (R-P9: an archive raised later hides what was written about its documents). The second is a
  // primary-key lookup per entry read, nothing for readers cleared for everything.
  let q = ctx.db
    .selectFrom('audit_log')
    .where(withinClearance(ctx.actor, 'secrecy'))
    .where(
      targetWithinClearance(ctx.actor, sql.ref('audit_log.target_type'), sql.ref('audit_log.target_id')),
    );
  if (f.actor) q = q.where('actor_login', '=', f.actor.toLowerCase());
  if (f.action) {
    // `auth.` (or `auth.*`) selects a whole group of actions.
    q =
      f.action.endsWith('.') || f.action.endsWith('*')
        ? q.where('action', 'like', `${f.action.replace(/\*$/, '').replace(/[\\%_]/g, '')}%`)
        : q.where('action', '=', f.action);
  }
  if (f.targetType) q = q.where('target_type', '=', f.targetType);
  const target = f.target;
  if (target) q = q.where((eb) => eb.or([eb('target_id', '=', target), eb('target_label', '=', target)]));
  if (f.outcome) q = q.where('outcome', '=', f.outcome);
  if (f.from) q = q.where('at', '>=', dayStart(f.from));
  if (f.to) q = q.where('at', '<', new Date(Date.parse(dayStart(f.to)) + 86_400_000).toISOString());
  return q;
}

type Trigger = { id: string; login: string };

/** The person an entry of the system's names as having set it off (`details.triggeredBy`). */
function triggerOf(details: Record<string, unknown> | null): Trigger | null {
  const t = details?.triggeredBy as Partial<Trigger> | undefined;
  return t && typeof t.id === 'string' && typeof t.login === 'string' ? { id: t.id, login: t.login } : null;
}

/** Names of the people who set off the system's entries among these, in one query. */
async function triggerNames(db: Ctx['db'], rows: AuditLogTable[]): Promise<Map<string, string>> {
  const ids = [
    ...new Set(
      rows.flatMap((r) => {
        const t = r.details?.includes('triggeredBy') ? triggerOf(JSON.parse(r.details)) : null;
        return t ? [t.id] : [];
      }),
    ),
  ];
  if (ids.length === 0) return new Map();
  const users = await db.selectFrom('users').select(['id', 'name']).where('id', 'in', ids).execute();
  return new Map(users.map((u) => [u.id, u.name]));
}

/** 「系统（由 张三 触发）」 for the export's actor column. */
function actorText(login: string | null, trigger: (Trigger & { name: string }) | null, lang: 'zh' | 'en') {
  if (!trigger) return login ?? '';
  return lang === 'en' ? `System (set off by ${trigger.name})` : `系统（由 ${trigger.name} 触发）`;
}

function toEntry(r: AuditLogTable, names: Map<string, string>): AuditEntry {
  const details = r.details ? (JSON.parse(r.details) as Record<string, unknown>) : null;
  const trigger = triggerOf(details);
  return {
    seq: Number(r.seq),
    at: r.at,
    actorId: r.actor_id,
    actorLogin: r.actor_login,
    action: r.action,
    targetType: r.target_type,
    targetId: r.target_id,
    targetLabel: r.target_label,
    secrecy: secrecyFromRank(Number(r.secrecy)),
    ip: r.ip,
    outcome: r.outcome as AuditOutcome,
    requestId: r.request_id,
    details,
    triggeredBy: trigger ? { ...trigger, name: names.get(trigger.id) ?? trigger.login } : null,
  };
}

export async function search(
  ctx: Ctx,
  q: AuditFilter & { cursor?: string | undefined; limit: number },
): Promise<{ items: AuditEntry[]; nextCursor: string | null }> {
  authorize(ctx, 'audit.read', { type: 'audit_log' });
  const after = decodeCursor(q.cursor, cursorValue.key);
  let query = filtered(ctx, q).selectAll();
  if (after) query = query.where('seq', '<', after[0]);
  const rows = await query
    .orderBy('seq', 'desc')
    .limit(q.limit + 1)
    .execute();
  const more = rows.length > q.limit;
  const kept = more ? rows.slice(0, q.limit) : rows;
  const names = await triggerNames(ctx.db, kept);
  const items = kept.map((r) => toEntry(r, names));
  const last = items.at(-1);
  return { items, nextCursor: more && last ? encodeCursor([last.seq]) : null };
}

export async function verify(ctx: Ctx, dataDir: string): Promise<VerifyResult> {
  authorize(ctx, 'audit.verify', { type: 'audit_log' });
  const result = await verifyAnchored(ctx.db, dataDir, ctx.now());
  await appendAudit(ctx, {
    action: 'audit.verify',
    targetType: 'audit_log',
    outcome: result.ok ? 'success' : 'failure',
    details: { checked: result.checked, headSeq: result.headSeq, firstBroken: result.firstBroken },
  });
  return result;
}

const BATCH = 2000;

/**
 * Streams the filtered log as .xlsx (newest first), batch by batch, so memory stays flat.
 * The export itself is recorded before the first byte leaves.
 */
export async function exportXlsx(ctx: Ctx, f: AuditFilter): Promise<Readable> {
  authorize(ctx, 'audit.export', { type: 'audit_log' });
  const lang = ctx.lang;
  // An .xlsx sheet holds about a million rows; refuse rather than cut the export short. Counting
  // stops one past the limit, so a log of ten million entries is not read to the end for it.
  const { n } = await ctx.db
    .selectFrom(
      filtered(ctx, f)
        .select('seq')
        .limit(EXPORT_MAX_ROWS + 1)
        .as('x'),
    )
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  if (Number(n) > EXPORT_MAX_ROWS) throw new DomainError('export_too_large', 422, { max: EXPORT_MAX_ROWS });
  await appendAudit(ctx, {
    action: 'audit.export',
    targetType: 'audit_log',
    // The filter may name a record the log's other readers are not cleared for.
    secrecy: exportSecrecy(ctx.actor, { ...f }, 0),
    details: { filter: { ...f } },
  });
  return streamWorkbook(async (workbook) => {
    const sheet = workbook.addWorksheet(lang === 'en' ? 'Audit log' : '审计日志');
    const zh = lang !== 'en';
    sheet.columns = [
      { header: zh ? '序号' : 'Seq', key: 'seq', width: 10 },
      { header: zh ? '时间' : 'Time', key: 'at', width: 20 },
      { header: zh ? '操作人' : 'Actor', key: 'actor', width: 16 },
      { header: zh ? '操作' : 'Action', key: 'action', width: 18 },
      { header: zh ? '操作代码' : 'Action code', key: 'actionCode', width: 22 },
      { header: zh ? '对象类型' : 'Target type', key: 'targetType', width: 12 },
      { header: zh ? '对象' : 'Target', key: 'target', width: 24 },
      { header: zh ? '对象ID' : 'Target id', key: 'targetId', width: 38 },
      { header: zh ? '密级' : 'Secrecy', key: 'secrecy', width: 8 },
      { header: zh ? '结果' : 'Outcome', key: 'outcome', width: 8 },
      { header: 'IP', key: 'ip', width: 16 },
      { header: zh ? '请求号' : 'Request', key: 'requestId', width: 14 },
      { header: zh ? '详情' : 'Details', key: 'details', width: 60 },
    ];
    sheet.getRow(1).font = { bold: true };
    sheet.getRow(1).commit();

    let cursor: number | null = null;
    for (;;) {
      let q = filtered(ctx as Ctx & { actor: Actor }, f).selectAll();
      if (cursor !== null) q = q.where('seq', '<', cursor);
      const rows = await q.orderBy('seq', 'desc').limit(BATCH).execute();
      const names = await triggerNames(ctx.db, rows);
      for (const r of rows) {
        const trigger = r.details?.includes('triggeredBy') ? toEntry(r, names).triggeredBy : null;
        const label = (map: Record<string, { zh: string; en: string }>, key: string | null) =>
          key ? (map[key]?.[lang] ?? key) : '';
        sheet
          .addRow({
            seq: Number(r.seq),
            at: formatDateTime(r.at),
            actor: actorText(r.actor_login, trigger, lang),
            action: label(AUDIT_ACTION_LABELS, r.action),
            actionCode: r.action,
            targetType: label(AUDIT_TARGET_LABELS, r.target_type),
            target: r.target_label ?? '',
            targetId: r.target_id ?? '',
            secrecy: SECRECY_LABELS[secrecyFromRank(Number(r.secrecy))][lang],
            outcome: label(AUDIT_OUTCOME_LABELS, r.outcome),
            ip: r.ip ?? '',
            requestId: r.request_id ?? '',
            details: r.details ?? '',
          })
          .commit();
      }
      if (rows.length < BATCH) break;
      cursor = Number(rows.at(-1)?.seq);
    }
    sheet.commit();
  });
}
