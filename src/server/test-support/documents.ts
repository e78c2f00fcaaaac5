import fs from 'node:fs';
import zlib from 'node:zlib';
import JSZip from 'jszip';
import type { Client } from './app.js';
import { multipart } from './sheets.js';

// Files for document tests: a real Chinese PDF (fixtures/contract.pdf), Word documents and
// photographs (PNG).

export const CONTRACT_PDF = fs.readFileSync(new URL('./fixtures/contract.pdf', import.meta.url));

/** A minimal but valid .docx with one paragraph per line. */
export async function docx(paragraphs: string[]): Promise<Buffer> {
  const zip = new JSZip();
  zip.file(
    '[Content_Types].xml',
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
  );
  zip.file(
    '_rels/.rels',
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
  );
  const body = paragraphs.map((p) => `<w:p><w:r><w:t>${p}</w:t></w:r></w:p>`).join('');
  zip.file(
    'word/document.xml',
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${body}</w:body></w:document>`,
  );
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}

/** A grey PNG photograph-sized `width` × `height` pixels, with a darker frame. */
export function png(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 0, 0, 0, 0], 8); // 8-bit greyscale
  const rows: Buffer[] = [];
  for (let y = 0; y < height; y++) {
    const row = Buffer.alloc(width + 1, 230); // filter byte 0 is overwritten below
    row[0] = 0;
    for (let x = 0; x < width; x++) if (x < 8 || y < 8 || x >= width - 8 || y >= height - 8) row[x + 1] = 120;
    rows.push(row);
  }
  return Buffer.concat([
    Buffer.from('89504e470d0a1a0a', 'hex'),
    chunk('IHDR', header),
    chunk('IDAT', zlib.deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Uploads into the current version, or into the given one (a draft). */
export async function uploadFile(
  as: Client,
  documentId: string,
  name: string,
  content: Buffer,
  versionId?: string,
) {
  const { payload, headers } = multipart(name, content);
  const query = versionId ? `?versionId=${versionId}` : '';
  return as.inject({ method: 'POST', url: `/api/documents/${documentId}/files${query}`, payload, headers });
}

/**
 * A new version made current the way the 新版本 drawer does it: a draft with its label, dates
 * and file, then made current, confirming the copies of the current version to be recalled.
 */
export async function supersede(
  as: Client,
  documentId: string,
  body: Record<string, unknown>,
  file?: { name: string; content: Buffer },
) {
  const draft = await as.post(`/api/documents/${documentId}/versions`, body);
  if (draft.statusCode !== 201) return draft;
  const version = (draft.json().versions as { id: string; status: string }[]).find(
    (v) => v.status === 'draft',
  );
  if (!version) throw new Error('no draft');
  if (file) {
    const up = await uploadFile(as, documentId, file.name, file.content, version.id);
    if (up.statusCode !== 201) return up;
  }
  const copies = (await as.get(`/api/documents/${documentId}/copies`)).json() as {
    id: string;
    versionStatus: string;
    recallStatus: string;
  }[];
  const recallCopyIds = copies
    .filter((c) => c.versionStatus === 'current' && c.recallStatus === 'none')
    .map((c) => c.id);
  return as.post(`/api/documents/${documentId}/versions/${version.id}/release`, { recallCopyIds });
}

/** Uploads a letter of introduction (the contract PDF stands in for a scan) for an access request. */
export function uploadLetter(as: Client, name = '介绍信.pdf') {
  return as.inject({
    method: 'POST',
    url: `/api/access-requests/letters?name=${encodeURIComponent(name)}`,
    headers: { 'content-type': 'application/octet-stream' },
    payload: CONTRACT_PDF,
  });
}

/** Who signs an internal document's approval in a test: author, reviewer, the countersigning
 * managers (one per department the category names), approver. */
export interface ApprovalSigners {
  author: Client;
  reviewer: Client;
  countersigners?: Client[];
  approver: Client;
}

/**
 * Takes a version of an internal document under approval through 编制 → 审核 → 会签 → 批准 the way
 * the document page does, and returns the approval's response (the version is in force at once
 * when `effectiveDate` is today). Stops at the first refusal and returns it.
 */
export async function approveThrough(
  s: ApprovalSigners,
  documentId: string,
  versionId: string,
  effectiveDate: string,
) {
  const base = `/api/documents/${documentId}/versions/${versionId}`;
  const steps: [Client, string, Record<string, unknown> | undefined][] = [
    [s.author, 'submit', undefined],
    [s.reviewer, 'review', undefined],
    ...(s.countersigners ?? []).map((c): [Client, string, Record<string, unknown>] => [c, 'countersign', {}]),
  ];
  for (const [as, step, body] of steps) {
    const res = await as.post(`${base}/${step}`, body);
    if (res.statusCode !== 200) return res;
  }
  return s.approver.post(`${base}/approve`, { effectiveDate });
}
