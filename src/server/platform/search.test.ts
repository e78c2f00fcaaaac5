import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalizeCustomerName } from '../../common/customers.js';
import { createTestApp, type TestApp } from '../test-support/app.js';
import { createSearchIndex, indexTokens, queryTerms, searchIndex } from './search.js';

describe('search tokens', () => {
  it('indexes Chinese as characters and bigrams', () => {
    expect(indexTokens([{ text: '合同评审' }]).split(' ')).toEqual([
      '合',
      '合同',
      '同',
      '同评',
      '评',
      '评审',
      '审',
    ]);
  });

  it('folds full-width and case, and indexes suffixes of codes', () => {
    const tokens = indexTokens([{ text: 'ＧＹ2026-0005', code: true }]).split(' ');
    expect(tokens).toEqual(expect.arrayContaining(['gy2026', 'y2026', '2026', '0005', '005', 'gy20260005']));
    expect(indexTokens([{ text: 'Steel Works' }]).split(' ')).toEqual(['steel', 'works']);
  });

  it('keeps the bigrams of a Chinese name across spaces, zero-width characters and punctuation', () => {
    for (const name of [
      '上海　宝钢',
      '上海 宝钢',
      '上海\u00a0宝钢',
      '上海\u200b宝钢',
      '上海·宝钢',
      '上海（宝钢）',
    ]) {
      expect(indexTokens([{ text: name }]).split(' '), name).toEqual([
        '上',
        '上海',
        '海',
        '海宝',
        '宝',
        '宝钢',
        '钢',
      ]);
    }
    // Not across Latin words, nor from one field into the next.
    expect(indexTokens([{ text: '上海 Bao 宝钢' }]).split(' ')).not.toContain('海宝');
    expect(indexTokens([{ text: '上海' }, { text: '宝钢' }]).split(' ')).not.toContain('海宝');
    // A query's own spaces still separate its terms.
    expect(queryTerms('上海　宝钢').map((t) => t.token)).toEqual(['上海', '宝钢']);
    expect(normalizeCustomerName('上海\u200b宝钢　ＡＢＣ')).toBe(normalizeCustomerName('上海宝钢abc'));
  });

  it('turns a query into AND terms: bigrams for Chinese, prefixes for codes', () => {
    expect(queryTerms('华为 0005')).toEqual([
      { token: '华为', prefix: false },
      { token: '0005', prefix: true },
    ]);
    expect(queryTerms('技术有限')).toEqual([
      { token: '技术', prefix: false },
      { token: '术有', prefix: false },
      { token: '有限', prefix: false },
    ]);
    expect(queryTerms('"\'*()^ -')).toEqual([]);
  });
});

describe.each([
  ['probe', {}],
  // The customer index since migration 0006.
  ['probe_lean', { withoutPositions: true }],
] as const)('search index %s on the database', (name, options) => {
  let t: TestApp;
  const records: [number, string][] = [
    [
      1,
      indexTokens([
        { text: '深圳市华为技术有限公司' },
        { text: 'GY20260005', code: true },
        { text: '0755-12345678', code: true },
      ]),
    ],
    [
      2,
      indexTokens([
        { text: '佛山市三目照明电器有限公司' },
        { text: 'SY20260001', code: true },
        { text: '91440600MA4UJ8X31B', code: true },
      ]),
    ],
    [3, indexTokens([{ text: '合同评审记录' }, { text: 'GB/T 18894-2016', code: true }])],
  ];

  beforeAll(async () => {
    t = await createTestApp();
    await createSearchIndex(t.database.db as never, t.database.dialect, name, options);
    const index = searchIndex(t.database.dialect, name);
    for (const [key, tokens] of records) await index.put(t.database.db, key, tokens);
  });
  afterAll(() => t.close());

  async function find(query: string): Promise<number[]> {
    const keys = searchIndex(t.database.dialect, name).matchKeys(query);
    if (!keys) return [];
    const { sql } = await import('kysely');
    const rows = await sql<{
      k: number;
    }>`select k from (select 1 as k union all select 2 union all select 3) v where k in ${keys} order by k`.execute(
      t.database.db,
    );
    return rows.rows.map((r) => Number(r.k));
  }

  it.each([
    ['华为', [1]],
    ['有限公司', [1, 2]],
    ['照明', [2]],
    ['合同', [3]],
    ['评审', [3]],
    ['华为 0005', [1]],
    ['gy2026', [1]],
    ['0005', [1]],
    ['12345678', [1]],
    ['0755-12345678', [1]],
    ['075512345678', [1]],
    ['MA4UJ8', [2]],
    ['ＭＡ４ＵＪ８', [2]],
    ['GB/T 18894', [3]],
    ['18894', [3]],
    ['华为 照明', []],
    ['小米', []],
  ])('%s → %j', async (query, expected) => {
    expect(await find(query)).toEqual(expected);
  });

  it('re-indexes and removes records', async () => {
    const index = searchIndex(t.database.dialect, name);
    await index.put(t.database.db, 1, indexTokens([{ text: '小米科技' }]));
    expect(await find('华为')).toEqual([]);
    expect(await find('小米')).toEqual([1]);
    await index.remove(t.database.db, 1);
    expect(await find('小米')).toEqual([]);
  });
});
