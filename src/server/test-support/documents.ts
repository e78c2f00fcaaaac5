import fs from 'node:fs';
import JSZip from 'jszip';
import type { Client } from './app.js';
import { multipart } from './sheets.js';

// Files for document tests: a real Chinese PDF (fixtures/contract.pdf) and Word documents.

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

export async function uploadFile(as: Client, documentId: string, name: string, content: Buffer) {
  const { payload, headers } = multipart(name, content);
  return as.inject({ method: 'POST', url: `/api/documents/${documentId}/files`, payload, headers });
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
