import type { z } from 'zod';
import type {
  Characteristic,
  characteristicBody,
  characteristicsQuery,
  updateCharacteristicBody,
} from '../../../common/schemas/special-requirements.js';
import type { SrCharClass } from '../../../common/special-requirements.js';
import { dialectOf } from '../../db/dialect.js';
import type { Db } from '../../db/index.js';
import type { SrCharacteristicTable } from '../../db/types.js';
import { appendAudit } from '../../platform/audit/chain.js';
import { type Ctx, nowIso, type TxCtx, tx } from '../../platform/context.js';
import { DomainError, FieldErrors, notFound } from '../../platform/errors.js';
import { cursorValue, decodeCursor, encodeCursor } from '../../platform/http.js';
import { newId } from '../../platform/ids.js';
import { type SrReader, srReader, visibleRequirement, visibleSrCustomer } from './access.js';
import {
  assertArchiveActive,
  authorizeKeeping,
  ensureDefaultSymbols,
  imageUrl,
  mayKeep,
  type SrArchive,
  visibleArchive,
} from './symbols.js';

// Special characteristics per customer and part number (R-S4): the characteristic, its
// specification, the internal class (CC / SC), the customer's symbol for it, where it is
// controlled (control plan line, inspection method) and the requirement it comes from. Numbered
// 1, 2, 3 … within a part number. Seen where the customer's special-requirement records are;
// kept by quality, engineering and the archive's sales; a removal only deactivates the row.
// Every read and change is audited against the customer's list (`sr_list`).

type Input = z.output<typeof characteristicBody>;
type Patch = z.output<typeof updateCharacteristicBody>;
export type CharacteristicFilter = z.output<typeof characteristicsQuery>;

export type CharacteristicRow = SrCharacteristicTable & {
  symbol_code: string | null;
  symbol_name: string | null;
  symbol_shape: string | null;
  symbol_image_sha256: string | null;
  requirement_number: string | null;
};

export function characteristicsFrom(db: Db) {
  return db
    .selectFrom('sr_characteristics as k')
    .leftJoin('sr_symbols as s', 's.id', 'k.symbol_id')
    .leftJoin('sr_requirements as q', 'q.id', 'k.requirement_id')
    .selectAll('k')
    .select([
      's.code as symbol_code',
      's.name as symbol_name',
      's.shape as symbol_shape',
      's.image_sha256 as symbol_image_sha256',
      'q.number as requirement_number',
    ]);
}

export function toCharacteristic(row: CharacteristicRow): Characteristic {
  return {
    id: row.id,
    customerId: row.customer_id,
    partNumber: row.part_number,
    seq: Number(row.seq),
    name: row.name,
    specification: row.specification,
    charClass: row.char_class as SrCharClass,
    symbol:
      row.symbol_id && row.symbol_code
        ? {
            id: row.symbol_id,
            code: row.symbol_code,
            name: row.symbol_name ?? row.symbol_code,
            imageUrl: imageUrl({
              id: row.symbol_id,
              code: row.symbol_code,
              shape: row.symbol_shape ?? 'none',
              image_sha256: row.symbol_image_sha256,
            }),
          }
        : null,
    controlPlanRef: row.control_plan_ref,
    inspectionMethod: row.inspection_method,
    requirement:
      row.requirement_id && row.requirement_number
        ? { id: row.requirement_id, number: row.requirement_number }
        : null,
  };
}

/**
 * The link to a requirement is shown only to readers who may see that requirement (R-P1, R-P9):
 * for others `requirement_id` and `requirement_number` become null, in the rows given (the list,
 * one characteristic, the .xlsx and PDF). One query per 500 distinct requirements.
 */
export async function hideUnseenRequirements<
  T extends Pick<CharacteristicRow, 'requirement_id' | 'requirement_number'>,
>(r: SrReader, rows: T[], db: Db = r.ctx.db): Promise<T[]> {
  const ids = [...new Set(rows.map((x) => x.requirement_id).filter((x): x is string => !!x))];
  const seen = new Set<string>();
  for (let i = 0; i < ids.length; i += 500) {
    const found = await db
      .selectFrom('sr_requirements as r')
      .innerJoin('customers as c', 'c.id', 'r.customer_id')
      .select('r.id')
      .where('r.id', 'in', ids.slice(i, i + 500))
      .where(visibleRequirement(r) as never)
      .execute();
    for (const x of found) seen.add(x.id);
  }
  for (const row of rows)
    if (row.requirement_id && !seen.has(row.requirement_id)) {
      row.requirement_id = null;
      row.requirement_number = null;
    }
  return rows;
}

async function audit(
  t: Ctx,
  archive: SrArchive,
  action: string,
  label: string,
  details: Record<string, unknown>,
) {
  await appendAudit(t, {
    action,
    targetType: 'sr_list',
    targetId: archive.id,
    targetLabel: `${archive.archive_code} ${archive.name} ${label}`,
    secrecy: archive.secrecy,
    details,
  });
}

/** The active characteristics of a customer (optionally one part number), in list order. */
export function activeOf(db: Db, customerId: string, partNumber?: string) {
  let q = characteristicsFrom(db).where('k.customer_id', '=', customerId).where('k.active', '=', 1);
  if (partNumber) q = q.where('k.part_number', '=', partNumber);
  return q;
}

export async function listCharacteristics(
  ctx: Ctx,
  customerId: string,
  f: CharacteristicFilter,
): Promise<{ items: Characteristic[]; nextCursor: string | null; can: { manage: boolean } }> {
  const r = await srReader(ctx);
  const archive = await visibleArchive(r, customerId);
  const after = decodeCursor(f.cursor, cursorValue.text, cursorValue.key, cursorValue.text);
  let q = activeOf(ctx.db, archive.id, f.partNumber);
  if (after) {
    const [part, seq, id] = after;
    q = q.where((eb) =>
      eb.or([
        eb('k.part_number', '>', part),
        eb.and([eb('k.part_number', '=', part), eb('k.seq', '>', seq)]),
        eb.and([eb('k.part_number', '=', part), eb('k.seq', '=', seq), eb('k.id', '>', id)]),
      ]),
    );
  }
  const rows = (await q
    .orderBy('k.part_number')
    .orderBy('k.seq')
    .orderBy('k.id')
    .limit(f.limit + 1)
    .execute()) as CharacteristicRow[];
  const page = rows.slice(0, f.limit);
  const last = rows.length > f.limit ? page.at(-1) : undefined;
  await audit(ctx, archive, 'sr.characteristics_read', f.partNumber ?? '', {
    partNumber: f.partNumber ?? null,
    count: page.length,
  });
  const manage = (await mayKeep(r, archive)) && archive.status !== 'merged' && archive.status !== 'inactive';
  return {
    items: (await hideUnseenRequirements(r, page)).map(toCharacteristic),
    nextCursor: last ? encodeCursor([last.part_number, Number(last.seq), last.id]) : null,
    can: { manage },
  };
}

/** The part numbers with active characteristics, and how many each has. */
export async function characteristicParts(
  ctx: Ctx,
  customerId: string,
): Promise<{ items: { partNumber: string; count: number }[] }> {
  const r = await srReader(ctx);
  const archive = await visibleArchive(r, customerId);
  const rows = await ctx.db
    .selectFrom('sr_characteristics')
    .select((eb) => ['part_number', eb.fn.countAll<number>().as('n')])
    .where('customer_id', '=', archive.id)
    .where('active', '=', 1)
    .groupBy('part_number')
    .orderBy('part_number')
    .limit(5000)
    .execute();
  return { items: rows.map((x) => ({ partNumber: x.part_number, count: Number(x.n) })) };
}

/** A characteristic and its archive if the reader sees them (active or not); else 404. */
async function findCharacteristic(r: SrReader, id: string, db: Db = r.ctx.db) {
  const row = (await characteristicsFrom(db)
    .innerJoin('customers as c', 'c.id', 'k.customer_id')
    .where('k.id', '=', id)
    .where('k.active', '=', 1)
    .where(visibleSrCustomer(r) as never)
    .executeTakeFirst()) as CharacteristicRow | undefined;
  if (!row) throw notFound();
  return { row, archive: await visibleArchive(r, row.customer_id, db) };
}

export async function getCharacteristic(ctx: Ctx, id: string): Promise<Characteristic> {
  const r = await srReader(ctx);
  const { row, archive } = await findCharacteristic(r, id);
  await audit(ctx, archive, 'sr.characteristic_read', `${row.part_number} #${row.seq}`, {
    characteristicId: id,
  });
  return toCharacteristic((await hideUnseenRequirements(r, [row]))[0] as CharacteristicRow);
}

/**
 * The symbol must be an active one of the same customer, and its class the characteristic's;
 * the requirement one of the same customer's that the writer may see (one they may not see is
 * refused exactly as one that does not exist). Field errors name the field.
 */
async function checkReferences(
  r: SrReader,
  t: TxCtx,
  customerId: string,
  v: { symbolId: string | null; requirementId: string | null; charClass: string },
): Promise<void> {
  if (v.symbolId) {
    const symbol = await t.db
      .selectFrom('sr_symbols')
      .select(['code', 'name', 'char_class', 'active'])
      .where('id', '=', v.symbolId)
      .where('customer_id', '=', customerId)
      .executeTakeFirst();
    if (!symbol || !Number(symbol.active))
      throw new FieldErrors(
        [{ field: 'symbolId', key: 'option', params: { value: v.symbolId } }],
        'validation_failed',
        {},
        400,
      );
    if (symbol.char_class !== v.charClass)
      throw new DomainError(
        'sr_char_class_mismatch',
        400,
        { symbol: `${symbol.code} ${symbol.name}`, symbolClass: symbol.char_class, charClass: v.charClass },
        'charClass',
      );
  }
  if (v.requirementId) {
    const requirement = await t.db
      .selectFrom('sr_requirements as r')
      .innerJoin('customers as c', 'c.id', 'r.customer_id')
      .select('r.id')
      .where('r.id', '=', v.requirementId)
      .where('r.customer_id', '=', customerId)
      .where(visibleRequirement(r) as never)
      .executeTakeFirst();
    if (!requirement)
      throw new FieldErrors(
        [{ field: 'requirementId', key: 'option', params: { value: v.requirementId } }],
        'validation_failed',
        {},
        400,
      );
  }
}

/** The next number within a part number; the archive row is locked first on PostgreSQL. */
async function nextSeq(t: TxCtx, customerId: string, partNumber: string): Promise<number> {
  if (dialectOf(t.db as never) === 'postgres')
    await t.db.selectFrom('customers').select('id').where('id', '=', customerId).forUpdate().execute();
  const row = await t.db
    .selectFrom('sr_characteristics')
    .select((eb) => eb.fn.max('seq').as('seq'))
    .where('customer_id', '=', customerId)
    .where('part_number', '=', partNumber)
    .executeTakeFirst();
  return Number(row?.seq ?? 0) + 1;
}

export async function createCharacteristic(
  ctx: Ctx,
  customerId: string,
  input: Input,
): Promise<Characteristic> {
  const r = await srReader(ctx);
  const id = newId();
  await tx(ctx, async (t) => {
    const archive = await visibleArchive(r, customerId, t.db);
    await authorizeKeeping(r, archive, t.db);
    assertArchiveActive(archive);
    await ensureDefaultSymbols(t, archive.id);
    await checkReferences(r, t, archive.id, {
      symbolId: input.symbolId ?? null,
      requirementId: input.requirementId ?? null,
      charClass: input.charClass,
    });
    const seq = await nextSeq(t, archive.id, input.partNumber);
    const now = nowIso(t);
    await t.db
      .insertInto('sr_characteristics')
      .values({
        id,
        customer_id: archive.id,
        part_number: input.partNumber,
        seq,
        name: input.name,
        specification: input.specification,
        char_class: input.charClass,
        symbol_id: input.symbolId ?? null,
        control_plan_ref: input.controlPlanRef,
        inspection_method: input.inspectionMethod,
        requirement_id: input.requirementId ?? null,
        active: 1,
        created_at: now,
        created_by: r.ctx.actor.id,
        updated_at: now,
      })
      .execute();
    await audit(t, archive, 'sr.characteristic_create', `${input.partNumber} #${seq} ${input.name}`, {
      characteristicId: id,
      seq,
      ...input,
    });
  });
  return getCharacteristicQuietly(ctx, id);
}

/** The characteristic as just written (its change is audited; no read entry on top). */
async function getCharacteristicQuietly(ctx: Ctx, id: string): Promise<Characteristic> {
  const r = await srReader(ctx);
  const { row } = await findCharacteristic(r, id);
  return toCharacteristic((await hideUnseenRequirements(r, [row]))[0] as CharacteristicRow);
}

export async function updateCharacteristic(ctx: Ctx, id: string, input: Patch): Promise<Characteristic> {
  const r = await srReader(ctx);
  await tx(ctx, async (t) => {
    const { row, archive } = await findCharacteristic(r, id, t.db);
    await authorizeKeeping(r, archive, t.db);
    assertArchiveActive(archive);
    // A writer who may not see the linked requirement was shown no link: their empty link (the
    // form sends it on every save) leaves the link as it is; a requirement they name replaces it.
    const linkHidden =
      !!row.requirement_id &&
      (await hideUnseenRequirements(r, [{ ...row }], t.db))[0]?.requirement_id === null;
    const keepLink = input.requirementId === undefined || (input.requirementId === null && linkHidden);
    const next = {
      symbolId: input.symbolId === undefined ? row.symbol_id : input.symbolId,
      requirementId: keepLink ? row.requirement_id : input.requirementId,
      charClass: input.charClass ?? row.char_class,
    };
    const set: Partial<SrCharacteristicTable> = {};
    if (input.partNumber !== undefined && input.partNumber !== row.part_number) {
      set.part_number = input.partNumber;
      set.seq = await nextSeq(t, archive.id, input.partNumber);
    }
    if (input.name !== undefined && input.name !== row.name) set.name = input.name;
    if (input.specification !== undefined && input.specification !== row.specification)
      set.specification = input.specification;
    if (next.charClass !== row.char_class) set.char_class = next.charClass;
    if (next.symbolId !== row.symbol_id) set.symbol_id = next.symbolId ?? null;
    if (input.controlPlanRef !== undefined && input.controlPlanRef !== row.control_plan_ref)
      set.control_plan_ref = input.controlPlanRef;
    if (input.inspectionMethod !== undefined && input.inspectionMethod !== row.inspection_method)
      set.inspection_method = input.inspectionMethod;
    if (next.requirementId !== row.requirement_id) set.requirement_id = next.requirementId ?? null;
    // An unchanged symbol is checked again when the class changes: they must still agree.
    // A requirement named is checked even when it is the one linked already: whether a
    // requirement the writer may not see is linked is not theirs to learn.
    const symbolTouched = set.symbol_id !== undefined || set.char_class !== undefined;
    await checkReferences(r, t, archive.id, {
      symbolId: symbolTouched ? (next.symbolId ?? null) : null,
      requirementId: input.requirementId ?? null,
      charClass: next.charClass,
    });
    if (Object.keys(set).length === 0) return;
    await t.db
      .updateTable('sr_characteristics')
      .set({ ...set, updated_at: nowIso(t) })
      .where('id', '=', id)
      .execute();
    await audit(t, archive, 'sr.characteristic_update', `${row.part_number} #${row.seq} ${row.name}`, {
      characteristicId: id,
      changes: Object.fromEntries(
        Object.entries(set).map(([k, v]) => [k, { from: row[k as keyof SrCharacteristicTable], to: v }]),
      ),
    });
  });
  return getCharacteristicQuietly(ctx, id);
}

/** Removed from the list: the row is deactivated (its history stays in the audit trail). */
export async function deleteCharacteristic(ctx: Ctx, id: string): Promise<void> {
  const r = await srReader(ctx);
  await tx(ctx, async (t) => {
    const { row, archive } = await findCharacteristic(r, id, t.db);
    await authorizeKeeping(r, archive, t.db);
    assertArchiveActive(archive);
    await t.db
      .updateTable('sr_characteristics')
      .set({ active: 0, updated_at: nowIso(t) })
      .where('id', '=', id)
      .execute();
    await audit(t, archive, 'sr.characteristic_delete', `${row.part_number} #${row.seq} ${row.name}`, {
      characteristicId: id,
    });
  });
}
