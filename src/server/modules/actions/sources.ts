import { type Expression, type ExpressionBuilder, type SqlBool, sql } from 'kysely';
import type { ActionSourceType } from '../../../common/actions.js';
import type { CaseEventKind } from '../../../common/cases.js';
import type { Db } from '../../db/index.js';
import type { Database } from '../../db/types.js';
import type { Actor, Ctx, TxCtx } from '../../platform/context.js';
import { DomainError } from '../../platform/errors.js';
import { can } from '../../platform/policy/index.js';
import {
  type ActorScope,
  actorScope,
  caseVisible,
  requirementVisible,
  surveyVisible,
} from '../../platform/policy/records.js';
import type { CaseResource } from '../../platform/policy/rules.js';
import * as cases from '../cases/service.js';
import { ownersOf } from '../customers/repo.js';
import { srReader, srResourceWith } from '../special-requirements/access.js';
import * as srRepo from '../special-requirements/repo.js';
import * as sr from '../special-requirements/service.js';
import * as surveys from '../surveys/service.js';

// Where corrective and preventive actions come from. Each source kind answers, for a reader and a
// source id: may they see it (else the source and its actions are absent: 404), may they raise
// and edit actions on it, its customer, its effective secrecy, its human label and its page; and,
// as SQL, which actions (aliased `a`) have a source the reader may see. Actions never look at a
// source's tables themselves: a new source (satisfaction surveys, audits) is one more entry in
// SOURCES, asking its own module's service.

export type Reader = Ctx & { actor: Actor };

/** A source as one reader sees it. */
export interface SourceView {
  type: ActionSourceType;
  id: string;
  /** Its human code, e.g. the case number TS202609-0001. */
  label: string;
  /** Its page in the web app. */
  link: string;
  customerId: string | null;
  customerName: string | null;
  /** Effective secrecy rank (the higher of its own and its customer archive's). */
  secrecy: number;
  /** The reader may raise and edit actions on it (e.g. handles the case). */
  mayEdit: boolean;
  /** Closed to new actions (a closed case). */
  closed: boolean;
  /** What a refused edit is audited as. */
  editAction: string;
}

/** What lists show of a source: label, page and customer. */
export type SourceLabel = Pick<SourceView, 'label' | 'link' | 'customerId' | 'customerName'>;

export type ActionEvent = 'raised' | 'done' | 'verified' | 'ineffective';

export interface ActionSourceKind {
  /** The source if the reader may see it; otherwise 404, exactly as if it did not exist. */
  open(ctx: Reader, id: string, db?: Db): Promise<SourceView>;
  /** Whether another person (a prospective owner) may see the source. */
  visibleTo(ctx: Ctx, person: Actor, id: string): Promise<boolean>;
  /** For one page of rows: which of these sources the reader may edit actions on (no per-row query). */
  editable(ctx: Reader, ids: readonly string[]): Promise<Set<string>>;
  /** Labels of the given sources, for lists and exports (one query a page). */
  labels(db: Db, ids: readonly string[]): Promise<Map<string, SourceLabel>>;
  /** SQL on `corrective_actions as a`: the action's source is of this kind and the reader sees it. */
  visible(actor: Actor, scope: ActorScope, now: Date): (eb: ActionEb) => Expression<SqlBool>;
  /** Records what happened to one of its actions on the source's own timeline. */
  recordEvent(t: TxCtx, id: string, event: ActionEvent, note: string): Promise<void>;
}

export type ActionEb = ExpressionBuilder<Database & { a: Database['corrective_actions'] }, 'a'>;

// Complaints and service requests --------------------------------------------------------------

const CASE_EVENTS: Record<ActionEvent, CaseEventKind> = {
  raised: 'action_raised',
  done: 'action_done',
  verified: 'action_verified',
  ineffective: 'action_ineffective',
};

const caseSource: ActionSourceKind = {
  async open(ctx, id, db = ctx.db) {
    const r = await cases.reader(ctx);
    const row = await cases.findVisible(r, id, db);
    const resource = await cases.resourceOf(r, row, db);
    return {
      type: 'case',
      id: row.id,
      label: row.number,
      link: `/cases/${row.id}`,
      customerId: row.customer_id,
      customerName: row.customer_name,
      secrecy: Number(row.effective_secrecy),
      mayEdit: can(ctx.actor, 'case.handle', resource),
      closed: row.status === 'closed',
      editAction: 'case.handle',
    };
  },

  async visibleTo(ctx, person, id) {
    const c: Reader = { ...ctx, actor: person };
    try {
      await cases.findVisible(await cases.reader(c), id);
      return true;
    } catch (err) {
      if (err instanceof DomainError && err.status === 404) return false;
      throw err;
    }
  },

  async editable(ctx, ids) {
    const out = new Set<string>();
    if (ids.length === 0) return out;
    const r = await cases.reader(ctx);
    const manager = ctx.actor.roles.includes('department_manager');
    for (let i = 0; i < ids.length; i += 500) {
      const rows = await ctx.db
        .selectFrom('cases')
        .select([
          'id',
          'status',
          'responsible_user_id',
          'handler_id',
          'receiver_id',
          'department_id',
          'handling_department_id',
        ])
        .where('id', 'in', ids.slice(i, i + 500))
        .execute();
      for (const row of rows) {
        // The flags 'case.handle' reads (resourceOf's other two only concern triage and revisit).
        const resource: CaseResource = {
          responsible: row.responsible_user_id === ctx.actor.id,
          responsibleIsManager: false,
          managesReceiving: manager && r.scope.departmentIds.includes(row.department_id),
          handler: row.handler_id === ctx.actor.id,
          receiver: row.receiver_id === ctx.actor.id,
          managesHandling:
            manager &&
            !!row.handling_department_id &&
            r.scope.departmentIds.includes(row.handling_department_id),
          revisitRole: '',
        };
        if (can(ctx.actor, 'case.handle', resource)) out.add(row.id);
      }
    }
    return out;
  },

  async labels(db, ids) {
    const out = new Map<string, SourceLabel>();
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      if (chunk.length === 0) break;
      const rows = await db
        .selectFrom('cases as k')
        .innerJoin('customers as c', 'c.id', 'k.customer_id')
        .select(['k.id', 'k.number', 'k.customer_id', 'c.name'])
        .where('k.id', 'in', chunk)
        .execute();
      for (const row of rows)
        out.set(row.id, {
          label: row.number,
          link: `/cases/${row.id}`,
          customerId: row.customer_id,
          customerName: row.name,
        });
    }
    return out;
  },

  visible(actor, scope, now) {
    const seen = caseVisible(actor, scope, now);
    return (eb) =>
      eb.and([
        eb('a.source_type', '=', 'case'),
        eb.exists(
          (eb as unknown as ExpressionBuilder<Database, never>)
            .selectFrom('cases as k')
            .innerJoin('customers as c', 'c.id', 'k.customer_id')
            .select(sql`1`.as('one'))
            .whereRef('k.id', '=', 'a.source_id' as never)
            .where(seen as never),
        ),
      ]);
  },

  async recordEvent(t, id, event, note) {
    await cases.recordEvent(t, id, CASE_EVENTS[event], note);
  },
};

// Satisfaction surveys: an answered form that shows an unhappy customer --------------------------

const surveySource: ActionSourceKind = {
  async open(ctx, id, db = ctx.db) {
    const { row, mayEdit } = await surveys.responseAsSource(ctx, id, db);
    return {
      type: 'survey_response',
      id: row.id,
      label: `${row.campaign_number} ${row.customer_name}`,
      link: `/surveys/responses/${row.id}`,
      customerId: row.customer_id,
      customerName: row.customer_name,
      secrecy: Number(row.customer_secrecy),
      mayEdit,
      closed: false,
      editAction: 'survey.respond',
    };
  },

  async visibleTo(ctx, person, id) {
    const c: Reader = { ...ctx, actor: person };
    try {
      await surveys.findVisibleResponse(await surveys.reader(c), id);
      return true;
    } catch (err) {
      if (err instanceof DomainError && err.status === 404) return false;
      throw err;
    }
  },

  editable: (ctx, ids) => surveys.editableResponses(ctx, ids),
  labels: (db, ids) => surveys.responseLabels(db, ids),

  visible(actor, scope, now) {
    const seen = surveyVisible(actor, scope, now);
    return (eb) =>
      eb.and([
        eb('a.source_type', '=', 'survey_response'),
        eb.exists(
          (eb as unknown as ExpressionBuilder<Database, never>)
            .selectFrom('survey_responses as sr')
            .innerJoin('customers as c', 'c.id', 'sr.customer_id')
            .select(sql`1`.as('one'))
            .whereRef('sr.id', '=', 'a.source_id' as never)
            .where(seen as never),
        ),
      ]);
  },

  // The action's own audit entries and the archive's timeline (the answer) tell its story.
  async recordEvent() {},
};

// Customer special requirements ---------------------------------------------------------------

/** The actions a department's review decides (R-S2): raised by the departments asked to review,
 * the owner department and quality; closed once the requirement is 已落实, 不适用 or 已废止. */
const requirementSource: ActionSourceKind = {
  async open(ctx, id, db = ctx.db) {
    const r = await srReader(ctx);
    const row = await sr.findVisible(r, id, db);
    const resource = await sr.resourceOf(r, row, db);
    return {
      type: 'special_requirement',
      id: row.id,
      label: row.number,
      link: `/special-requirements/${row.id}`,
      customerId: row.customer_id,
      customerName: row.customer_name,
      secrecy: Number(row.effective_secrecy),
      mayEdit: can(ctx.actor, 'sr.raiseAction', resource),
      closed: ['implemented', 'not_applicable', 'obsolete'].includes(row.status),
      editAction: 'sr.raiseAction',
    };
  },

  async visibleTo(ctx, person, id) {
    try {
      await sr.findVisible(await srReader({ ...ctx, actor: person }), id);
      return true;
    } catch (err) {
      if (err instanceof DomainError && err.status === 404) return false;
      throw err;
    }
  },

  async editable(ctx, ids) {
    const out = new Set<string>();
    if (ids.length === 0) return out;
    const r = await srReader(ctx);
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      const rows = await ctx.db
        .selectFrom('sr_requirements as r')
        .innerJoin('customers as c', 'c.id', 'r.customer_id')
        .select(['r.id', 'r.customer_id', 'r.owner_department_id', 'c.department_id'])
        .where('r.id', 'in', chunk)
        .execute();
      const owners = await ownersOf(ctx.db, [...new Set(rows.map((x) => x.customer_id))]);
      const depts = await sr.reviewDepartmentsOf(ctx.db, chunk);
      for (const row of rows) {
        const resource = srResourceWith(
          r,
          {
            customerId: row.customer_id,
            customerDepartmentId: row.department_id,
            ownerDepartmentId: row.owner_department_id,
            reviewDepartmentIds: depts.get(row.id) ?? [],
          },
          (owners.get(row.customer_id) ?? []).map((o) => o.id),
        );
        if (can(ctx.actor, 'sr.raiseAction', resource)) out.add(row.id);
      }
    }
    return out;
  },

  async labels(db, ids) {
    const out = new Map<string, SourceLabel>();
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      if (chunk.length === 0) break;
      const rows = await db
        .selectFrom('sr_requirements as r')
        .innerJoin('customers as c', 'c.id', 'r.customer_id')
        .select(['r.id', 'r.number', 'r.customer_id', 'c.name'])
        .where('r.id', 'in', chunk)
        .execute();
      for (const row of rows)
        out.set(row.id, {
          label: row.number,
          link: `/special-requirements/${row.id}`,
          customerId: row.customer_id,
          customerName: row.name,
        });
    }
    return out;
  },

  visible(actor, scope, now) {
    const seen = requirementVisible(actor, scope, now);
    return (eb) =>
      eb.and([
        eb('a.source_type', '=', 'special_requirement'),
        eb.exists(
          (eb as unknown as ExpressionBuilder<Database, never>)
            .selectFrom('sr_requirements as r')
            .innerJoin('customers as c', 'c.id', 'r.customer_id')
            .select(sql`1`.as('one'))
            .whereRef('r.id', '=', 'a.source_id' as never)
            .where(seen as never),
        ),
      ]);
  },

  async recordEvent(t, id, event, note) {
    await srRepo.writeHistory(t, id, [
      { field: `action:${event}`, oldValue: null, newValue: note, note: null },
    ]);
  },
};

export const SOURCES: Record<ActionSourceType, ActionSourceKind> = {
  case: caseSource,
  survey_response: surveySource,
  special_requirement: requirementSource,
};

/** SQL on `corrective_actions as a`: the reader may see the action's source (R-P1). */
export async function actionsVisible(ctx: Reader): Promise<(eb: ActionEb) => Expression<SqlBool>> {
  const scope = await actorScope(ctx);
  const now = ctx.now();
  const each = Object.values(SOURCES).map((s) => s.visible(ctx.actor, scope, now));
  return (eb) => eb.or(each.map((p) => p(eb)));
}
