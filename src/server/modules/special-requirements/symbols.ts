import { createRequire } from 'node:module';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { Resvg as ResvgClass } from '@resvg/resvg-js';
import type { z } from 'zod';
import type { SrSymbol, symbolBody, updateSymbolBody } from '../../../common/schemas/special-requirements.js';
import {
  DEFAULT_SR_SYMBOLS,
  type SrCharClass,
  type SrSymbolShape,
} from '../../../common/special-requirements.js';
import type { Db } from '../../db/index.js';
import type { SrSymbolTable } from '../../db/types.js';
import { appendAudit } from '../../platform/audit/chain.js';
import { type Ctx, nowIso, type TxCtx, tx } from '../../platform/context.js';
import { DomainError, notFound } from '../../platform/errors.js';
import { removeBlobIfUnreferenced } from '../../platform/housekeeping.js';
import { newId } from '../../platform/ids.js';
import { authorize, can } from '../../platform/policy/index.js';
import type { BlobStore, StoredBlob } from '../../platform/storage.js';
import { type SrReader, srReader, srResource, visibleSrCustomer } from './access.js';
import { svgProblem } from './svg-check.js';
import { drawnSymbolSvg } from './symbol-svg.js';

// A customer's special-characteristic symbols (R-S4): the set starts with the defaults of 003
// 客户特定要求管理程序 (盾牌 S, 钻石 D, 五角星) the first time anyone looks at or uses it, and
// is kept by quality, engineering and the archive's sales ('sr.characteristics'). Each symbol
// maps to an internal class (CC / SC) and is drawn by Kedang from its shape unless the
// customer's own image (SVG or PNG) was uploaded. Symbols are seen exactly where the customer's
// special-requirement records are (`srCustomerVisible`); their changes are audited against the
// customer's list (`sr_list`, the archive's secrecy).

export const SYMBOL_IMAGE_MAX_BYTES = 512 * 1024;
/** Larger PNGs are refused: they are marks in a table cell, and are decoded for the PDF. */
const PNG_MAX_SIDE = 2048;
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export type SymbolRow = SrSymbolTable;

export interface SrArchive {
  id: string;
  name: string;
  archive_code: string;
  secrecy: number;
  department_id: string;
  status: string;
}

/** The customer archive if the reader sees its special-requirement records; else 404. */
export async function visibleArchive(r: SrReader, customerId: string, db: Db = r.ctx.db): Promise<SrArchive> {
  const row = await db
    .selectFrom('customers as c')
    .select(['c.id', 'c.name', 'c.archive_code', 'c.secrecy', 'c.department_id', 'c.status'])
    .where('c.id', '=', customerId)
    .where(visibleSrCustomer(r) as never)
    .executeTakeFirst();
  if (!row) throw notFound();
  return { ...row, secrecy: Number(row.secrecy) } as SrArchive;
}

/** Refuses a change to the symbols or characteristics of a merged or deactivated archive. */
export function assertArchiveActive(archive: SrArchive): void {
  if (archive.status === 'merged' || archive.status === 'inactive')
    throw new DomainError('customer_not_editable', 409, {
      status: archive.status === 'merged' ? '已合并' : '已停用',
    });
}

/** 403 unless the reader keeps this customer's characteristics and symbols. */
export async function authorizeKeeping(r: SrReader, archive: SrArchive, db: Db = r.ctx.db): Promise<void> {
  const resource = await srResource(
    r,
    { customerId: archive.id, customerDepartmentId: archive.department_id },
    db,
  );
  authorize(r.ctx, 'sr.characteristics', { type: 'sr_list', id: archive.id, resource });
}

export async function mayKeep(r: SrReader, archive: SrArchive): Promise<boolean> {
  const resource = await srResource(r, {
    customerId: archive.id,
    customerDepartmentId: archive.department_id,
  });
  return can(r.ctx.actor, 'sr.characteristics', resource);
}

/**
 * The customer's symbol set starts with the defaults the first time it is used. Idempotent and
 * safe when two requests do it at once: each default is inserted unless its code exists.
 */
export async function ensureDefaultSymbols(ctx: Ctx, customerId: string): Promise<void> {
  const any = await ctx.db
    .selectFrom('sr_symbols')
    .select('id')
    .where('customer_id', '=', customerId)
    .limit(1)
    .executeTakeFirst();
  if (any) return;
  const now = nowIso(ctx);
  await ctx.db
    .insertInto('sr_symbols')
    .values(
      DEFAULT_SR_SYMBOLS.map((s, i) => ({
        id: newId(),
        customer_id: customerId,
        code: s.code,
        name: s.name,
        meaning: s.meaning,
        shape: s.shape,
        image_sha256: null,
        image_mime: null,
        char_class: s.charClass,
        sort_order: (i + 1) * 10,
        active: 1,
        created_at: now,
        updated_at: now,
      })),
    )
    .onConflict((oc) => oc.columns(['customer_id', 'code']).doNothing())
    .execute();
}

export function imageUrl(row: Pick<SymbolRow, 'id' | 'image_sha256' | 'shape' | 'code'>): string {
  // The version in the query lets a browser cache one image and still see a new one.
  const version = row.image_sha256?.slice(0, 16) ?? `${row.shape}-${row.code}`;
  return `/api/sr-symbols/${row.id}/image?v=${encodeURIComponent(version)}`;
}

export function toSymbol(row: SymbolRow): SrSymbol {
  return {
    id: row.id,
    customerId: row.customer_id,
    code: row.code,
    name: row.name,
    meaning: row.meaning,
    shape: row.shape as SrSymbolShape,
    hasImage: !!row.image_sha256,
    imageUrl: imageUrl(row),
    charClass: row.char_class as SrCharClass,
    sortOrder: Number(row.sort_order),
    active: !!Number(row.active),
  };
}

export async function symbolsOf(db: Db, customerId: string): Promise<SymbolRow[]> {
  return db
    .selectFrom('sr_symbols')
    .selectAll()
    .where('customer_id', '=', customerId)
    .orderBy('sort_order')
    .orderBy('code')
    .execute();
}

export async function listSymbols(
  ctx: Ctx,
  customerId: string,
): Promise<{ items: SrSymbol[]; can: { manage: boolean } }> {
  const r = await srReader(ctx);
  const archive = await visibleArchive(r, customerId);
  await ensureDefaultSymbols(ctx, archive.id);
  const rows = await symbolsOf(ctx.db, archive.id);
  const manage = (await mayKeep(r, archive)) && archive.status !== 'merged' && archive.status !== 'inactive';
  return { items: rows.map(toSymbol), can: { manage } };
}

/** A symbol and its archive, if the reader sees them; else 404. */
async function findSymbol(r: SrReader, id: string, db: Db = r.ctx.db) {
  const row = await db
    .selectFrom('sr_symbols as s')
    .innerJoin('customers as c', 'c.id', 's.customer_id')
    .selectAll('s')
    .where('s.id', '=', id)
    .where(visibleSrCustomer(r) as never)
    .executeTakeFirst();
  if (!row) throw notFound();
  return { row: row as SymbolRow, archive: await visibleArchive(r, row.customer_id, db) };
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

async function codeTaken(t: TxCtx, customerId: string, code: string, except?: string): Promise<boolean> {
  let q = t.db
    .selectFrom('sr_symbols')
    .select('id')
    .where('customer_id', '=', customerId)
    .where((eb) => eb(eb.fn('upper', ['code']), '=', code.toUpperCase()));
  if (except) q = q.where('id', '!=', except);
  return !!(await q.executeTakeFirst());
}

type SymbolInput = z.output<typeof symbolBody>;
type SymbolPatch = z.output<typeof updateSymbolBody>;

export async function createSymbol(ctx: Ctx, customerId: string, input: SymbolInput): Promise<SrSymbol> {
  const r = await srReader(ctx);
  const id = newId();
  await tx(ctx, async (t) => {
    const archive = await visibleArchive(r, customerId, t.db);
    await authorizeKeeping(r, archive, t.db);
    assertArchiveActive(archive);
    await ensureDefaultSymbols(t, archive.id);
    if (await codeTaken(t, archive.id, input.code))
      throw new DomainError('sr_symbol_code_taken', 409, { code: input.code }, 'code');
    const now = nowIso(t);
    await t.db
      .insertInto('sr_symbols')
      .values({
        id,
        customer_id: archive.id,
        code: input.code,
        name: input.name,
        meaning: input.meaning,
        shape: input.shape,
        image_sha256: null,
        image_mime: null,
        char_class: input.charClass,
        sort_order: input.sortOrder,
        active: input.active ? 1 : 0,
        created_at: now,
        updated_at: now,
      })
      .execute();
    await audit(t, archive, 'sr.symbol_create', `${input.code} ${input.name}`, { symbolId: id, ...input });
  });
  return getSymbol(ctx, id);
}

export async function getSymbol(ctx: Ctx, id: string): Promise<SrSymbol> {
  const r = await srReader(ctx);
  return toSymbol((await findSymbol(r, id)).row);
}

export async function updateSymbol(ctx: Ctx, id: string, input: SymbolPatch): Promise<SrSymbol> {
  const r = await srReader(ctx);
  await tx(ctx, async (t) => {
    const { row, archive } = await findSymbol(r, id, t.db);
    await authorizeKeeping(r, archive, t.db);
    assertArchiveActive(archive);
    const set: Partial<SymbolRow> = {};
    if (input.code !== undefined && input.code !== row.code) {
      if (await codeTaken(t, archive.id, input.code, id))
        throw new DomainError('sr_symbol_code_taken', 409, { code: input.code }, 'code');
      set.code = input.code;
    }
    if (input.name !== undefined && input.name !== row.name) set.name = input.name;
    if (input.meaning !== undefined && input.meaning !== row.meaning) set.meaning = input.meaning;
    if (input.shape !== undefined && input.shape !== row.shape) set.shape = input.shape;
    if (input.charClass !== undefined && input.charClass !== row.char_class) set.char_class = input.charClass;
    if (input.sortOrder !== undefined && input.sortOrder !== Number(row.sort_order))
      set.sort_order = input.sortOrder;
    if (input.active !== undefined && (input.active ? 1 : 0) !== Number(row.active))
      set.active = input.active ? 1 : 0;
    if (Object.keys(set).length === 0) return;
    await t.db
      .updateTable('sr_symbols')
      .set({ ...set, updated_at: nowIso(t) })
      .where('id', '=', id)
      .execute();
    await audit(t, archive, 'sr.symbol_update', `${row.code} ${row.name}`, {
      symbolId: id,
      changes: Object.fromEntries(
        Object.entries(set).map(([k, v]) => [k, { from: row[k as keyof SymbolRow], to: v }]),
      ),
    });
  });
  return getSymbol(ctx, id);
}

/** A symbol is never deleted (characteristics keep pointing at it): it is deactivated. */
export async function deactivateSymbol(ctx: Ctx, id: string): Promise<SrSymbol> {
  return updateSymbol(ctx, id, { active: false });
}

// Images ----------------------------------------------------------------------------------------

/** What an uploaded image is, or a 400 that says why it is refused. */
export function checkSymbolImage(bytes: Buffer): { mime: 'image/png' | 'image/svg+xml' } {
  const refuse = (reason: string) => new DomainError('sr_symbol_image', 400, { reason }, 'file');
  if (bytes.length === 0) throw new DomainError('file_empty', 400, {}, 'file');
  if (bytes.subarray(0, 8).equals(PNG_SIGNATURE)) {
    if (bytes.length < 33 || bytes.toString('latin1', 12, 16) !== 'IHDR') throw refuse('PNG 文件已损坏');
    const width = bytes.readUInt32BE(16);
    const height = bytes.readUInt32BE(20);
    if (width < 1 || height < 1) throw refuse('PNG 文件已损坏');
    if (width > PNG_MAX_SIDE || height > PNG_MAX_SIDE)
      throw refuse(`PNG 图片不能超过 ${PNG_MAX_SIDE}×${PNG_MAX_SIDE} 像素`);
    return { mime: 'image/png' };
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw refuse('既不是 PNG 也不是 UTF-8 编码的 SVG');
  }
  if (!/<svg[\s>]/.test(text.slice(0, 4096))) throw refuse('既不是 PNG 也不是 SVG');
  const problem = svgProblem(text);
  if (problem) throw new DomainError('sr_symbol_svg_unsafe', 400, { reason: problem }, 'file');
  return { mime: 'image/svg+xml' };
}

/** The PNG really decodes (pdf-lib embeds it into the PDF export); else 400. */
async function assertPngDecodes(bytes: Buffer): Promise<void> {
  const { PDFDocument } = await import('pdf-lib');
  try {
    await (await PDFDocument.create()).embedPng(bytes);
  } catch {
    throw new DomainError('sr_symbol_image', 400, { reason: 'PNG 文件已损坏' }, 'file');
  }
}

/** The customer's own image for a symbol: checked, stored in the blob store, audited. */
export async function setSymbolImage(
  ctx: Ctx,
  store: BlobStore,
  id: string,
  bytes: Buffer,
): Promise<SrSymbol> {
  const r = await srReader(ctx);
  // Who may not change the symbol learns nothing about the file (404/403 come first).
  {
    const { archive } = await findSymbol(r, id);
    await authorizeKeeping(r, archive);
    assertArchiveActive(archive);
  }
  const { mime } = checkSymbolImage(bytes);
  if (mime === 'image/png') await assertPngDecodes(bytes);
  else
    await svgToPng(bytes.toString('utf8'), 64).catch(() => {
      throw new DomainError('sr_symbol_image', 400, { reason: 'SVG 无法解析' }, 'file');
    });
  const blob = await store.put(Readable.from([bytes]), { maxBytes: SYMBOL_IMAGE_MAX_BYTES });
  try {
    await saveImage(ctx, r, id, blob, mime);
  } catch (err) {
    // Refused or failed after the content reached the store: it must not stay behind.
    if (blob.created) await removeBlobIfUnreferenced(ctx.db, store, blob.sha256).catch(() => false);
    throw err;
  }
  return getSymbol(ctx, id);
}

async function saveImage(ctx: Ctx, r: SrReader, id: string, blob: StoredBlob, mime: string): Promise<void> {
  await tx(ctx, async (t) => {
    const { row, archive } = await findSymbol(r, id, t.db);
    await authorizeKeeping(r, archive, t.db);
    const now = nowIso(t);
    await t.db
      .insertInto('blobs')
      .values({ sha256: blob.sha256, size: blob.size, mime, created_at: now })
      .onConflict((oc) => oc.column('sha256').doNothing())
      .execute();
    await t.db
      .updateTable('sr_symbols')
      .set({ image_sha256: blob.sha256, image_mime: mime, updated_at: now })
      .where('id', '=', id)
      .execute();
    await audit(t, archive, 'sr.symbol_image', `${row.code} ${row.name}`, {
      symbolId: id,
      sha256: blob.sha256,
      size: blob.size,
      mime,
      previous: row.image_sha256,
    });
  });
}

/** Back to the shape Kedang draws (the uploaded file stays in the store, as every file does). */
export async function clearSymbolImage(ctx: Ctx, id: string): Promise<SrSymbol> {
  const r = await srReader(ctx);
  await tx(ctx, async (t) => {
    const { row, archive } = await findSymbol(r, id, t.db);
    await authorizeKeeping(r, archive, t.db);
    assertArchiveActive(archive);
    if (!row.image_sha256) return;
    await t.db
      .updateTable('sr_symbols')
      .set({ image_sha256: null, image_mime: null, updated_at: nowIso(t) })
      .where('id', '=', id)
      .execute();
    await audit(t, archive, 'sr.symbol_image_clear', `${row.code} ${row.name}`, {
      symbolId: id,
      previous: row.image_sha256,
    });
  });
  return getSymbol(ctx, id);
}

async function readBlob(store: BlobStore, sha256: string): Promise<Buffer> {
  if (!store.has(sha256)) throw new DomainError('file_missing', 410);
  const chunks: Buffer[] = [];
  for await (const chunk of store.open(sha256)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** A symbol's picture as served: the uploaded file, or the drawn SVG. */
export async function symbolImage(
  ctx: Ctx,
  store: BlobStore,
  id: string,
): Promise<{ mime: string; body: Buffer }> {
  const r = await srReader(ctx);
  const { row } = await findSymbol(r, id);
  return symbolPicture(store, row);
}

export async function symbolPicture(
  store: BlobStore,
  row: SymbolRow,
): Promise<{ mime: string; body: Buffer }> {
  if (row.image_sha256 && row.image_mime)
    return { mime: row.image_mime, body: await readBlob(store, row.image_sha256) };
  return {
    mime: 'image/svg+xml',
    body: Buffer.from(await drawnSymbolSvg(row.shape as SrSymbolShape, row.code)),
  };
}

// Rasterising --------------------------------------------------------------------------------

let resvg: Promise<typeof ResvgClass> | undefined;
let fontFile: string | undefined;

/** An SVG as a PNG `px` pixels wide (resvg; no system fonts, Noto Sans SC for any text). */
export async function svgToPng(svg: string, px: number): Promise<Buffer> {
  resvg ??= import('@resvg/resvg-js').then((m) => m.Resvg);
  const Resvg = await resvg;
  fontFile ??= path.join(
    path.dirname(createRequire(import.meta.url).resolve('@expo-google-fonts/noto-sans-sc/package.json')),
    '400Regular',
    'NotoSansSC_400Regular.ttf',
  );
  const rendered = new Resvg(svg, {
    fitTo: { mode: 'width', value: px },
    background: 'rgba(255,255,255,0)',
    font: { loadSystemFonts: false, fontFiles: [fontFile], defaultFontFamily: 'Noto Sans SC' },
  }).render();
  if (rendered.width < 1 || rendered.height < 1) throw new Error('empty SVG');
  return rendered.asPng();
}

/** A symbol as PNG for a spreadsheet or a PDF: an uploaded PNG as it is, anything else drawn. */
export async function symbolPng(store: BlobStore, row: SymbolRow, px = 64): Promise<Buffer> {
  const picture = await symbolPicture(store, row);
  if (picture.mime === 'image/png') return picture.body;
  return svgToPng(picture.body.toString('utf8'), px);
}
