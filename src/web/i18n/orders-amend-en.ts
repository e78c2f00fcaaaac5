import type { ordersAmendZh } from './orders-amend-zh';

// English strings of order amendments (R-K4); same keys as orders-amend-zh.ts.
export const ordersAmendEn: Record<keyof typeof ordersAmendZh, string> = {
  'orders.amend.button': 'Amend',
  'orders.amend.title': 'Amend the contract · {number}',
  'orders.amend.help':
    'Change the values that change and give the reason. The departments concerned review the amendment again and it takes effect once signed; then a change notice goes to every department concerned.',
  'orders.amend.submit': 'Submit for review',
  'orders.amend.done': 'Amendment submitted; the departments review it',
  'orders.amend.section': 'Amendments',
  'orders.amend.reason': 'Reason',
  'orders.amend.proposedBy': 'Proposed by',
  'orders.amend.field': 'Field',
  'orders.amend.before': 'Before',
  'orders.amend.after': 'After',
  'orders.amend.line': 'Line {lineNo}',
  'orders.amend.specification': 'Specification',
  'orders.amend.reviews': 'Reviews of the amendment',
  'orders.amend.noReviews': 'No department reviews these changes; the signer signs directly',
  'orders.amend.reviewTitle': '{department} reviews {title} · {number}',
  'orders.amend.sign': 'Sign the amendment',
  'orders.amend.signTitle': 'Sign {title} · {number}',
  'orders.amend.signed': '{decision} · {name} ({role}) · {at}',
  'orders.amend.applied': 'In force',
  'orders.amend.rejected': 'Rejected (the order is unchanged)',
  'orders.amend.notice': 'Contract change notice',
  'orders.amend.issuedAt': 'issued {at}',
  'orders.amend.openCount': '{open} of {total} departments not confirmed',
  'orders.amend.department': 'Department',
  'orders.amend.ackState': 'Confirmation',
  'orders.amend.ackDone': 'Confirmed',
  'orders.amend.ackOpen': 'Open',
  'orders.amend.acknowledge': 'Confirm receipt',
  'orders.amend.acknowledged': 'Receipt of the change notice confirmed',
  'orders.amend.history': 'Amendment',
  'orders.amend.settings.title': 'Departments reviewing amendments',
  'orders.amend.settings.help':
    'Per category of what an amendment changes, the departments (codes) that review it again; for several categories, all their departments review together.',
  'orders.amend.settings.missing':
    'No active department carries these codes: {codes}. Amendments touching them cannot be submitted; fix this.',
};
