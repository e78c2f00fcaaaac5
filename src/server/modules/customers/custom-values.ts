import type { CustomField } from '../../../common/schemas/customers.js';
import { dateBoundProblem, isValidIsoDate } from '../../../common/validation.js';
import type { FieldProblem } from '../../platform/errors.js';

// Custom field values (R-C3), checked the same way by the form and by imports. Kept apart from
// config.ts, which needs the database, so that the import's worker thread can load it alone.

export type CustomValues = Record<string, string | number | string[] | null>;

/** The active custom fields that apply to a customer kind. */
export function fieldsForKind(fields: CustomField[], kind: string): CustomField[] {
  return fields.filter((f) => f.active && (!f.kinds || f.kinds.includes(kind)));
}

/**
 * Checks and normalizes custom field values for a kind. Unknown keys and wrong types are
 * problems; a required field must have a value unless `partial` (an update not touching it).
 */
export function checkCustomValues(
  fields: CustomField[],
  kind: string,
  values: CustomValues,
  /** `today`: the server's date, from which date bounds count. */
  opts: { previous?: CustomValues; fieldPrefix?: string; today?: string } = {},
): { values: CustomValues; problems: FieldProblem[] } {
  const prefix = opts.fieldPrefix ?? 'customFields';
  const applicable = fieldsForKind(fields, kind);
  const byKey = new Map(applicable.map((f) => [f.key, f]));
  const problems: FieldProblem[] = [];
  const out: CustomValues = { ...(opts.previous ?? {}) };
  for (const [key, raw] of Object.entries(values)) {
    const def = byKey.get(key);
    if (!def) {
      problems.push({ field: `${prefix}.${key}`, key: 'unknown_custom_field', params: { key } });
      continue;
    }
    const field = `${prefix}.${key}`;
    const value = typeof raw === 'string' ? raw.trim() : raw;
    if (value === null || value === '' || (Array.isArray(value) && value.length === 0)) {
      out[key] = null;
      continue;
    }
    switch (def.type) {
      case 'text':
        if (typeof value !== 'string') problems.push({ field, key: 'text' });
        else out[key] = value;
        break;
      case 'number': {
        const n = typeof value === 'number' ? value : Number(value);
        if (Array.isArray(value) || !Number.isFinite(n)) problems.push({ field, key: 'number' });
        else out[key] = n;
        break;
      }
      case 'date': {
        if (typeof value !== 'string' || !isValidIsoDate(value)) {
          problems.push({ field, key: 'date' });
          break;
        }
        // A custom date may be a plan or an expiry: within a hundred years, and not before 1900.
        const bound = dateBoundProblem(value, 'century', { zh: def.label, en: def.label }, opts.today);
        if (bound) problems.push({ field, ...bound });
        else out[key] = value;
        break;
      }
      case 'select':
        if (typeof value !== 'string' || !def.options.includes(value)) {
          problems.push({ field, key: 'option', params: { value: String(value) } });
        } else out[key] = value;
        break;
      case 'multiselect': {
        const list = Array.isArray(value)
          ? value
          : String(value)
              .split(/[,，、;；]/)
              .map((s) => s.trim())
              .filter(Boolean);
        const bad = list.filter((v) => !def.options.includes(v));
        if (bad.length) problems.push({ field, key: 'option', params: { value: bad.join('、') } });
        else out[key] = [...new Set(list)];
        break;
      }
    }
  }
  for (const def of applicable) {
    const v = out[def.key];
    if (def.required && (v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0))) {
      if (!problems.some((p) => p.field === `${prefix}.${def.key}`)) {
        problems.push({ field: `${prefix}.${def.key}`, key: 'required' });
      }
    }
  }
  // Keep only values of fields that apply; values of fields of another kind are dropped on a kind change.
  for (const key of Object.keys(out)) if (!byKey.has(key)) delete out[key];
  return { values: out, problems };
}
