import { expect } from 'vitest';
import type { Company } from './customers.js';

// Appraisal for destruction as the company of `seedCompany` does it: the archivist and the quality
// manager appraise the records and both say destroy. Tests of registers, signatures and what
// destruction does elsewhere start from here.

type Json = Record<string, unknown>;

/** Appraises the (due) records, both members deciding destroy, and concludes; returns the
 * appraisal items, ready to be listed on a destruction register. */
export async function appraisedToDestroy(
  co: Company,
  documentIds: string[],
  title = '到期档案鉴定',
): Promise<string[]> {
  const { as, ids } = co;
  const appraisal = await as.archivist.post('/api/appraisals', {
    title,
    memberIds: [ids.archivist, ids.qamgr],
    documentIds,
  });
  expect(appraisal.statusCode, appraisal.body).toBe(201);
  const id = appraisal.json().id as string;
  const itemIds = (appraisal.json().items as Json[]).map((i) => i.id as string);
  for (const who of [as.archivist, as.qamgr]) {
    const res = await who.put(`/api/appraisals/${id}/opinions`, {
      opinions: itemIds.map((itemId) => ({ itemId, decision: 'destroy' })),
    });
    expect(res.statusCode, res.body).toBe(200);
  }
  const concluded = await as.archivist.post(`/api/appraisals/${id}/conclude`);
  expect(concluded.statusCode, concluded.body).toBe(200);
  return itemIds;
}
