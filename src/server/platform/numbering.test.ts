import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../test-support/app.js';
import { codeFormatter, counterKey, formatCode, nextCode } from './numbering.js';

describe('code patterns', () => {
  it('renders the seed example GY202305 and the default 4-digit form', () => {
    expect(formatCode('{type}{yyyy}{seq:2}', { values: { type: 'GY' }, date: '2023-06-01' }, 5)).toBe(
      'GY202305',
    );
    expect(formatCode('{type}{yyyy}{seq:4}', { values: { type: 'GY' }, date: '2023-06-01' }, 5)).toBe(
      'GY20230005',
    );
    expect(formatCode('JY{yyyy}{mm}-{seq:4}', { date: '2026-11-23' }, 1)).toBe('JY202611-0001');
  });

  it('grows past its width instead of wrapping', () => {
    expect(formatCode('{type}{yyyy}{seq:2}', { values: { type: 'GY' }, date: '2023-01-01' }, 100)).toBe(
      'GY2023100',
    );
  });

  it('renders many numbers of one prefix as formatCode does', () => {
    const cases: [string, Record<string, string>][] = [
      ['{type}{yyyy}{seq:4}', { type: 'GY' }],
      ['JY{yyyy}{mm}-{seq:4}', {}],
      ['{seq}', {}],
      ['{seq:3}/{type}/{seq:5}', { type: 'KH' }],
    ];
    for (const [pattern, values] of cases) {
      const parts = { values, date: '2026-11-23' };
      const format = codeFormatter(pattern, parts);
      for (const n of [1, 42, 9999, 123456]) expect(format(n)).toBe(formatCode(pattern, parts, n));
    }
  });

  it('counts per rendered prefix: type and year (and month when the pattern has it)', () => {
    const p = '{type}{yyyy}{seq:4}';
    expect(counterKey('customer', p, { values: { type: 'GY' }, date: '2026-01-01' })).toBe(
      'customer:GY2026#',
    );
    expect(counterKey('customer', p, { values: { type: 'SY' }, date: '2026-12-31' })).toBe(
      'customer:SY2026#',
    );
    expect(counterKey('lending', 'JY{yyyy}{mm}-{seq:4}', { date: '2026-11-23' })).toBe('lending:JY202611-#');
  });
});

describe('concurrent numbering', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const take = (type: string) =>
    t.database.db.transaction().execute((trx) =>
      nextCode({ ...t.system, db: trx }, 'customer', '{type}{yyyy}{seq:4}', {
        values: { type },
        date: '2026-11-23',
      }),
    );

  it('hands out 200 codes from parallel transactions with no duplicate and no gap', async () => {
    const codes = await Promise.all(Array.from({ length: 200 }, () => take('GY')));
    expect(new Set(codes).size).toBe(200);
    const expected = Array.from({ length: 200 }, (_, i) => `GY2026${String(i + 1).padStart(4, '0')}`);
    expect([...codes].sort()).toEqual(expected);
  });

  it('keeps separate sequences per type', async () => {
    expect(await take('SY')).toBe('SY20260001');
    expect(await take('GY')).toBe('GY20260201');
  });

  it('gives a number back when its transaction rolls back, so no gap appears', async () => {
    await t.database.db
      .transaction()
      .execute(async (trx) => {
        await nextCode({ ...t.system, db: trx }, 'customer', '{type}{yyyy}{seq:4}', {
          values: { type: 'SY' },
          date: '2026-11-23',
        });
        throw new Error('insert failed');
      })
      .catch(() => undefined);
    expect(await take('SY')).toBe('SY20260002');
  });
});
