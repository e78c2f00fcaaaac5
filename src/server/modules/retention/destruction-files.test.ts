import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { BLOB_DERIVED, BLOB_REFERENCES } from '../../platform/blob-references.js';
import { BlobStore } from '../../platform/storage.js';
import { type Client, seedUser, signIn, usesPostgres } from '../../test-support/app.js';
import { companyApp, travel } from '../../test-support/customers.js';
import { png, supersede, uploadFile } from '../../test-support/documents.js';
import { appraisedToDestroy } from '../../test-support/retention.js';

// Electronic destruction takes every file a document record holds (R-X4, issue 18): besides its
// versions' files, a customer document's signed authorisation and the scanned receipts of its
// copies (签收单, 交回单) — unless something that stays holds the same content. Their download
// routes then refuse cleanly, and the audit names everything removed at the record's effective
// secrecy (the higher of its own and its customer archive's).

type Json = Record<string, unknown>;
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const shanghai = (day: string) => new Date(`${day}T00:00:00+08:00`).toISOString();

describe('destruction removes a record’s authorisation and receipt scans with it', () => {
  const app = companyApp();
  beforeAll(async () => {
    await seedUser(app.t, 'archivist2', ['archivist'], { departmentId: app.co.quality, clearance: 'secret' });
  });

  const upload = (as: Client, url: string, body: Buffer) =>
    as.inject({
      method: 'POST',
      url,
      headers: { 'content-type': 'application/octet-stream' },
      payload: body,
    });
  const q = (query: Record<string, string>) => new URLSearchParams(query).toString();

  it('lists every column that holds a stored file by its digest', async () => {
    const db = app.t.database.db;
    const columns = usesPostgres
      ? await sql<{ table_name: string; column_name: string }>`select table_name, column_name
          from information_schema.columns
          where table_schema = current_schema() and column_name like '%sha256%'`.execute(db)
      : await sql<{
          table_name: string;
          column_name: string;
        }>`select m.name as table_name, p.name as column_name
          from sqlite_master m, pragma_table_info(m.name) p
          where m.type = 'table' and p.name like '%sha256%'`.execute(db);
    const known = [...BLOB_REFERENCES, ...BLOB_DERIVED].map((p) => `${p.table}.${p.column}`).sort();
    expect(columns.rows.map((c) => `${c.table_name}.${c.column_name}`).sort()).toEqual(known);
  });

  it('purges the authorisation and the copies’ scans, keeps what a live record shares, refuses downloads', async () => {
    const { as, ids } = app.co;
    const customer = (
      await as.sales1.post('/api/customers', {
        name: '宁波精锐模具有限公司',
        category: 'general',
        kind: 'business',
      })
    ).json().id as string;
    const register = async (title: string, issueDate: string, retention: string, file: Buffer) => {
      const res = await as.sales1.post('/api/documents', {
        title,
        source: 'customer',
        category: 'customer_supplied',
        customerId: customer,
        versionLabel: 'A/0',
        productionUse: true,
        issueDate,
        retention,
      });
      expect(res.statusCode, res.body).toBe(201);
      const id = res.json().id as string;
      expect((await uploadFile(as.sales1, id, '图纸.txt', file)).statusCode).toBe(201);
      return id;
    };
    // X and W go on the register; Y, of the same customer, stays.
    const drawingX = Buffer.from('精锐模具 图纸 JR-2015-01 A/0');
    const drawingX2 = Buffer.from('精锐模具 图纸 JR-2015-01 B/0');
    const drawingW = Buffer.from('精锐模具 图纸 JR-2015-02');
    const x = await register('2015年模具图纸 JR-2015-01', '2015-07-01', 'D10', drawingX);
    const w = await register('2015年模具图纸 JR-2015-02', '2015-08-01', 'D10', drawingW);
    const y = await register(
      '现行模具图纸 JR-2026-01',
      '2026-01-10',
      'D30',
      Buffer.from('精锐模具 图纸 JR-2026-01'),
    );

    // One signed authorisation covers both X and W (destroyed together); Y has its own.
    const authXW = Buffer.from('%PDF-1.4 客户签字授权书：JR-2015-01、JR-2015-02 可用于生产');
    const authY = Buffer.from('%PDF-1.4 客户签字授权书：JR-2026-01 可用于生产');
    const authorize = async (id: string, body: Buffer) => {
      const res = await upload(
        as.archivist,
        `/api/documents/${id}/authorization?${q({ name: '客户授权书.pdf', signedBy: '精锐 技术部 王工', signedOn: '2026-02-25' })}`,
        body,
      );
      expect(res.statusCode, res.body).toBe(201);
    };
    await authorize(x, authXW);
    await authorize(w, authXW);
    await authorize(y, authY);

    // A paper copy of X and one of Y, signed for on one sheet: the same scan for both.
    const distribute = async (id: string) => {
      const res = await as.archivist.post(`/api/documents/${id}/copies`, {
        mark: 'controlled',
        recipients: [{ userId: ids.sales2 }],
      });
      expect(res.statusCode, res.body).toBe(201);
      return (res.json() as Json[])[0]?.id as string;
    };
    const copyX = await distribute(x);
    const copyY = await distribute(y);
    const receipt = png(41, 29);
    const handedBack = png(43, 31);
    const scan = async (id: string, copyId: string, kind: string, body: Buffer) => {
      const res = await upload(
        as.archivist,
        `/api/documents/${id}/copies/${copyId}/scans?${q({ name: `${kind}.png`, kind, signedBy: '孙师傅', signedOn: '2026-03-02' })}`,
        body,
      );
      expect(res.statusCode, res.body).toBe(201);
    };
    await scan(x, copyX, 'receipt', receipt);
    await scan(y, copyY, 'receipt', receipt);
    // X gets a new edition; its copy of A/0 is recalled and handed back on paper.
    const released = await supersede(
      as.sales1,
      x,
      { versionLabel: 'B/0', issueDate: '2015-09-01' },
      { name: '图纸B.txt', content: drawingX2 },
    );
    expect(released.statusCode, released.body).toBe(200);
    await scan(x, copyX, 'return', handedBack);

    // The customer archive is raised to 秘密: X's own level stays 普通, its effective level is 秘密.
    expect((await as.gm.patch(`/api/customers/${customer}`, { secrecy: 'secret' })).statusCode).toBe(200);

    const store = new BlobStore(app.t.dataDir);
    const gone = [drawingX, drawingX2, drawingW, authXW, handedBack].map(sha256);
    for (const digest of [...gone, sha256(receipt), sha256(authY)]) expect(store.has(digest)).toBe(true);

    // Appraised, registered, signed and carried out.
    await travel(app.t, app.co, shanghai('2027-01-05'));
    const itemIds = await appraisedToDestroy(app.co, [x, w], '2015年客户图纸鉴定');
    const created = await as.archivist.post('/api/disposals', { title: '2015年客户图纸销毁', itemIds });
    expect(created.statusCode, created.body).toBe(201);
    const disposal = created.json().id as string;
    expect((await as.archivist.post(`/api/disposals/${disposal}/submit`)).statusCode).toBe(200);
    const archivist2 = await signIn(app.t.app, 'archivist2');
    for (const who of [archivist2, as.salesmgr, as.gm]) {
      const signed = await who.post(`/api/disposals/${disposal}/signatures`, { decision: 'approve' });
      expect(signed.statusCode, signed.body).toBe(200);
    }
    const done = await as.archivist.post(`/api/disposals/${disposal}/destroy`, {
      witnessIds: [ids.qa1, ids.qamgr],
    });
    expect(done.statusCode, done.body).toBe(200);
    for (const id of [x, w])
      expect((await as.gm.get(`/api/documents/${id}`)).json().status).toBe('destroyed');

    // Every file of X and W is gone from the store, the authorisation and the return scan too…
    for (const digest of gone) expect(store.has(digest), digest).toBe(false);
    const blobs = await app.t.database.db
      .selectFrom('blobs')
      .select(['sha256', 'destroyed_at'])
      .where('sha256', 'in', [...gone, sha256(receipt)])
      .execute();
    expect(
      blobs
        .filter((b) => b.destroyed_at)
        .map((b) => b.sha256)
        .sort(),
    ).toEqual([...gone].sort());
    // …while the receipt sheet Y's copy was signed on, and Y's authorisation, stay for Y.
    expect(store.has(sha256(receipt))).toBe(true);
    expect(store.has(sha256(authY))).toBe(true);
    const yScan = await as.archivist.get(`/api/documents/${y}/copies/${copyY}/scans/receipt`);
    expect(yScan.statusCode).toBe(200);
    expect(yScan.rawPayload.equals(receipt)).toBe(true);
    const yAuth = await as.archivist.get(`/api/documents/${y}/authorization/content`);
    expect(yAuth.statusCode).toBe(200);
    expect(yAuth.rawPayload.equals(authY)).toBe(true);

    // The download routes refuse with a clear message, never a server error.
    for (const url of [
      `/api/documents/${x}/authorization/content`,
      `/api/documents/${w}/authorization/content`,
      `/api/documents/${x}/copies/${copyX}/scans/receipt`,
      `/api/documents/${x}/copies/${copyX}/scans/return`,
    ]) {
      const res = await as.archivist.get(url);
      expect(res.statusCode, url).toBe(410);
      expect(res.json(), url).toMatchObject({
        code: 'document_destroyed',
        title: '文件已按销毁清册销毁，只保留著录信息',
      });
    }
    // The metadata stays: who authorised, who signed for the copy and handed it back.
    const kept = (await as.archivist.get(`/api/documents/${x}`)).json();
    expect(kept.customerAuthorization).toMatchObject({ name: '客户授权书.pdf', sha256: sha256(authXW) });
    const copies = (await as.archivist.get(`/api/documents/${x}/copies`)).json() as Json[];
    expect(copies[0]).toMatchObject({
      receivedBy: '孙师傅',
      returnedBy: '孙师傅',
      receiptScan: 'receipt.png',
    });

    // The audit names what went and what stayed, at the record's effective secrecy (秘密 = 1).
    const entries = await app.t.database.db
      .selectFrom('audit_log')
      .select(['action', 'target_id', 'secrecy', 'details'])
      .where('action', 'in', ['document.content_destroyed', 'document.destroyed', 'disposal.destroy'])
      .where('target_id', 'in', [x, w, disposal])
      .execute();
    const of = (action: string, target: string) => {
      const e = entries.find((x2) => x2.action === action && x2.target_id === target);
      return { secrecy: Number(e?.secrecy), details: JSON.parse(e?.details ?? '{}') };
    };
    const purgeX = of('document.content_destroyed', x);
    const purgeW = of('document.content_destroyed', w);
    expect(purgeX.secrecy).toBe(1);
    expect(purgeW.secrecy).toBe(1);
    expect(of('document.destroyed', x).secrecy).toBe(1);
    expect(purgeX.details.shared).toEqual([sha256(receipt)]);
    expect(purgeW.details.shared).toEqual([]);
    // The shared authorisation is removed once, by whichever of the two went first.
    expect([...purgeX.details.purged, ...purgeW.details.purged].sort()).toEqual([...gone].sort());
    expect(purgeX.details.purged).toEqual(expect.arrayContaining([sha256(handedBack), sha256(drawingX2)]));
    expect([...of('disposal.destroy', disposal).details.purged].sort()).toEqual([...gone].sort());
    expect((await as.admin.post('/api/audit/verify')).json().ok).toBe(true);
  });
});
