import type { DashboardPanelKey } from '../../../common/schemas/dashboard.js';
import type { Action } from '../../platform/policy/rules.js';
import * as b from './blocks.js';

// The registry of the home page's panels: which blocks each role's view shows, in order. A
// person gets every panel whose action `rules.ts` grants them. To add a block, write it in
// blocks.ts (count through the owning module, name the list it opens) and list it here.

export interface PanelDef {
  key: DashboardPanelKey;
  action: Action;
  blocks: b.BlockDef[];
}

export const PANELS: PanelDef[] = [
  {
    key: 'sales',
    action: 'dashboard.sales',
    blocks: [
      b.customersByGrade('mine'),
      b.customersByCategory('mine'),
      b.visits('mine'),
      b.filingsOverdue('mine'),
      b.complaintsByStatus,
      b.complaintsLate,
      b.salesByGrade('mine'),
      b.creditWarnings,
      b.orders,
    ],
  },
  {
    key: 'quality',
    action: 'dashboard.quality',
    blocks: [b.complaintsByStatus, b.complaintsLate, b.actions, b.srAcknowledgements, b.satisfaction],
  },
  {
    key: 'archive',
    action: 'dashboard.archive',
    blocks: [b.lending, b.filingsOverdue('all'), b.appraisalDue, b.secrecyReviews, b.holdings],
  },
  {
    key: 'management',
    action: 'dashboard.management',
    blocks: [
      b.customersByGrade('all'),
      b.salesByGrade('all'),
      b.creditWarnings,
      b.customersByCategory('all'),
      b.orders,
      b.complaintsByStatus,
      b.complaintsLate,
      b.visits('all'),
      b.actions,
      b.satisfaction,
      b.lending,
      b.filingsOverdue('all'),
      b.appraisalDue,
      b.holdings,
    ],
  },
];
