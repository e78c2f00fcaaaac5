import { describe, expect, it } from 'vitest';
import { parseLegacyTerm } from '../server/db/migrations/0035_document_secrecy.js';
import { addYears, parseSecrecyTerm, secrecyMark, termText } from './secrecy-term.js';

// 保密期限 as people wrote it, read by the form's parser and by migration 0035 (its own copy).
const CASES: [string, ReturnType<typeof parseSecrecyTerm>][] = [
  ['10年', { kind: 'years', years: 10 }],
  [' 10 年 ', { kind: 'years', years: 10 }],
  ['１０年', { kind: 'years', years: 10 }],
  ['十年', { kind: 'years', years: 10 }],
  ['二十年', { kind: 'years', years: 20 }],
  ['十五年', { kind: 'years', years: 15 }],
  ['五年', { kind: 'years', years: 5 }],
  ['机密★10年', { kind: 'years', years: 10 }],
  ['保密期限：30年', { kind: 'years', years: 30 }],
  ['长期', { kind: 'long' }],
  ['绝密★长期', { kind: 'long' }],
  ['2030-12-31', { kind: 'until', until: '2030-12-31' }],
  ['2030年12月31日', { kind: 'until', until: '2030-12-31' }],
  ['2030.6.1', { kind: 'until', until: '2030-06-01' }],
  ['2030-02-30', null],
  ['0年', null],
  ['项目结束后', null],
  ['6个月', null],
  ['', null],
];

describe('secrecy terms (R-P1, R-P10)', () => {
  it.each(CASES)('reads %j', (text, expected) => {
    expect(parseSecrecyTerm(text)).toEqual(expected);
    expect(parseLegacyTerm(text)).toEqual(expected);
  });

  it('writes the mark as the standard does', () => {
    expect(secrecyMark('confidential', termText({ kind: 'years', years: 10, until: null }))).toBe(
      '机密★10年',
    );
    expect(secrecyMark('top_secret', termText({ kind: 'long', years: null, until: null }))).toBe('绝密★长期');
    expect(secrecyMark('secret', termText({ kind: 'until', years: null, until: '2030-12-31' }))).toBe(
      '秘密★2030年12月31日',
    );
    expect(secrecyMark('secret', null)).toBe('秘密★');
    expect(secrecyMark('normal', '10年')).toBeNull();
  });

  it('ends a term in years on the same day, 29 February on the 28th', () => {
    expect(addYears('2016-01-15', 10)).toBe('2026-01-15');
    expect(addYears('2024-02-29', 1)).toBe('2025-02-28');
    expect(addYears('2024-02-29', 4)).toBe('2028-02-29');
  });
});
