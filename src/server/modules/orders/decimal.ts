// Exact decimal arithmetic for quantities and money (numeric columns come back as strings on
// PostgreSQL and as numbers on SQLite): values are scaled to integers (BigInt), never floats.

import type { FieldProblem } from '../../platform/errors.js';

/** A decimal (string or number) as an integer scaled by 10^scale, rounded half up. */
export function scaled(value: string | number, scale: number): bigint {
  const text = typeof value === 'number' ? value.toFixed(Math.max(scale, 8)) : value.trim();
  const negative = text.startsWith('-');
  const [whole = '0', frac = ''] = text.replace(/^[-+]/, '').split('.');
  const digits = frac.padEnd(scale + 1, '0');
  let n = BigInt(whole || '0') * 10n ** BigInt(scale) + BigInt(digits.slice(0, scale) || '0');
  if (Number(digits[scale] ?? '0') >= 5) n += 1n;
  return negative ? -n : n;
}

/** An integer scaled by 10^scale as text with exactly `scale` decimals. */
export function fixed(n: bigint, scale: number): string {
  const negative = n < 0n;
  const abs = negative ? -n : n;
  const s = abs.toString().padStart(scale + 1, '0');
  const text = scale === 0 ? s : `${s.slice(0, -scale)}.${s.slice(-scale)}`;
  return negative ? `-${text}` : text;
}

/** A stored decimal as its shortest text: `12.5000` → `12.5`, `1000.0000` → `1000`. */
export function plain(value: string | number | null | undefined, scale = 4): string | null {
  if (value === null || value === undefined) return null;
  const text = fixed(scaled(value, scale), scale);
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}

/** Money with two decimals. */
export function money(value: string | number | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  return fixed(scaled(value, 2), 2);
}

/** quantity × unit price, to the cent (half up). */
export function lineAmount(quantity: string, unitPrice: string): string {
  const product = scaled(quantity, 4) * scaled(unitPrice, 4); // scale 8
  const cents = (product + 500_000n) / 1_000_000n;
  return fixed(cents, 2);
}

/** The sum of amounts (two decimals), or null when any is missing. */
export function sumMoney(values: readonly (string | null)[]): string | null {
  if (values.some((v) => v === null)) return null;
  return fixed(
    values.reduce((s, v) => s + scaled(v as string, 2), 0n),
    2,
  );
}

/** The largest amount kept exactly on both databases: numeric(18, 2) takes 16 digits before the
 * point on PostgreSQL, but SQLite keeps a fractional amount as a double (15 significant digits),
 * so 13 digits and the cents. Ten trillion is beyond any order. */
const AMOUNT_LIMIT = 10n ** 15n;
export const AMOUNT_MAX = '9999999999999.99';

/** Amounts (quantity × unit price) and the total above `AMOUNT_MAX`: checked before writing, since
 * PostgreSQL refuses what its column cannot hold with an overflow (a 500) and SQLite rounds.
 * `field` names each line's input; the total's problem goes to `totalField`. */
export function amountProblems(
  lines: readonly {
    quantity: string | number;
    unitPrice: string | number | null | undefined;
    field: string;
  }[],
  totalField: string,
): FieldProblem[] {
  const problems: FieldProblem[] = [];
  let total = 0n;
  for (const l of lines) {
    if (l.unitPrice === null || l.unitPrice === undefined) continue;
    const amount = scaled(lineAmount(String(l.quantity), String(l.unitPrice)), 2);
    total += amount;
    if (amount >= AMOUNT_LIMIT)
      problems.push({ field: l.field, key: 'order_amount', params: { max: AMOUNT_MAX } });
  }
  if (!problems.length && total >= AMOUNT_LIMIT)
    problems.push({ field: totalField, key: 'order_amount', params: { max: AMOUNT_MAX } });
  return problems;
}
