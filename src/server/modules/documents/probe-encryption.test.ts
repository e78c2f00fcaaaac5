import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BlobStore } from '../../platform/storage.js';
import { companyApp } from '../../test-support/customers.js';
import { CONTRACT_PDF, uploadFile } from '../../test-support/documents.js';

// Found by probing issue 18: the customer's signed authorisation and the scanned receipts of the
// copies of a classified record were stored in plain beside its encrypted files. They are the
// record's content too, at its effective secrecy (R-P9): stored encrypted, read back as sent.

const KEY = randomBytes(32).toString('base64');
// Read by the store at each use; set before the app is made.
process.env.KEDANG_MASTER_KEY = KEY;
delete process.env.KEDANG_MASTER_KEY_FILE;
delete process.env.KEDANG_OLD_MASTER_KEY;
delete process.env.KEDANG_OLD_MASTER_KEY_FILE;
afterAll(() => {
  delete process.env.KEDANG_MASTER_KEY;
});

type Json = Record<string, unknown>;
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const AUTHORIZATION = Buffer.concat([
  Buffer.from('%PDF-1.4\n% 授权书：同意将图纸 HX-9000 用于生产 AUTHZ-PLAIN-7731\n'),
  CONTRACT_PDF.subarray(9),
]);
const RECEIPT = Buffer.concat([
  Buffer.from('%PDF-1.4\n% 签收单 RECEIPT-PLAIN-5519\n'),
  CONTRACT_PDF.subarray(9),
]);

function anyFileContains(dir: string, needle: Buffer): string[] {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && fs.readFileSync(path.join(e.parentPath, e.name)).includes(needle))
    .map((e) => e.name);
}

describe('probe: a classified record’s authorisation and receipt scans are stored encrypted', () => {
  const app = companyApp();

  it('encrypts them on disk, reads them back as sent, and decrypts them when the record is lowered', async () => {
    const { co, t } = app;
    const store = () => new BlobStore(t.dataDir);
    const customerId = (
      await co.as.salesmgr.post('/api/customers', {
        name: '北方精密仪器有限公司',
        category: 'general',
        kind: 'business',
        secrecy: 'secret',
      })
    ).json().id as string;
    const created = await co.as.salesmgr.post('/api/documents', {
      title: '产品图纸 HX-9000',
      source: 'customer',
      category: 'customer_supplied',
      customerId,
      versionLabel: 'A/0',
      productionUse: true,
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id as string;
    expect(created.json().effectiveSecrecy).toBe('secret');
    expect((await uploadFile(co.as.salesmgr, id, '图纸.pdf', CONTRACT_PDF)).statusCode).toBe(201);

    const attached = await co.as.archivist.inject({
      method: 'POST',
      url: `/api/documents/${id}/authorization?name=${encodeURIComponent('授权书.pdf')}&signedBy=${encodeURIComponent('客户代表 李四')}&signedOn=2026-03-01`,
      headers: { 'content-type': 'application/octet-stream' },
      payload: AUTHORIZATION,
    });
    expect(attached.statusCode, attached.body).toBe(201);
    const sent = await co.as.archivist.post(`/api/documents/${id}/copies`, {
      mark: 'controlled',
      recipients: [{ userId: co.ids.salesmgr }],
    });
    expect(sent.statusCode, sent.body).toBe(201);
    const copy = (sent.json() as Json[])[0] as Json;
    const scanned = await co.as.archivist.inject({
      method: 'POST',
      url: `/api/documents/${id}/copies/${copy.id}/scans?name=${encodeURIComponent('签收单.pdf')}&kind=receipt&signedBy=${encodeURIComponent('李经理')}&signedOn=2026-03-02`,
      headers: { 'content-type': 'application/octet-stream' },
      payload: RECEIPT,
    });
    expect(scanned.statusCode, scanned.body).toBe(201);

    // On disk: no plaintext of either; both stored encrypted.
    const blobs = path.join(t.dataDir, 'blobs');
    expect(anyFileContains(blobs, Buffer.from('AUTHZ-PLAIN-7731'))).toEqual([]);
    expect(anyFileContains(blobs, Buffer.from('RECEIPT-PLAIN-5519'))).toEqual([]);
    expect(store().isEncrypted(sha256(AUTHORIZATION))).toBe(true);
    expect(store().isEncrypted(sha256(RECEIPT))).toBe(true);

    // Read back as sent.
    const authz = await co.as.archivist.get(`/api/documents/${id}/authorization/content`);
    expect(authz.statusCode).toBe(200);
    expect(authz.rawPayload.equals(AUTHORIZATION)).toBe(true);
    const receipt = await co.as.salesmgr.get(`/api/documents/${id}/copies/${copy.id}/scans/receipt`);
    expect(receipt.statusCode).toBe(200);
    expect(receipt.rawPayload.equals(RECEIPT)).toBe(true);

    // The archive lowered to 普通: the record's content is stored in plain again.
    // Only the general manager lowers an archive's level (it lowers every record in it).
    const refused = await co.as.salesmgr.patch(`/api/customers/${customerId}`, { secrecy: 'normal' });
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({
      code: 'customer_secrecy_lower',
      title: '降低客户档案的密级会降低其中全部文件的密级，须由总经理决定',
    });
    expect(store().isEncrypted(sha256(AUTHORIZATION))).toBe(true);
    const lowered = await co.as.gm.patch(`/api/customers/${customerId}`, { secrecy: 'normal' });
    expect(lowered.statusCode, lowered.body).toBe(200);
    expect(store().isEncrypted(sha256(AUTHORIZATION))).toBe(false);
    expect(store().isEncrypted(sha256(RECEIPT))).toBe(false);
    const again = await co.as.archivist.get(`/api/documents/${id}/authorization/content`);
    expect(again.rawPayload.equals(AUTHORIZATION)).toBe(true);
  });
});
