import type { OrderClass, OrderClassReason, OrderKind } from '../../../common/orders.js';
import type { Db } from '../../db/index.js';
import { loadCalendar, type WorkCalendar } from '../../platform/calendar.js';
import type { Ctx } from '../../platform/context.js';
import {
  applicableRequirements,
  filtered as filteredRequirements,
  srReader,
} from '../special-requirements/service.js';
import * as repo from './repo.js';

// The class the system proposes from the facts (R-K1, seed 003 A2): 非常规 for a new product (a
// part number this customer has no accepted order line of), for implemented special requirements
// applying to the customer and one of the parts (the special requirements module's
// `applicableRequirements`, behind GET /api/customers/:id/applicable-requirements), and for an
// annual contract; otherwise 常规. A promised date (the requested one while none is promised)
// earlier than the received date plus the configured lead time in working days is "lead time at
// risk": the order stays 常规 but PMC, purchasing and production review it (R-K2). Every reason
// is stored with the facts behind it.

export interface StoredReason {
  code: OrderClassReason;
  partNumbers?: string[];
  lines?: { lineNo: number; promisedOn: string; earliestOn: string }[];
  requirementIds?: string[];
}

export interface Proposal {
  proposedClass: OrderClass;
  reasons: StoredReason[];
  leadTimeAtRisk: boolean;
}

export interface ClassFacts {
  orderId: string | null;
  customerId: string;
  kind: OrderKind;
  receivedOn: string;
  lines: { lineNo: number; partNumber: string; requestedOn: string; promisedOn: string | null }[];
  leadTimeDays: number;
}

export async function proposeClass(ctx: Ctx, db: Db, facts: ClassFacts): Promise<Proposal> {
  const parts = [...new Set(facts.lines.map((l) => l.partNumber))];
  const before = await repo.partsOrderedBefore(db, facts.customerId, parts, facts.orderId);
  // The reader's own view of the requirements (the order's registrant sees its archive).
  const requirementIds = new Set<string>();
  for (const part of parts) {
    const found = await applicableRequirements({ ...ctx, db }, facts.customerId, part);
    for (const item of found.items) requirementIds.add(item.id);
  }
  return classFrom(facts, {
    before,
    requirementIds: [...requirementIds],
    calendar: await loadCalendar({ db }),
  });
}

/** What the class depends on besides the order itself, read once for many orders (the import). */
export interface ClassContext {
  /** Part numbers of the customer's accepted orders among the order's parts. */
  before: ReadonlySet<string>;
  /** Implemented special requirements applying to the customer and one of the order's parts. */
  requirementIds: string[];
  calendar: WorkCalendar;
}

/** The class from the facts and their context: the rule itself, without the database. */
export function classFrom(facts: ClassFacts, c: ClassContext): Proposal {
  const reasons: StoredReason[] = [];
  const parts = [...new Set(facts.lines.map((l) => l.partNumber))];
  const fresh = parts.filter((p) => !c.before.has(p));
  if (fresh.length) reasons.push({ code: 'new_part', partNumbers: fresh });
  if (c.requirementIds.length)
    reasons.push({ code: 'special_requirements', requirementIds: c.requirementIds });
  if (facts.kind === 'annual') reasons.push({ code: 'annual' });
  const earliestOn = c.calendar.addWorkingDays(facts.receivedOn, facts.leadTimeDays);
  const atRisk = facts.lines
    .map((l) => ({ lineNo: l.lineNo, promisedOn: l.promisedOn ?? l.requestedOn, earliestOn }))
    .filter((l) => l.promisedOn < earliestOn);
  if (atRisk.length) reasons.push({ code: 'lead_time', lines: atRisk });
  const nonRegular = reasons.some((r) => r.code !== 'lead_time');
  return {
    proposedClass: nonRegular ? 'non_regular' : 'regular',
    reasons,
    leadTimeAtRisk: atRisk.length > 0,
  };
}

/**
 * The implemented special requirements of one customer that the reader sees, with the parts they
 * apply to: one query for all the parts of many orders, matching as `applicableRequirements`
 * does (requirements for all parts, or listing the part).
 */
export async function requirementsByPart(
  ctx: Ctx,
  db: Db,
  customerId: string,
): Promise<(part: string) => string[]> {
  const r = await srReader({ ...ctx, db });
  const rows = await filteredRequirements(r, { customerId, status: 'implemented' })
    .select(['r.id', 'r.applies_to_all', 'r.part_numbers'])
    .orderBy('r.seq')
    .limit(5000)
    .execute();
  const all = rows.filter((q) => q.applies_to_all === 1).map((q) => q.id);
  const byPart = new Map<string, string[]>();
  for (const q of rows) {
    if (q.applies_to_all === 1) continue;
    for (const part of JSON.parse(q.part_numbers) as string[])
      byPart.set(part, [...(byPart.get(part) ?? []), q.id]);
  }
  return (part) => [...all, ...(byPart.get(part) ?? [])];
}

export function parseReasons(json: string): StoredReason[] {
  try {
    const v = JSON.parse(json);
    return Array.isArray(v) ? (v as StoredReason[]) : [];
  } catch {
    return [];
  }
}
