import type { Kysely } from 'kysely';

// Customer special requirements, configurable and reversible:
// - the categories become a configurable list (lookup 'sr_category'), seeded with the issue's
//   defaults so that renaming or adding one keeps the rest (written out here because a migration
//   never imports live code);
// - a requirement marked 需复核 by a new version of its source document remembers that version, so
//   that withdrawing the version takes the mark back.
const DEFAULTS: [string, string, string][] = [
  ['qms', '质量体系', 'Quality system'],
  ['ppap', 'PPAP/产品批准', 'PPAP / product approval'],
  ['change', '变更管理', 'Change management'],
  ['packaging', '包装与标识', 'Packaging and labelling'],
  ['delivery', '交付与物流', 'Delivery and logistics'],
  ['traceability', '追溯', 'Traceability'],
  ['special_char', '特殊特性', 'Special characteristics'],
  ['targets', '质量目标/PPM', 'Quality targets / PPM'],
  ['complaints', '投诉与8D', 'Complaints and 8D'],
  ['other', '其他', 'Other'],
];

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('sr_requirements').addColumn('recheck_version_id', 'text').execute();
  const lookups = db as unknown as Kysely<{
    lookups: {
      list: string;
      code: string;
      label: string;
      label_en: string | null;
      prefix: string | null;
      sort_order: number;
      active: number;
    };
  }>;
  const present = new Set(
    (await lookups.selectFrom('lookups').select('code').where('list', '=', 'sr_category').execute()).map(
      (r) => r.code,
    ),
  );
  const rows = DEFAULTS.map(([code, label, labelEn], i) => ({
    list: 'sr_category',
    code,
    label,
    label_en: labelEn,
    prefix: null,
    sort_order: i,
    active: 1,
  })).filter((r) => !present.has(r.code));
  if (rows.length) await lookups.insertInto('lookups').values(rows).execute();
}

export async function down(): Promise<void> {
  throw new Error('Kedang migrations are forward-only; restore a backup to go back.');
}
