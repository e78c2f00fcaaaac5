import { sql } from 'kysely';
import type { TxCtx } from './context.js';

// Human codes (档案编号, 档号, 借阅单号) from a pattern such as `{type}{yyyy}{seq:4}`.
// The sequence runs per distinct prefix: everything the pattern renders except the
// sequence itself, so `GY{yyyy}{seq:4}` counts per type and year. Numbers are taken with an
// upsert inside the caller's transaction: concurrent takers queue on the counter row, a
// rolled-back transaction gives its number back, and a committed number is never handed out
// again. The sequence never wraps: it grows past its width instead.

export interface CodeParts {
  /** Values for `{name}` placeholders, e.g. `{ type: 'GY' }`. */
  values?: Record<string, string>;
  /** Calendar date `YYYY-MM-DD` for `{yyyy}`, `{yy}`, `{mm}`. */
  date: string;
}

const TOKEN = /\{(\w+)(?::(\d+))?\}/g;

function render(pattern: string, parts: CodeParts, seq: string): string {
  return pattern.replace(TOKEN, (_whole, name: string, width?: string) => {
    switch (name) {
      case 'seq':
        return seq.padStart(Number(width ?? 1), '0');
      case 'yyyy':
        return parts.date.slice(0, 4);
      case 'yy':
        return parts.date.slice(2, 4);
      case 'mm':
        return parts.date.slice(5, 7);
      default: {
        const v = parts.values?.[name];
        if (v === undefined) throw new Error(`numbering: no value for {${name}} in ${pattern}`);
        return v;
      }
    }
  });
}

export function formatCode(pattern: string, parts: CodeParts, seq: number): string {
  return render(pattern, parts, String(seq));
}

/** formatCode for many numbers under one prefix (bulk imports): the pattern is rendered once. */
export function codeFormatter(pattern: string, parts: CodeParts): (seq: number) => string {
  const pieces: string[] = [];
  const widths: number[] = [];
  let last = 0;
  for (const m of pattern.matchAll(/\{seq(?::(\d+))?\}/g)) {
    pieces.push(render(pattern.slice(last, m.index), parts, ''));
    widths.push(Number(m[1] ?? 1));
    last = m.index + m[0].length;
  }
  pieces.push(render(pattern.slice(last), parts, ''));
  return (seq) => {
    const digits = String(seq);
    let code = pieces[0] as string;
    for (let i = 0; i < widths.length; i++) code += digits.padStart(widths[i] as number, '0') + pieces[i + 1];
    return code;
  };
}

/** The counter a code draws from: its scope plus the rendered pattern without the sequence. */
export function counterKey(scope: string, pattern: string, parts: CodeParts): string {
  const withoutSeq = pattern.replace(/\{seq(?::\d+)?\}/, '\u0000');
  return `${scope}:${render(withoutSeq, parts, '').replace('\u0000', '#')}`;
}

export async function nextSequence(ctx: TxCtx, key: string): Promise<number> {
  const row = await ctx.db
    .insertInto('counters')
    .values({ key, value: 1 })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: sql`counters.value + 1` }))
    .returning('value')
    .executeTakeFirstOrThrow();
  return Number(row.value);
}

/** Takes `count` consecutive numbers at once (bulk imports); returns the first of them. */
export async function reserveSequence(ctx: TxCtx, key: string, count: number): Promise<number> {
  const row = await ctx.db
    .insertInto('counters')
    .values({ key, value: count })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: sql`counters.value + ${count}` }))
    .returning('value')
    .executeTakeFirstOrThrow();
  return Number(row.value) - count + 1;
}

/** Takes the next code for `scope` (e.g. `customer`) in the caller's transaction. */
export async function nextCode(
  ctx: TxCtx,
  scope: string,
  pattern: string,
  parts: CodeParts,
): Promise<string> {
  const seq = await nextSequence(ctx, counterKey(scope, pattern, parts));
  return formatCode(pattern, parts, seq);
}
