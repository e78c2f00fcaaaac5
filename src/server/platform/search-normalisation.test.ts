import { describe, expect, it } from 'vitest';
import { dialectOf } from '../db/dialect.js';
import { customerSearchRefresher } from '../modules/customers/service.js';
import { documentSearchRefresher } from '../modules/documents/service.js';
import type { Client } from '../test-support/app.js';
import { companyApp } from '../test-support/customers.js';
import { multipart, xlsx } from '../test-support/sheets.js';
import { drainJobs } from './jobs.js';
import { indexTokens, searchIndex } from './search.js';
import { isCurrent, refreshSearchIndexes } from './search-refresh.js';
import { TOKENS_VERSION } from './search-tokens.js';

// Names, codes and queries are folded alike for matching (full/half width, the ideographic
// space U+3000 and other spaces, case) while the stored value stays as typed: an archive
// imported as 「上海　宝钢…」 is found by 上海宝钢, 上海 宝钢 and full-width Latin, on SQLite
// and PostgreSQL alike.

type Json = Record<string, unknown>;

const IMPORTED = '上海　宝钢国际贸易有限公司';
const LATIN = 'ＳＨＡＮＧＨＡＩ　ＢＡＯＳＴＥＥＬ Trading Co.';

async function importRows(client: Client, rows: string[][]): Promise<Json> {
  const { payload, headers } = multipart('客户.xlsx', await xlsx(rows));
  const res = await client.inject({
    method: 'POST',
    url: '/api/customers/imports?dryRun=false',
    payload,
    headers,
  });
  expect(res.statusCode, res.body).toBe(202);
  const id = res.json().job.id as string;
  for (let i = 0; i < 400; i++) {
    const job = (await client.get(`/api/jobs/${id}`)).json();
    if (job.status === 'succeeded' || job.status === 'failed') return job;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('import did not finish');
}

describe('search matches names and codes however their width, spaces and case were typed', () => {
  const app = companyApp();
  const names = async (as: Client, q: string) =>
    ((await as.get(`/api/customers?q=${encodeURIComponent(q)}`)).json().items as Json[]).map((c) => c.name);
  const titles = async (as: Client, q: string) =>
    ((await as.get(`/api/documents?q=${encodeURIComponent(q)}`)).json().items as Json[]).map((d) => d.title);

  it('finds an imported 「上海　宝钢…」 by 上海宝钢, 上海 宝钢 and the full-width query, keeping the name as typed', async () => {
    const { as } = app.co;
    const job = await importRows(as.salesmgr, [
      ['客户名称*', '客户类别*', '客户种类*', '主要联系人'],
      [IMPORTED, '一般客户', '业务客户', '王　小明'],
      [LATIN, '一般客户', '业务客户', ''],
    ]);
    expect(job).toMatchObject({ status: 'succeeded', result: { created: 2, failed: 0 } });
    for (const q of ['上海宝钢', '上海 宝钢', '上海　宝钢', '海宝', '宝钢国际', '王小明']) {
      expect(await names(as.salesmgr, q), q).toEqual([IMPORTED]);
    }
    for (const q of [
      'shanghai',
      'ＳＨＡＮＧＨＡＩ',
      'Baosteel',
      'ｂａｏｓｔｅｅｌ ｔｒａｄｉｎｇ',
      'SHANGHAI　baosteel',
    ]) {
      expect(await names(as.salesmgr, q), q).toEqual([LATIN]);
    }
    // Stored as typed: the full-width space and letters are still there.
    const listed = (await as.salesmgr.get(`/api/customers?q=${encodeURIComponent('上海宝钢')}`)).json()
      .items[0];
    const detail = (await as.salesmgr.get(`/api/customers/${listed.id}`)).json();
    expect(detail.name).toBe(IMPORTED);
  });

  it('finds names typed with other spaces (no-break, em, thin) and full-width codes', async () => {
    const { as } = app.co;
    const created = await as.sales1.post('/api/customers', {
      name: '苏州\u00a0精工\u2003机械\u2009有限公司',
      category: 'general',
      kind: 'business',
    });
    expect(created.statusCode, created.body).toBe(201);
    const code = created.json().archiveCode as string;
    expect(await names(as.sales1, '苏州精工机械')).toEqual([created.json().name]);
    expect(await names(as.sales1, '精工机械有限')).toEqual([created.json().name]);
    const wide = code.replace(/[A-Za-z0-9]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
    expect(await names(as.sales1, wide)).toEqual([created.json().name]);
    expect(await names(as.sales1, code.toLowerCase())).toEqual([created.json().name]);
  });

  it('tells a name typed with a full-width space or full-width letters is the same customer (R-C10)', async () => {
    const { as } = app.co;
    for (const name of [
      '上海宝钢国际贸易有限公司',
      '上海 宝钢国际贸易有限公司',
      '上海宝钢国际贸易有限责任公司',
    ]) {
      const again = await as.salesmgr.post('/api/customers', { name, category: 'general', kind: 'business' });
      expect(again.statusCode, name).toBe(409);
      expect(again.json().code).toBe('possible_duplicate');
    }
    const latin = await as.salesmgr.post('/api/customers', {
      name: 'shanghai baosteel trading co.',
      category: 'general',
      kind: 'business',
    });
    expect(latin.json().code).toBe('possible_duplicate');
  });

  it('finds documents and catalogue entries the same way', async () => {
    const { as } = app.co;
    const doc = await as.sales1.post('/api/documents', {
      title: '上海　宝钢 年度采购框架协议',
      docNumber: 'ＢＧ－２０２６－００１',
      category: 'records',
    });
    expect(doc.statusCode, doc.body).toBe(201);
    await drainJobs();
    for (const q of ['上海宝钢', '宝钢年度', '上海 宝钢', 'BG-2026-001', 'bg2026', 'ＢＧ２０２６００１']) {
      expect(await titles(as.sales1, q), q).toEqual(['上海　宝钢 年度采购框架协议']);
    }
    const catalogue = (
      await as.sales1.get(`/api/lending/catalogue?q=${encodeURIComponent('上海宝钢')}`)
    ).json();
    expect((catalogue as Json[]).map((c) => c.targetType).sort()).toEqual(['customer', 'document']);
  });

  it('indexes again, once and in the background of `kedang serve`, what older code indexed', async () => {
    const { as } = app.co;
    const db = app.t.database.db;
    const refreshers = [customerSearchRefresher, documentSearchRefresher];
    // Records indexed by the code before TOKENS_VERSION 2: no bigram across the space.
    const customer = await db
      .selectFrom('customers')
      .select(['id', 'search_key'])
      .where('name', '=', IMPORTED)
      .executeTakeFirstOrThrow();
    const doc = await db
      .selectFrom('documents')
      .select(['id', 'search_key'])
      .where('title', '=', '上海　宝钢 年度采购框架协议')
      .executeTakeFirstOrThrow();
    const dialect = dialectOf(db as never);
    await searchIndex(dialect, 'customers').put(
      db,
      Number(customer.search_key),
      indexTokens([{ text: '上海' }, { text: '宝钢国际贸易有限公司' }]),
    );
    await searchIndex(dialect, 'documents').put(
      db,
      Number(doc.search_key),
      indexTokens([{ text: '上海' }, { text: '宝钢' }, { text: '年度采购框架协议' }]),
    );
    await db
      .updateTable('customers')
      .set({ name_norm: '上海　宝钢' })
      .where('id', '=', customer.id)
      .execute();
    await db.deleteFrom('settings').where('key', 'like', 'search.tokens.%').execute();
    expect(await names(as.salesmgr, '上海宝钢')).toEqual([]);
    expect(await titles(as.sales1, '上海宝钢')).toEqual([]);
    expect(await isCurrent(db, 'customers')).toBe(false);

    // A refresh stopped after the first batches goes on from where it stopped.
    const total = Number(
      (
        await db
          .selectFrom('customers')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
    const all = await refreshSearchIndexes(db, refreshers, { batch: 2 });
    expect(all.customers).toBe(total);
    expect(await names(as.salesmgr, '上海宝钢')).toEqual([IMPORTED]);
    expect(await titles(as.sales1, '上海宝钢')).toEqual(['上海　宝钢 年度采购框架协议']);
    const norm = await db
      .selectFrom('customers')
      .select('name_norm')
      .where('id', '=', customer.id)
      .executeTakeFirst();
    expect(norm?.name_norm).toBe('上海宝钢国际贸易有限公司');
    expect(await isCurrent(db, 'customers')).toBe(true);
    expect(await isCurrent(db, 'documents')).toBe(true);
    // Up to date: nothing to do.
    expect(await refreshSearchIndexes(db, refreshers)).toEqual({});

    await db
      .updateTable('settings')
      .set({
        value: JSON.stringify({ version: 1, target: TOKENS_VERSION, after: Number(customer.search_key) - 1 }),
      })
      .where('key', '=', 'search.tokens.customers')
      .execute();
    const later = await db
      .selectFrom('customers')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('search_key', '>=', customer.search_key)
      .executeTakeFirstOrThrow();
    expect((await refreshSearchIndexes(db, refreshers)).customers).toBe(Number(later.n));
  });
});
